"""What a reader sees, in headless Chromium (Debian's ``chromium``; ``.ci/run`` installs it).

Screenshots of the en, es and ar pages at desktop and phone sizes are saved to
``output/screenshots/`` (or ``$PIPELINE_ARTIFACTS``) for a person to look at.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import ARTICLE, FIXTURE, ROOT
from test_site import NEGOTIATION_CASES, NEGOTIATION_LOCALES

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("headless Chromium is not installed (apt-get install chromium)", allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ARTIFACTS = Path(os.environ.get("PIPELINE_ARTIFACTS", ROOT / "output" / "screenshots"))


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    """The shipped project built into a temp folder and served on 127.0.0.1."""
    from pipeline.project import config
    from pipeline.commands.build import build
    from pipeline.session import Session

    root = tmp_path_factory.mktemp("site")
    for name in ("source", "locales"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    assert not build(Session(config.load(str(root)))).withheld
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=root / "output"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def multilingual_url(tmp_path_factory):
    """The test project with the pseudo-locales published before the real Arabic (as
    tests/site/test_site.py's ``multilingual_site``), served on 127.0.0.1."""
    from pipeline.cli import main

    root = tmp_path_factory.mktemp("multilingual")
    for name in ("source", "locales"):
        shutil.copytree(FIXTURE / name, root / name)
    config = (FIXTURE / "pyproject.toml").read_text("utf-8")
    (root / "pyproject.toml").write_text(re.sub(r"(?m)^locales = .*$", "locales = "
                                                + json.dumps(NEGOTIATION_LOCALES), config), "utf-8")
    for code in ("ar-XB", "en-XA"):
        main(["-C", str(root), "pseudo", code])
    with pytest.raises(SystemExit) as exit:
        main(["-C", str(root), "build", "--quiet"])
    assert exit.value.code == 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=root / "output"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """``open_page(url, viewport, locale)`` → (page, errors seen in its console)."""
    contexts = []

    def opener(url: str, viewport=DESKTOP, locale: str = "en-US"):
        context = browser.new_context(viewport=viewport, locale=locale)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
        page.goto(url)
        return page, errors

    yield opener
    for context in contexts:
        context.close()


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_arabic_page_is_laid_out_right_to_left(site_url, open_page):
    english, _ = open_page(f"{site_url}/en/{ARTICLE}.html")
    arabic, errors = open_page(f"{site_url}/ar/{ARTICLE}.html")
    assert not errors
    assert arabic.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # the header is mirrored: the site name starts at the right, the languages run right to left
    for page, start_is_right in ((english, False), (arabic, True)):
        name, header = _box(page, ".site-name"), _box(page, ".site-header")
        edge = (name["x"] + name["width"], header["x"] + header["width"] - 16) if start_is_right else (name["x"], header["x"] + 16)
        assert abs(edge[0] - edge[1]) < 4
        links = page.locator(".language-switcher li")
        first, last = links.first.bounding_box(), links.last.bounding_box()
        assert (first["x"] > last["x"]) is start_is_right
    # the disclaimer's stripe is on the right, and text starts at the right edge
    stripe = arabic.evaluate("""(() => { const s = getComputedStyle(document.querySelector('.disclaimer'));
        return [s.borderRightWidth, s.borderLeftWidth]; })()""")
    assert stripe == ["6px", "0px"]
    heading, main = _box(arabic, "h1"), _box(arabic, "main")
    assert abs((heading["x"] + heading["width"]) - (main["x"] + main["width"])) < 20


def test_disclaimer_is_visible_above_the_fold_on_a_phone(site_url, open_page):
    for lang in ("en", "es", "ar"):
        page, errors = open_page(f"{site_url}/{lang}/{ARTICLE}.html", PHONE)
        assert not errors
        box = _box(page, "aside.disclaimer")
        assert box["y"] + 40 < PHONE["height"], f"{lang}: the disclaimer starts below the fold"
        assert page.locator("aside.disclaimer").first.is_visible()


def test_language_switcher_links_work(site_url, open_page):
    page, errors = open_page(f"{site_url}/en/{ARTICLE}.html")
    page.get_by_role("link", name="Español").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/es/{ARTICLE}.html")
    assert page.evaluate("document.documentElement.lang") == "es"
    page.get_by_role("link", name="العربية").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert not errors


def test_front_page_sends_readers_to_their_browser_language(site_url, open_page):
    page, errors = open_page(f"{site_url}/index.html", locale="de-DE")
    page.wait_for_url("**/de/index.html")
    assert page.locator("h1").inner_text() == "Artikel"
    page, _ = open_page(f"{site_url}/index.html", locale="ja-JP")  # no Japanese: stay and offer all
    assert page.url.endswith("/index.html") and page.locator(".language-choice a").count() == 5
    assert not errors


def _landing(browser, url: str, languages: list[str] | None, locale: str = "en-US") -> str:
    """Where a reader whose browser prefers ``languages`` (None: what ``locale`` gives)
    ends up after opening ``url``."""
    context = browser.new_context(locale=locale)
    try:
        if languages is not None:
            context.add_init_script(
                f"Object.defineProperty(navigator, 'languages', {{get: () => {json.dumps(languages)}}});")
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("load")
        return page.url
    finally:
        context.close()


def test_the_front_page_script_negotiates_the_cases_python_is_tested_on(multilingual_url, browser):
    """tests/site/test_site.py's table of cases, through the page's own script in Chromium."""
    root = f"{multilingual_url}/index.html"
    landed = {}
    for wanted, _expected in NEGOTIATION_CASES:
        url = _landing(browser, root, wanted)
        landed[wanted[0]] = None if url == root else \
            url.removeprefix(f"{multilingual_url}/").removesuffix("/index.html")
    assert landed == {wanted[0]: expected for wanted, expected in NEGOTIATION_CASES}


@pytest.mark.parametrize("locale, expected", [("ar", "ar"), ("ar-EG", "ar"), ("fr-CA", "fr"), ("ja-JP", None)])
def test_a_reader_lands_on_their_browser_language_never_on_a_pseudo_locale(multilingual_url, browser,
                                                                           locale, expected):
    """The browser's own language settings (no script override): Arabic readers get Arabic."""
    url = _landing(browser, f"{multilingual_url}/index.html", None, locale)
    assert url == f"{multilingual_url}/{expected}/index.html" if expected else url == f"{multilingual_url}/index.html"


def test_the_chooser_is_styled_and_each_entry_reads_in_its_own_direction(site_url, open_page):
    page, errors = open_page(f"{site_url}/index.html", locale="ja-JP")  # no Japanese: the chooser
    assert page.evaluate("getComputedStyle(document.querySelector('.language-choice ul')).display") == "grid"
    assert page.evaluate("getComputedStyle(document.querySelector('.language-name')).fontWeight") == "700"
    arabic = page.locator(".language-choice a[lang=ar]")
    assert arabic.evaluate("a => getComputedStyle(a).direction") == "rtl"
    assert arabic.inner_text().split("\n") == ["العربية", "اقرأ المقالات باللغة العربية"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chooser-desktop.png"))
    assert not errors


def test_screenshots_of_the_article_in_three_languages(site_url, open_page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "es", "ar"):
        for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page, errors = open_page(f"{site_url}/{lang}/{ARTICLE}.html", viewport)
            path = ARTIFACTS / f"{ARTICLE}-{lang}-{size}.png"
            page.screenshot(path=str(path))
            assert path.stat().st_size > 10_000 and not errors
