"""Issue 5, end to end in a real headless browser (Debian's chromium and chromedriver, driven by selenium).

The test installs what it needs (``apt-get install chromium chromium-driver`` when missing, as root) and
starts what it needs: the app on a migrated SQLite file, served over HTTP on a free localhost port from a
background thread. In the browser a listed person switches language and back, checks their own records
(submitting with Enter), opens the correction form, chooses a ground, explains, attaches a PDF, reaches the
submit button with the keyboard and submits; the court then finds the application, by the reference the
page showed, in its queue over HTTP with its API key, and rejects it; from the self-check the person asks the
higher court to reconsider.

Without root or network the test is skipped, unless ``BLACKLIST_REQUIRE_BROWSER=1`` (CI) makes it fail.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from blacklist_service import create_app
from blacklist_service.extensions import db
from tests.support import Desk, build_world, person_id

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# This closed network needs exactly these; each run gets a fresh profile (--user-data-dir) as well.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
TODAY = dt.date(2026, 11, 21)
NAME, BORN = "张三", dt.date(1980, 5, 17)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
WAIT = 10  # seconds for any one page


def _unavailable(reason: str) -> None:
    if os.environ.get("BLACKLIST_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser test required (BLACKLIST_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


def _install_chromium() -> None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        _unavailable(
            "chromium is not installed and installing it needs root: apt-get install chromium chromium-driver"
        )
    if shutil.which("apt-get") is None:
        _unavailable("chromium is not installed and there is no apt-get to install it")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    lock = ["-o", "DPkg::Lock::Timeout=300"]  # another install may be running
    for command in (
        ["apt-get", *lock, "update"],
        ["apt-get", *lock, "install", "-y", "chromium", "chromium-driver"],
    ):
        try:
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1200, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            _unavailable(f"{' '.join(command)} failed: {exc}")
        if done.returncode != 0:
            _unavailable(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()[-500:]}")


@pytest.fixture(scope="session")
def chromium() -> tuple[str, str]:
    """Paths of chromium and chromedriver, installed from Debian if missing."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        _unavailable("selenium is not installed: pip install -e '.[test]'")
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        _install_chromium()
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        _unavailable(f"{CHROMIUM} or {CHROMEDRIVER} still missing after apt-get install")
    return CHROMIUM, CHROMEDRIVER


@dataclass
class Site:
    url: str
    court_key: str
    listing_id: int

    def court_get(self, path: str) -> Any:
        """The court's API over real HTTP, with its key."""
        request = urllib.request.Request(
            self.url + path, headers={"Authorization": f"Bearer {self.court_key}"}
        )
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return json.load(response)

    def court_post(self, path: str, body: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {self.court_key}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return json.load(response)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """The app on a freshly migrated SQLite file, with a court, its key and one listing, served over HTTP."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'browser.sqlite3'}",
            "TODAY": TODAY,
            "RATELIMIT_STORAGE_URI": "memory://",
            "PUBLIC_RATE_LIMIT": "1000 per minute",
            # One person's whole story in one hour: more look-ups of one identity than the default allows.
            "SELF_CHECK_TARGET_LIMIT": "1000 per hour",
            "UPLOAD_DIR": str(tmp_path / "uploads"),
        }
    )
    with app.app_context():
        upgrade()
    world = build_world(app)
    desk = Desk(world.court)
    listing = desk.list(desk.case(desk.person(NAME, BORN)["id"])["id"]).json
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="web-test-server", daemon=True)
    thread.start()
    try:
        yield Site(f"http://127.0.0.1:{server.server_port}", world.keys["court"], listing["id"])
    finally:
        server.shutdown()
        thread.join(timeout=WAIT)
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def driver(chromium: tuple[str, str], tmp_path: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, chromedriver = chromium
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # the console: CSP violations
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    options.add_argument(f"--user-data-dir={profile}")
    service = Service(executable_path=chromedriver, log_output=subprocess.DEVNULL)
    browser = webdriver.Chrome(service=service, options=options)
    try:
        browser.set_window_size(412, 915)  # a phone
        browser.set_page_load_timeout(WAIT * 2)
        yield browser
    finally:
        browser.quit()


def test_a_listed_person_files_a_correction_that_reaches_the_court(site: Site, driver: Any, tmp_path: Path):
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    # While a page is replaced, an element just found may go stale: keep polling.
    wait = WebDriverWait(
        driver, WAIT, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
    )

    def heading() -> str:
        return str(driver.find_element(By.TAG_NAME, "h1").text)

    def lang() -> str:
        return str(driver.find_element(By.TAG_NAME, "html").get_attribute("lang"))

    def go(click: Any, expected_h1: str) -> None:
        click()
        wait.until(lambda d: d.find_element(By.TAG_NAME, "h1").text == expected_h1)

    # Home: Chinese, with a skip link first in the tab order, fitting a phone's width.
    driver.get(site.url + "/")
    assert (lang(), heading()) == ("zh-CN", "失信被执行人名单")
    ActionChains(driver).send_keys(Keys.TAB).perform()
    assert driver.switch_to.active_element.get_attribute("href").endswith("#main")
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")

    # The language switch and back.
    go(driver.find_element(By.ID, "lang-switch").click, "The dishonest judgment debtor list")
    assert lang() == "en"
    go(driver.find_element(By.ID, "lang-switch").click, "失信被执行人名单")
    assert lang() == "zh-CN"

    # Self-check, submitted with Enter from the ID number field.
    go(driver.find_element(By.CSS_SELECTOR, "nav a[href='/self-check']").click, "查询本人记录")
    driver.find_element(By.ID, "name").send_keys(NAME)
    id_field = driver.find_element(By.ID, "id_number")
    id_field.send_keys(person_id(BORN))
    go(lambda: id_field.send_keys(Keys.ENTER), "本人记录查询结果")
    assert "您目前在失信被执行人名单上" in driver.find_element(By.CSS_SELECTOR, "[role=status]").text
    assert person_id(BORN) not in driver.current_url

    # The correction form: a ground chosen by its label, an explanation, a PDF.
    go(driver.find_element(By.ID, f"apply-{site.listing_id}").click, "申请纠正失信记录")
    driver.find_element(By.CSS_SELECTOR, "label[for='ground-should_be_deleted']").click()
    assert driver.find_element(By.ID, "ground-should_be_deleted").is_selected()
    driver.find_element(By.ID, "explanation").send_keys("已于11月1日全额还款，附还款凭证。")
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(PDF)
    driver.find_element(By.ID, "attachments").send_keys(str(receipt))

    # Keyboard only from here: Tab to the submit button (visibly focused), Enter to submit.
    driver.find_element(By.ID, "contact").send_keys("13800000000")
    keys = ActionChains(driver)
    for _ in range(6):
        if driver.switch_to.active_element.get_attribute("id") == "submit-application":
            break
        keys.send_keys(Keys.TAB).perform()
    submit = driver.switch_to.active_element
    assert submit.get_attribute("id") == "submit-application"
    assert submit.value_of_css_property("outline-style") == "solid"
    go(lambda: ActionChains(driver).send_keys(Keys.ENTER).perform(), "纠正申请已提交")
    reference = wait.until(ec.visibility_of_element_located((By.ID, "reference"))).text.strip()
    assert reference.startswith("JZ20261121")
    assert driver.find_element(By.ID, "decision-due").text

    # The court sees it in its queue, over HTTP with its key.
    queue = site.court_get("/correction-applications/")
    filed = [a for a in queue["items"] if a["reference"] == reference]
    assert len(filed) == 1, queue
    assert (filed[0]["status"], filed[0]["ground"], filed[0]["listing"]["id"]) == (
        "pending",
        "should_be_deleted",
        site.listing_id,
    )
    assert [(f["filename"], f["content_type"]) for f in filed[0]["attachments"]] == [
        ("receipt.pdf", "application/pdf")
    ]

    # The court rejects it; from the self-check the applicant asks the court one level up to reconsider.
    decision = {"outcome": "rejected", "served_on": TODAY.isoformat()}
    rejected = site.court_post(f"/correction-applications/{filed[0]['id']}/decision", decision)
    assert rejected["status"] == "rejected"
    driver.get(site.url + "/self-check")
    driver.find_element(By.ID, "name").send_keys(NAME)
    id_field = driver.find_element(By.ID, "id_number")
    id_field.send_keys(person_id(BORN))
    go(lambda: id_field.send_keys(Keys.ENTER), "本人记录查询结果")
    go(driver.find_element(By.ID, f"reconsider-{reference}").click, "申请复议")
    driver.find_element(By.ID, "reasons").send_keys("本人已全额还款，驳回理由不成立。")
    go(driver.find_element(By.ID, "submit-reconsideration").click, "复议申请已提交")
    assert driver.find_element(By.ID, "reference").text.strip() == reference
    assert driver.find_element(By.ID, "reconsideration-due").text

    # Every page above met its own Content-Security-Policy: the browser refused nothing.
    assert not _policy_violations(driver)


def _policy_violations(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]


def test_a_form_posted_from_another_site_is_refused(site: Site, driver: Any):
    """A page elsewhere (here a data: URL, an origin of its own) posts the self-check form with someone's
    identity: the real browser says where it comes from, and the service refuses it before any throttle."""
    from urllib.parse import quote

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    elsewhere = (
        f'<form method="post" action="{site.url}/self-check">'
        f'<input name="name" value="{NAME}"><input name="id_number" value="{person_id(BORN)}">'
        '<button id="go">go</button></form>'
    )
    driver.get("data:text/html;charset=utf-8," + quote(elsewhere))
    driver.find_element(By.ID, "go").click()
    WebDriverWait(driver, WAIT).until(lambda d: d.current_url.startswith(site.url))
    assert driver.find_element(By.TAG_NAME, "h1").text == "出错了"
    assert "此请求由其他网站发出，已被拒绝" in driver.find_element(By.TAG_NAME, "main").text
    # The same form on the site itself still works.
    driver.get(site.url + "/self-check")
    driver.find_element(By.ID, "name").send_keys(NAME)
    driver.find_element(By.ID, "id_number").send_keys(person_id(BORN))
    driver.find_element(By.ID, "self-check-submit").click()
    WebDriverWait(driver, WAIT).until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "本人记录查询结果")
    assert not _policy_violations(driver)
