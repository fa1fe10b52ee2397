"""Regenerate ``screening/data/regions.tsv`` from python-stdnum's ``cn/loc.dat``.

The table lists GB/T 2260 administrative-division codes with their names, current and historical
(companies keep the region name they registered under). Run once when the source table changes:

    .venv/bin/pip install python-stdnum   # only needed for this script
    .venv/bin/python bench/build_region_table.py

Columns: code (6 digits), level (province | city | county), name. Hong Kong, Macau and Taiwan are
added by hand (not in GB/T 2260 county data).
"""

from __future__ import annotations

import re
from pathlib import Path

import stdnum.cn  # type: ignore[import-untyped]

_SOURCE = Path(stdnum.cn.__file__).with_name("loc.dat")
_TARGET = Path(__file__).resolve().parent.parent / "screening" / "data" / "regions.tsv"
_EXTRA = [
    ("810000", "province", "香港特别行政区"),
    ("820000", "province", "澳门特别行政区"),
    ("710000", "province", "台湾省"),
]
_LINE = re.compile(r'^(\s*)(\d+) (?:province|county)="(?:\[[^\]]*\])?([^"]+)"')
_NOT_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位"}


def main() -> None:
    rows: set[tuple[str, str, str]] = set()
    province = ""
    for line in _SOURCE.read_text(encoding="utf-8").splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        indent, digits, name = match.groups()
        if not indent:
            province = digits
            rows.add((province + "0000", "province", name))
            continue
        code = province + digits
        if name in _NOT_NAMES or code.endswith("0000"):
            continue
        level = "city" if code.endswith("00") else "county"
        rows.add((code, level, name))
    rows.update(_EXTRA)
    lines = [
        "# code\tlevel\tname  (GB/T 2260 via python-stdnum cn/loc.dat; regenerate: bench/build_region_table.py)"
    ]
    lines += [f"{code}\t{level}\t{name}" for code, level, name in sorted(rows)]
    _TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} regions to {_TARGET}")


if __name__ == "__main__":
    main()
