"""A small HTML reader for page tests: elements with their attributes, text by id, labels and forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)
    content: list[str | Element] = field(default_factory=list)  # text and elements, in order

    def text(self) -> str:
        parts = [x if isinstance(x, str) else x.text() for x in self.content]
        return " ".join(" ".join(parts).split())

    def ancestors(self) -> list[Element]:
        found, node = [], self.parent
        while node is not None:
            found.append(node)
            node = node.parent
        return found


class Page(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.elements: list[Element] = []
        self._open = self.root
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, parent=self._open)
        self._open.children.append(element)
        self._open.content.append(element)
        self.elements.append(element)
        if tag not in VOID:
            self._open = element

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self._open
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self._open = node.parent

    def handle_data(self, data: str) -> None:
        self._open.content.append(data)

    # --- Queries ---------------------------------------------------------------------------------------------

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if (tag is None or e.tag == tag)
            and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def by_id(self, element_id: str) -> Element:
        (found,) = self.find_all(id=element_id)
        return found

    def text(self) -> str:
        return self.root.text()

    def html_lang(self) -> str:
        return self.find_all("html")[0].attrs["lang"]

    def visible_controls(self) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag in {"input", "select", "textarea"} and e.attrs.get("type") not in {"hidden", "submit"}
        ]

    def label_for(self, control_id: str) -> Element:
        (found,) = self.find_all("label", for_=control_id)
        return found
