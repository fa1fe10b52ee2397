"""Issue 5, web part: the citizen pages over the same services as the API (Flask test client)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from blacklist_service import config
from blacklist_service.extensions import db
from blacklist_service.models import AccessLog
from blacklist_service.web import i18n
from tests.support import credit_code, person_id
from tests.web.html import Page

BORN = dt.date(1980, 5, 17)
ME = {"name": "张三", "id_number": person_id(BORN)}
PDF = b"%PDF-1.4\n%web test\n"
WEB = Path(__file__).resolve().parents[2] / "blacklist_service" / "web"


@pytest.fixture
def browser(app):
    """A fresh client (its own cookie jar), like one person's browser."""
    return app.test_client()


@pytest.fixture
def listing(desk):
    case = desk.case(desk.person()["id"])
    response = desk.list(case["id"], circumstances=("SX1_ABLE_REFUSE", "SX4_ASSET_REPORT"))
    assert response.status_code == 201, response.json
    return response.json


def page(response) -> Page:
    assert response.mimetype == "text/html"
    return Page(response.get_data(as_text=True))


def access_log(app) -> list[AccessLog]:
    with app.app_context():
        rows = list(db.session.scalars(select(AccessLog).order_by(AccessLog.id)))
        db.session.expunge_all()
    return rows


def self_check(browser, identity=ME, **extra):
    return browser.post("/self-check", data=identity | extra)


def open_form(browser, listing_id, identity=ME):
    return browser.post("/corrections/new", data=identity | {"listing_id": str(listing_id)})


def file_form(browser, listing_id, identity=ME, files=(), **fields):
    data = identity | {"listing_id": str(listing_id)} | fields
    if files:
        data["attachments"] = [(io.BytesIO(content), name) for name, content in files]
    return browser.post("/corrections", data=data, content_type="multipart/form-data")


# --- Frame, accessibility, language ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/self-check"])
def test_pages_are_accessible_phone_ready_and_free_of_script(browser, world, path):
    response = browser.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    doc = page(response)
    assert doc.html_lang() == "zh-CN"
    assert doc.find_all("meta", name="viewport")
    skip = doc.find_all("a", class_="skip-link")[0]
    assert skip.attrs["href"] == "#main" and doc.by_id("main").tag == "main"
    assert len(doc.find_all("h1")) == 1
    for control in doc.visible_controls():
        assert doc.label_for(control.attrs["id"]).text(), control.attrs
    for form in doc.find_all("form"):
        assert form.attrs["method"] == "post"
    assert "<script" not in html and "http://" not in html and "https://" not in html  # no JS, no CDN
    assert "script-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    css = browser.get(doc.find_all("link", rel="stylesheet")[0].attrs["href"])
    assert css.status_code == 200 and ":focus-visible" in css.get_data(as_text=True)
    css.close()


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    ("fg", "bg", "minimum"),
    [
        ("text", "background", 4.5),
        ("text", "surface", 4.5),
        ("muted", "background", 4.5),
        ("muted", "surface", 4.5),
        ("link", "background", 4.5),
        ("link", "surface", 4.5),
        ("link-visited", "background", 4.5),
        ("on-brand", "brand", 4.5),
        ("on-button", "button", 4.5),
        ("button", "background", 4.5),
        ("error", "background", 4.5),
        ("on-brand", "success", 4.5),
        ("text", "warning-surface", 4.5),
        ("focus-text", "focus", 4.5),
        ("border", "background", 3.0),  # input borders (non-text contrast)
        ("focus", "brand", 3.0),  # the focus band on the header
    ],
)
def test_colours_meet_wcag_aa(fg, bg, minimum):
    css = (WEB / "static" / "web.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6});", css))
    assert _contrast(colours[fg], colours[bg]) >= minimum


def test_every_text_in_the_templates_exists_in_both_languages():
    used = set()
    for template in (WEB / "templates" / "web").glob("*.html"):
        used |= set(re.findall(r"\bt\('([\w.]+)'\s*[,)]", template.read_text(encoding="utf-8")))
    assert used and used <= set(i18n.TEXT)
    for table in (i18n.TEXT, i18n.LABELS, i18n.ERRORS):
        for key, words in table.items():
            assert set(words) == set(i18n.LANGUAGES) and all(words.values()), key


def test_language_switch_by_link_and_cookie(browser, world):
    zh = page(browser.get("/"))
    switch = zh.by_id("lang-switch")
    assert (switch.text(), switch.attrs["lang"], switch.attrs["href"]) == ("English", "en", "/?lang=en")
    english = browser.get("/?lang=en")
    assert "lang=en" in english.headers["Set-Cookie"]
    assert page(english).html_lang() == "en" and english.headers["Content-Language"] == "en"
    again = page(browser.get("/self-check"))  # the cookie keeps it
    assert again.html_lang() == "en"
    assert "Check your own records" in again.find_all("h1")[0].text()
    assert again.by_id("lang-switch").attrs["href"] == "/self-check?lang=zh"
    back = page(browser.get("/self-check?lang=zh"))
    assert back.html_lang() == "zh-CN" and back.find_all("h1")[0].text() == "查询本人记录"


def test_a_form_keeps_its_language_without_cookies(app, world):
    no_cookies = app.test_client(use_cookies=False)
    doc = page(no_cookies.post("/self-check", data={"name": "", "id_number": "", "lang": "en"}))
    assert doc.html_lang() == "en"
    assert doc.find_all("input", name="lang")[0].attrs["value"] == "en"


# --- Public search -------------------------------------------------------------------------------------------


def test_search_shows_article_6_fields_with_the_id_masked(browser, app, world, listing):
    response = browser.post("/", data={"name": "张三"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    number = person_id(BORN)
    assert number[:10] + "****" + number[14:] in html
    assert number not in html
    doc = page(response)
    assert "共找到 1 条正在公布的记录" in doc.by_id("results-heading").parent.text()
    assert "有履行能力而拒不履行" in html and "北京市朝阳区人民法院" in html
    assert [x.action for x in access_log(app)] == ["public_search"]


def _sex_and_age(doc, label):
    """The text of the <dd> that follows the <dt> reading ``label`` in the one record shown."""
    (record,) = doc.find_all("article")
    (facts,) = [e for e in record.children if e.tag == "dl"]
    terms = facts.children
    (at,) = [n for n, e in enumerate(terms) if e.tag == "dt" and e.text() == label]
    assert terms[at + 1].tag == "dd"
    return terms[at + 1].text()


def test_search_shows_the_age_when_published_the_same_across_the_birthday(browser, world, listing, today):
    """BORN 1980-05-17, published 2026-04-01: 45 when published, whether looked at before or after 05-17."""
    assert listing["publish_from"] == "2026-04-01"
    shown = []
    for day in (dt.date(2026, 5, 16), dt.date(2026, 5, 18), dt.date(2027, 5, 18)):
        today(day)
        zh = page(browser.post("/?lang=zh", data={"name": "张三"}))
        en = page(browser.post("/?lang=en", data={"name": "张三"}))
        api = world.public.get("/public/dishonest-debtors", name="张三").json["items"][0]
        shown.append(
            (_sex_and_age(zh, "性别 / 发布时年龄"), _sex_and_age(en, "Sex / age when published"), api["age"])
        )
    assert shown == [("男 / 45岁", "male / 45", 45)] * 3


def test_search_narrowed_by_masked_id_and_province_and_paginated(browser, desk, world):
    for n in range(12):
        desk.list(desk.case(desk.person(born=dt.date(1960 + n, 1, 2))["id"])["id"])
    first = page(browser.post("/", data={"name": "张三"}))
    assert len(first.find_all("article")) == 10
    assert "第 1 页，共 2 页" in first.text()
    (pager,) = [f for f in first.find_all("form") if f.ancestors()[0].tag == "nav"]
    next_button = [e for e in first.find_all("button", name="page") if e.attrs["value"] == "2"]
    assert next_button and pager
    second = page(browser.post("/", data={"name": "张三", "page": "2"}))
    assert len(second.find_all("article")) == 2
    number = person_id(dt.date(1961, 1, 2))
    masked = number[:10] + "****" + number[14:]
    one = page(browser.post("/", data={"name": "张三", "id_number": masked, "province": "北京市"}))
    assert len(one.find_all("article")) == 1
    none = page(browser.post("/", data={"name": "张三", "province": "上海市"}))
    assert "没有找到正在公布的记录" in none.text()


def test_search_errors_are_shown_next_to_the_fields(browser, world):
    missing = browser.post("/", data={"name": " "})
    assert missing.status_code == 422
    doc = page(missing)
    assert doc.find_all("title")[0].text().startswith("错误：")
    summary = doc.find_all("div", class_="error-summary")[0]
    assert summary.attrs["role"] == "alert"
    assert [a.attrs["href"] for a in summary.children[1].children[0].children] == ["#name"]
    name = doc.by_id("name")
    assert name.attrs["aria-invalid"] == "true" and "name-error" in name.attrs["aria-describedby"]
    assert doc.by_id("name-error").text() == "错误： 请填写姓名或名称"
    bad = page(browser.post("/?lang=en", data={"name": "张三", "id_number": "12345"}))
    assert bad.by_id("id_number").attrs["aria-invalid"] == "true"
    assert "organisation code" in bad.by_id("id_number-error").text()


def test_search_of_an_organisation_shows_its_credit_code_and_representative(browser, desk, world):
    desk.list(desk.case(desk.company()["id"])["id"])
    doc = page(browser.post("/?lang=en", data={"name": "北京某某科技有限公司", "id_number": credit_code()}))
    (record,) = doc.find_all("article")
    assert credit_code() in record.text() and "李四" in record.text()
    assert doc.find_all("span", lang="zh-CN")  # Chinese data is marked as such on English pages


# --- Self-check ----------------------------------------------------------------------------------------------


def test_self_check_of_a_listed_person(browser, app, world, listing):
    response = self_check(browser)
    assert response.status_code == 200
    doc = page(response)
    text = doc.text()
    assert "您目前在失信被执行人名单上。" in text and "您目前被限制高消费。" in text
    assert "在列（正在公布）" in text
    assert "010-65000000 北京市朝阳区" in text  # whom to contact
    assert "有履行能力而拒不履行生效法律文书确定义务" in text and "违反财产报告制度" in text
    assert "全部履行生效法律文书确定的义务后，法院应在三个工作日内删除" in text  # how to get off
    assert "如何解除限制" in text and "不得进行" in text and "乘坐飞机" in text  # measures in force
    apply = doc.by_id(f"apply-{listing['id']}")
    form = apply.ancestors()[0]
    assert (form.tag, form.attrs["method"], form.attrs["action"]) == ("form", "post", "/corrections/new")
    assert "self_check" in [x.action for x in access_log(app)]
    assert person_id(BORN) not in str(access_log(app)[0].query_digest)


def test_self_check_in_english_uses_plain_english(browser, world, listing):
    browser.get("/?lang=en")
    text = page(self_check(browser)).text()
    assert "You are currently on the dishonest judgment debtor list." in text
    assert "able to perform the obligation but refuses to" in text
    assert "Pay in full: the court must delete the entry within 3 working days" in text


def test_unknown_identities_get_the_same_neutral_page(browser, world, listing):
    never = self_check(browser, {"name": "赵大", "id_number": person_id(dt.date(1990, 1, 1))})
    wrong_name = self_check(browser, {"name": "张四", "id_number": person_id(BORN)})  # a listed ID
    assert never.status_code == wrong_name.status_code == 200
    assert never.get_data() == wrong_name.get_data()
    assert "没有查到与您输入的姓名和证件号码相符的任何记录。" in page(never).text()


def test_self_check_errors(browser, world):
    doc = page(self_check(browser, {"name": "张三", "id_number": "110105198005170931"}))
    assert doc.by_id("id_number-error").text().endswith("身份证号码的校验位不正确，请检查是否输错")
    assert doc.by_id("id_number").attrs["value"] == "110105198005170931"  # kept to fix it
    both = self_check(browser, {"name": "", "id_number": ""})
    assert both.status_code == 422
    links = [a.attrs["href"] for a in page(both).find_all("a") if a.ancestors()[2].tag == "div"]
    assert {"#name", "#id_number"} <= set(links)
    org = page(self_check(browser, {"name": "某公司", "credit_code": "91110105MA01ABCD0"}))
    assert org.by_id("credit_code").attrs["aria-invalid"] == "true"


def test_self_check_of_an_organisation(browser, desk, world):
    company = desk.company()
    desk.list(desk.case(company["id"])["id"])
    identity = {"name": "北京某某科技有限公司", "credit_code": credit_code()}
    asked = page(self_check(browser, identity))  # the credit code is public: not enough on its own
    assert asked.by_id("representative_id_number").attrs["aria-invalid"] == "true"
    representative = company["key_persons"][0]["person"]["identifier"]
    text = page(self_check(browser, identity | {"representative_id_number": representative})).text()
    assert "您目前在失信被执行人名单上。" in text


def test_nothing_with_an_id_number_goes_in_an_address(browser, world, listing):
    html = self_check(browser).get_data(as_text=True)
    for href in re.findall(r'(?:href|action)="([^"]*)"', html):
        assert person_id(BORN) not in href
    doc = page(browser.get("/self-check"))
    assert all(f.attrs["method"] == "post" for f in doc.find_all("form"))
    redirected = browser.get("/corrections/new")
    assert redirected.status_code == 302 and redirected.headers["Location"] == "/self-check"


# --- Correction applications ----------------------------------------------------------------------------------


def test_a_correction_filed_through_the_form_reaches_the_court(browser, world, listing, today):
    today(dt.date(2026, 11, 2))
    form = open_form(browser, listing["id"])
    assert form.status_code == 200
    doc = page(form)
    legend = doc.find_all("legend")[0]
    radios = doc.find_all("input", type="radio")
    assert legend.ancestors()[0].tag == "fieldset" and len(radios) == 3
    for radio in radios:
        assert doc.label_for(radio.attrs["id"]).text()
        assert doc.by_id(radio.attrs["aria-describedby"]).text()  # each ground explained
    files = doc.by_id("attachments")
    assert files.attrs["type"] == "file" and "application/pdf" in files.attrs["accept"]
    assert doc.find_all("form", enctype="multipart/form-data")

    filed = file_form(
        browser,
        listing["id"],
        ground="should_be_deleted",
        explanation="已于11月1日全额还款",
        contact="13800000000",
        files=[("收据.pdf", PDF)],
    )
    assert filed.status_code == 200, filed.get_data(as_text=True)
    result = page(filed)
    reference = result.by_id("reference").text()
    assert re.fullmatch(r"JZ20261102[0-9A-F]{8}", reference)
    assert "法院应在2026年11月17日前作出决定。" in result.text()

    queue = world.court.get("/correction-applications/").json
    (application,) = queue["items"]
    assert (application["reference"], application["status"], application["ground"]) == (
        reference,
        "pending",
        "should_be_deleted",
    )
    assert application["attachments"][0]["content_type"] == "application/pdf"
    mine = page(self_check(browser))
    assert reference in mine.text() and "法院审查中" in mine.text()
    assert not mine.find_all("button", id=f"apply-{listing['id']}")  # pending: no second application


def test_form_errors_are_shown_in_the_chosen_language_and_nothing_is_filed(browser, world, listing):
    response = file_form(browser, listing["id"], explanation="  ", contact="x" * 201, lang="en")
    assert response.status_code == 422
    doc = page(response)
    assert doc.html_lang() == "en"
    summary = [a.attrs["href"] for a in doc.find_all("a") if a.attrs.get("href", "").startswith("#ground")]
    assert summary == ["#ground-should_not_be_listed"]
    assert doc.by_id("ground-error").text().endswith("Choose why the entry should be corrected")
    assert doc.by_id("explanation-error").text().endswith("Explain why")
    assert doc.by_id("contact").attrs["value"] == "x" * 201
    assert world.court.get("/correction-applications/").json["total"] == 0


def test_bad_attachment_is_refused_with_the_values_kept(browser, world, listing):
    response = file_form(
        browser,
        listing["id"],
        ground="inaccurate",
        explanation="金额有误",
        files=[("virus.pdf", b"MZ\x90\x00")],
    )
    assert response.status_code == 422
    doc = page(response)
    assert doc.by_id("attachments-error").text().endswith("附件只接受 PDF、PNG 或 JPEG 文件")
    assert doc.by_id("ground-inaccurate").attrs.get("checked") == ""
    assert doc.by_id("explanation").text() == "金额有误"
    assert "请重新选择文件" in doc.text()
    assert world.court.get("/correction-applications/").json["total"] == 0


def test_a_second_application_while_one_is_pending_is_refused(browser, world, listing):
    fields = {"ground": "inaccurate", "explanation": "金额有误"}
    assert file_form(browser, listing["id"], **fields).status_code == 200
    twice = file_form(browser, listing["id"], **fields)
    assert twice.status_code == 409
    assert "正在处理中" in page(twice).find_all("div", class_="error-summary")[0].text()
    assert world.court.get("/correction-applications/").json["total"] == 1


def test_someone_elses_listing_is_not_found(browser, world, listing):
    stranger = {"name": "赵大", "id_number": person_id(dt.date(1990, 1, 1))}
    assert open_form(browser, listing["id"], stranger).status_code == 404
    response = file_form(browser, listing["id"], stranger, ground="inaccurate", explanation="x")
    assert response.status_code == 404
    assert "没有找到您的这条记录" in page(response).text()
    assert open_form(browser, 99999).status_code == 404
    assert world.court.get("/correction-applications/").json["total"] == 0


def test_filing_through_the_form_is_logged_whether_it_succeeds_or_fails(browser, app, world, listing):
    """Who looked up whom: each filing attempt is in the access log (as through the API), a refused one too.
    A form refused for its own faults looks no one up (as a request the API's schema refuses): not logged."""
    stranger = {"name": "赵大", "id_number": person_id(dt.date(1990, 1, 1))}
    fields = {"ground": "inaccurate", "explanation": "金额有误"}
    assert file_form(browser, listing["id"], stranger, **fields).status_code == 404
    assert file_form(browser, listing["id"], explanation=" ").status_code == 422
    assert file_form(browser, listing["id"], files=[("x.pdf", b"MZ")], **fields).status_code == 422
    filed = file_form(browser, listing["id"], **fields)
    assert filed.status_code == 200
    assert file_form(browser, listing["id"], **fields).status_code == 409
    me = listing["subject"]["id"]
    reference = page(filed).by_id("reference").text()
    assert [(x.action, x.subject_ids, x.reference) for x in access_log(app)] == [
        ("correction_application", [], None),
        ("correction_application", [me], None),  # the bad attachment
        ("correction_application", [me], reference),
        ("correction_application", [me], None),
    ]
    assert world.court.get("/correction-applications/").json["total"] == 1


WRONG_ID = person_id(dt.date(1980, 7, 1))  # 张三 with another (valid) ID number: someone not listed


def _without_identity(response, identity) -> str:
    """The page with the echoed identity (the form's hidden fields) blanked out, to compare two answers."""
    return response.get_data(as_text=True).replace(identity["id_number"], "ID")


@pytest.mark.parametrize("right_first", [True, False], ids=["right-then-wrong", "wrong-then-right"])
@pytest.mark.parametrize(
    ("fields", "files"),
    [
        ({"ground": "inaccurate", "explanation": "  "}, ()),  # the form's own fault
        ({"ground": "odd", "explanation": "x" * 4001}, ()),
        # the service's check, which applications.file makes before comparing the identity
        ({"ground": "inaccurate", "explanation": "金额有误"}, [("virus.pdf", b"MZ\x90\x00")]),
    ],
    ids=["blank", "ground-and-length", "attachment"],
)
def test_a_faulty_form_gets_the_same_page_for_a_right_and_a_wrong_identity(
    app, world, listing, right_first, fields, files
):
    """No identity oracle: a wrong name+ID pair used to get 404 before the form was checked, a right one 422
    with the listing's facts, so the page told a stranger who is on the list. Now both get the same 422."""
    wrong = ME | {"id_number": WRONG_ID}
    order = [ME, wrong] if right_first else [wrong, ME]
    answers = {
        identity["id_number"]: file_form(app.test_client(), listing["id"], identity, files=files, **fields)
        for identity in order
    }
    right, stranger = answers[ME["id_number"]], answers[WRONG_ID]
    assert right.status_code == stranger.status_code == 422
    assert _without_identity(right, ME) == _without_identity(stranger, wrong)
    assert listing["case_number"] not in right.get_data(as_text=True)  # no fact of the listing
    assert world.court.get("/correction-applications/").json["total"] == 0


def test_provisional_deadlines_are_marked_as_such(browser, desk, world, listing, today):
    """D2: a deadline counted without the official holiday calendar (it runs into 2027) is marked on the
    pages, in both languages; one inside the calendar is shown as firm."""
    today(dt.date(2026, 12, 20))  # + 15 days = 2027-01-04, beyond the holiday data
    filed = page(file_form(browser, listing["id"], ground="inaccurate", explanation="金额有误", lang="en"))
    due = [p for p in filed.find_all("p") if "The court must decide by 4 January 2027" in p.text()]
    assert len(due) == 1 and "Provisional" in due[0].text() and "calendar" in due[0].text()
    assert "provisional" in filed.by_id("decision-due").text()
    application = world.court.get("/correction-applications/").json["items"][0]
    today(dt.date(2026, 12, 21))
    world.court.post(
        f"/correction-applications/{application['id']}/decision",
        {"outcome": "rejected", "served_on": "2026-12-21"},
    )
    mine = page(self_check(browser))
    terms, values = mine.find_all("dt"), mine.find_all("dd")
    assert len(terms) == len(values)  # every term has its one value
    facts = {term.text(): value.text() for term, value in zip(terms, values, strict=True)}
    decision_due = facts["法院应在此日前作出决定"]
    assert decision_due.startswith("2027年1月4日") and "暂定" in decision_due
    assert facts["申请复议截止日期"] == "2026年12月31日"  # counted on the official calendar: firm


# --- Reconsideration (L-APPEAL-5…7) ---------------------------------------------------------------------------


def _rejected(browser, world, listing, served_on="2026-11-21") -> str:
    """A correction filed through the form and rejected by the court, served on ``served_on``: its reference."""
    filed = file_form(browser, listing["id"], ground="should_not_be_listed", explanation="不是我")
    reference = page(filed).by_id("reference").text()
    application = world.court.get("/correction-applications/").json["items"][0]
    decided = world.court.post(
        f"/correction-applications/{application['id']}/decision",
        {"outcome": "rejected", "note": "理由不成立", "served_on": served_on},
    )
    assert decided.status_code == 200, decided.json
    return reference


def open_reconsideration(browser, reference, identity=ME, **extra):
    return browser.post(f"/corrections/{reference}/reconsideration/new", data=identity | extra)


def ask_reconsideration(browser, reference, identity=ME, **fields):
    return browser.post(f"/corrections/{reference}/reconsideration", data=identity | fields)


def test_a_rejected_applicant_asks_the_higher_court_to_reconsider(browser, world, listing, today):
    """L-APPEAL-5: from the self-check, within 10 days of service, to the court one level up, which must
    decide within 15 days (L-APPEAL-6); the listing stays in force meanwhile (L-APPEAL-7)."""
    reference = _rejected(browser, world, listing)
    mine = page(self_check(browser))
    button = mine.by_id(f"reconsider-{reference}")
    assert button.text() == "向上一级法院申请复议"
    today(dt.date(2026, 11, 30))
    form = open_reconsideration(browser, reference)
    assert form.status_code == 200
    doc = page(form)
    assert doc.by_id("reconsideration-deadline").text() == "2026年12月1日"  # 11-21 + 10 days
    terms, values = (x.text() for x in doc.find_all("dt")), (x.text() for x in doc.find_all("dd"))
    facts = dict(zip(terms, values, strict=True))
    assert facts["复议法院（上一级法院）"] == "北京市第三中级人民法院"
    assert (facts["作出驳回决定的法院"], facts["法院说明"]) == ("北京市朝阳区人民法院", "理由不成立")
    assert doc.label_for("reasons").text().startswith("复议理由")
    asked = ask_reconsideration(browser, reference, reasons="本人不是该案被执行人")
    assert asked.status_code == 200, asked.get_data(as_text=True)
    done = page(asked)
    assert done.by_id("reference").text() == reference
    assert done.by_id("reconsideration-due").text() == "2026年12月15日"  # 11-30 + 15 days
    assert "010-12368" in done.text()  # whom to contact: the higher court
    queue = world.higher_court.get("/correction-applications/").json["items"]
    assert [(a["reference"], a["status"]) for a in queue] == [(reference, "reconsideration_pending")]
    assert world.court.get(f"/listings/{listing['id']}").json["state"] == "active"  # L-APPEAL-7
    again = page(self_check(browser))
    assert not again.find_all("button", id=f"reconsider-{reference}")  # asked: no second request
    assert "上一级法院复议中" in again.text()


def test_the_reconsideration_pages_in_english(browser, world, listing):
    reference = _rejected(browser, world, listing)
    doc = page(open_reconsideration(browser, reference, lang="en"))
    assert doc.html_lang() == "en" and doc.find_all("h1")[0].text() == "Ask for reconsideration"
    refused = page(ask_reconsideration(browser, reference, reasons=" ", lang="en"))
    assert refused.by_id("reasons-error").text().endswith("Give your reasons")
    done = page(ask_reconsideration(browser, reference, reasons="I am not the debtor", lang="en"))
    assert "The higher court must decide by 7 December 2026." in done.text()  # 11-21 + 15 days


def test_reconsideration_refusals_are_shown_and_change_nothing(browser, world, listing, today):
    filed = page(file_form(browser, listing["id"], ground="inaccurate", explanation="金额有误"))
    reference = filed.by_id("reference").text()
    early = ask_reconsideration(browser, reference, reasons="不服")
    assert early.status_code == 409  # not rejected yet
    assert "只有被驳回的纠正申请才能申请复议" in page(early).find_all("div", class_="error-summary")[0].text()
    application = world.court.get("/correction-applications/").json["items"][0]
    world.court.post(
        f"/correction-applications/{application['id']}/decision",
        {"outcome": "rejected", "served_on": "2026-11-21"},
    )
    long = ask_reconsideration(browser, reference, reasons="x" * 4001)
    assert long.status_code == 422
    assert page(long).by_id("reasons-error").text().endswith("复议理由不能超过4000字")
    assert page(long).by_id("reasons").text() == "x" * 4001  # kept to be shortened
    control = ask_reconsideration(browser, reference, reasons="不服\x07")
    assert control.status_code == 422 and page(control).by_id("reasons-error")
    stranger = {"name": "赵大", "id_number": person_id(dt.date(1990, 1, 1))}
    assert open_reconsideration(browser, reference, stranger).status_code == 404
    assert ask_reconsideration(browser, reference, stranger, reasons="不服").status_code == 404
    assert ask_reconsideration(browser, "JZ20261121FFFFFFFF", reasons="不服").status_code == 404
    today(dt.date(2026, 12, 2))  # 11-21 + 10 = 12-01
    late = ask_reconsideration(browser, reference, reasons="不服")
    assert late.status_code == 409
    assert "已经届满" in page(late).find_all("div", class_="error-summary")[0].text()
    assert page(late).by_id("reconsideration-deadline").text() == "2026年12月1日"
    assert world.court.get("/correction-applications/").json["items"][0]["status"] == "rejected"
    assert world.higher_court.get("/correction-applications/").json["total"] == 0
    moved = browser.get(f"/corrections/{reference}/reconsideration")
    assert (moved.status_code, moved.headers["Location"]) == (302, "/self-check")


@pytest.mark.parametrize("right_first", [True, False], ids=["right-then-wrong", "wrong-then-right"])
@pytest.mark.parametrize("reasons", ["  ", "x" * 4001], ids=["blank", "too-long"])
def test_faulty_reasons_get_the_same_page_for_a_right_and_a_wrong_identity(
    app, world, listing, right_first, reasons
):
    """No identity oracle: the reasons are checked before anyone is identified (as the API's schema does)."""
    reference = _rejected(app.test_client(), world, listing)
    wrong = ME | {"id_number": WRONG_ID}
    order = [ME, wrong] if right_first else [wrong, ME]
    answers = {
        identity["id_number"]: ask_reconsideration(app.test_client(), reference, identity, reasons=reasons)
        for identity in order
    }
    right, stranger = answers[ME["id_number"]], answers[WRONG_ID]
    assert right.status_code == stranger.status_code == 422
    assert _without_identity(right, ME) == _without_identity(stranger, wrong)
    assert "理由不成立" not in right.get_data(as_text=True)  # no fact of the application
    assert world.court.get("/correction-applications/").json["items"][0]["status"] == "rejected"


def test_reconsideration_through_the_form_is_logged_as_through_the_api(browser, app, world, listing):
    """Every attempt is logged, a refused one too (with no one for an identity that matches no one); faulty
    reasons look no one up and are not; opening the form is a self-check."""
    me = listing["subject"]["id"]
    reference = _rejected(browser, world, listing)
    before = len(access_log(app))
    stranger = {"name": "赵大", "id_number": person_id(dt.date(1990, 1, 1))}
    assert ask_reconsideration(browser, reference, stranger, reasons="不服").status_code == 404
    assert ask_reconsideration(browser, reference, reasons=" ").status_code == 422
    assert open_reconsideration(browser, reference).status_code == 200
    assert ask_reconsideration(browser, reference, reasons="不服").status_code == 200
    assert ask_reconsideration(browser, reference, reasons="不服").status_code == 409  # asked already
    assert [(x.action, x.subject_ids, x.reference) for x in access_log(app)[before:]] == [
        ("reconsideration", [], None),
        ("self_check", [me], None),
        ("reconsideration", [me], reference),
        ("reconsideration", [me], None),
    ]


def test_reconsideration_pages_share_the_public_throttle(browser, app, world, listing):
    reference = _rejected(browser, world, listing)
    app.config["PUBLIC_RATE_LIMIT"] = "2 per minute"
    codes = [ask_reconsideration(browser, reference, reasons=" ").status_code for _ in range(3)]
    assert codes == [422, 422, 429]
    limited = page(ask_reconsideration(browser, reference, reasons="不服"))
    assert limited.find_all("h1")[0].text() == "查询过于频繁"


# --- Throttle ------------------------------------------------------------------------------------------------


def test_the_pages_are_throttled_with_a_friendly_page(browser, app, world):
    app.config["PUBLIC_RATE_LIMIT"] = "2 per minute"
    codes = [browser.post("/", data={"name": "张三"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    limited = browser.post("/?lang=en", data={"name": "张三"})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    doc = page(limited)
    assert doc.html_lang() == "en" and doc.find_all("h1")[0].text() == "Too many requests"
    other = app.test_client().post("/", data={"name": "张三"}, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200


def test_pages_without_an_identity_never_shut_under_the_real_limits(app, world, listing):
    """The per-identity budget counts only requests naming someone (a POST with a name and a number): the
    blank forms, the redirects and a form sent without a number are throttled per client only, so visitors
    cannot use up a budget shared by everyone and shut the page for all (the production limits, not the
    tests' raised ones)."""
    app.config["SELF_CHECK_TARGET_LIMIT"] = config.SELF_CHECK_TARGET_LIMIT  # 5 an hour, 20 a day
    visits = [
        ("get", "/self-check", None, 200),
        ("get", "/corrections/new", None, 302),
        ("get", "/corrections", None, 302),
        ("post", "/self-check", {"name": "", "id_number": ""}, 422),
        ("post", "/self-check", {"name": "张三", "id_number": ""}, 422),
    ]
    for n in range(25):  # more than a day's budget of one identity, from as many visitors
        for method, path, data, status in visits:
            visitor = app.test_client()
            response = getattr(visitor, method)(path, data=data, environ_base={"REMOTE_ADDR": f"10.7.{n}.1"})
            assert response.status_code == status, (n, path, response.status_code)
    assert self_check(app.test_client()).status_code == 200
    # The other side: requests naming one identity still share its budget, whoever sends them.
    naming = [
        app.test_client().post("/self-check", data=ME, environ_base={"REMOTE_ADDR": f"10.8.0.{n}"})
        for n in range(5)
    ]
    assert [r.status_code for r in naming] == [200] * 4 + [429]  # the 6th look-up of ME this hour


def test_a_body_over_the_request_limit_gets_a_page_not_json_and_files_nothing(browser, app, world, listing):
    app.config["MAX_CONTENT_LENGTH"] = 4096
    browser.get("/?lang=en")
    fields = {"ground": "inaccurate", "explanation": "wrong amount"}
    response = file_form(browser, listing["id"], files=[("big.pdf", PDF + b"0" * 8192)], **fields)
    assert response.status_code == 413 and response.mimetype == "text/html"
    doc = page(response)
    assert doc.html_lang() == "en" and doc.find_all("h1")[0].text() == "Something went wrong"
    assert "attach at most 5 files of up to 5 MB each" in doc.text()
    assert world.court.get("/correction-applications/").json["total"] == 0


def test_attachment_limits_are_explained_in_english(browser, app, world, listing):
    app.config["MAX_ATTACHMENT_BYTES"] = 1024
    browser.get("/?lang=en")
    fields = {"ground": "inaccurate", "explanation": "wrong amount"}
    many = page(file_form(browser, listing["id"], files=[(f"p{n}.pdf", PDF) for n in range(6)], **fields))
    assert many.by_id("attachments-error").text().endswith("You can attach at most 5 files")
    big = page(file_form(browser, listing["id"], files=[("big.pdf", PDF + b"0" * 2048)], **fields))
    assert big.by_id("attachments-error").text().endswith("Each file may be at most 1 KB")
    assert "up to 1 KB each" in big.by_id("attachments-hint").text()
    long = page(file_form(browser, listing["id"], ground="inaccurate", explanation="x" * 4001))
    assert long.by_id("explanation-error").text().endswith("at most 4000 characters")
    assert world.court.get("/correction-applications/").json["total"] == 0


def test_a_tampered_identity_or_a_get_finds_nothing(browser, world, listing):
    tampered = {"name": "张三", "id_number": "110105198005170931"}  # a wrong check digit in the hidden field
    assert open_form(browser, listing["id"], tampered).status_code == 404
    assert (
        file_form(browser, listing["id"], tampered, ground="inaccurate", explanation="x").status_code == 404
    )
    assert file_form(browser, "x", ground="inaccurate", explanation="x").status_code == 404
    moved = browser.get("/corrections")
    assert (moved.status_code, moved.headers["Location"]) == (302, "/self-check")


def test_an_unexpected_service_error_is_a_page_not_json(browser, world, monkeypatch):
    from blacklist_service.errors import Conflict
    from blacklist_service.services import citizens

    def refuse(*_args, **_kw):
        raise Conflict("the register is being rebuilt", code="register.busy")

    monkeypatch.setattr(citizens, "self_check", refuse)
    response = self_check(browser, {"name": "赵大", "id_number": person_id(dt.date(1990, 1, 1))})
    assert response.status_code == 409
    assert "输入有误（the register is being rebuilt）" in page(response).text()


def test_words_and_dates():
    assert i18n.date("zh", dt.date(2026, 12, 7)) == "2026年12月7日"
    assert i18n.date("en", dt.date(2026, 12, 7)) == "7 December 2026"
    assert i18n.date("en", None) == ""
    assert (i18n.size("en", 5 * 1024 * 1024), i18n.size("en", 1536)) == ("5 MB", "1 KB")
    assert i18n.error("en", "no.such.code", "as the service said") == "as the service said"
    assert i18n.text("en", "no.such.key") == "no.such.key"
    assert (i18n.label("en", "status", None), i18n.label("en", "status", "odd")) == ("", "odd")
    assert i18n.label("en", "role", "legal_representative", org="X") == "Legal representative of X"
