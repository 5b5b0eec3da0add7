"""The published site as readers and search engines get it: valid pages, sitemap, live preview."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import polib
import pytest

from conftest import ARTICLE

LANGS = ["en", "es", "de", "fr", "ar"]


@pytest.fixture
def site(project, cli) -> Path:
    assert cli(project, "build").code == 0
    return project / "output"


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_is_valid_html5(site):
    pages = _pages(site)
    assert len(pages) == 1 + 2 * len(LANGS)
    for page in pages:
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        parser.parse(page.read_bytes())  # raises on any parse error
        assert not parser.errors, f"{page}: {parser.errors}"


def test_pages_pass_basic_accessibility_checks(site):
    for page in _pages(site):
        tree = html5lib.parse(page.read_text(encoding="utf-8"), namespaceHTMLElements=False)
        assert len(tree.findall(".//h1")) == 1, page
        assert tree.find(".//main") is not None, page
        assert tree.get("lang"), page
        for image in tree.findall(".//img"):
            assert image.get("alt"), f"{page}: image without alt text"
        if page.name == f"{ARTICLE}.html":
            assert tree.find(".//header") is not None and tree.find(".//footer") is not None
            asides = tree.findall(".//aside")
            assert asides and all(a.get("role") == "note" and a.get("aria-label") for a in asides)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_stylesheet_colours_have_sufficient_contrast_and_mirror(site):
    css = (site / "assets/site.css").read_text()
    colour = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = [("text", "#ffffff"), ("muted", "#ffffff"), ("accent", "#ffffff"), ("text", colour["warn-bg"]),
             ("accent", "#eef4fb"), ("warn-title", colour["warn-bg"])]
    for foreground, background in pairs:
        ratio = _contrast(colour[foreground], background)
        assert ratio >= 4.5, f"{foreground} on {background}: {ratio:.2f}"
    assert not re.search(r"(?:margin|padding|border)-(?:left|right)|\b(?:left|right):", css)


def test_sitemap_lists_every_page_with_its_hreflang_alternates(site):
    root = ET.parse(site / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = root.findall("s:url", ns)
    locs = {u.find("s:loc", ns).text for u in urls}
    assert locs == {f"https://health.example.org/{lang}/{ARTICLE}.html" for lang in LANGS}
    for url in urls:
        links = {l.get("hreflang"): l.get("href") for l in url.findall("x:link", ns)}
        assert set(links) == {*LANGS, "x-default"}
        assert links["x-default"].endswith(f"/en/{ARTICLE}.html")


def _tree(path: Path):
    return html5lib.parse(path.read_text(encoding="utf-8"), namespaceHTMLElements=False)


def _text(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


NATIVE = {"en": "English", "es": "Español", "de": "Deutsch", "fr": "Français", "ar": "العربية"}


def test_index_pages_list_translated_titles(site):
    spanish = (site / "es/index.html").read_text(encoding="utf-8")
    assert "Ketamina para la ansiedad" in spanish and "<h1>Artículos</h1>" in spanish


def test_a_chrome_translation_is_shown_as_text_never_as_markup(project, cli):
    site_po = project / "locales/es/LC_MESSAGES/_site.po"
    site_po.write_text(site_po.read_text("utf-8").replace(
        'msgstr "Artículos de salud"', 'msgstr "Salud <3 & bienestar &amp; más"'), "utf-8")
    assert cli(project, "build").code == 0
    for page in ("es/index.html", f"es/{ARTICLE}.html"):
        name = _tree(project / "output" / page).find(".//p[@class='site-name']/a")
        assert _text(name) == "Salud <3 & bienestar &amp; más" and not list(name), page
    chooser = _tree(project / "output/index.html").findall(".//nav[@class='language-choice']//a")
    assert _text(chooser[1]) == "Español Leer los artículos en español"


# Each language's entry on the chooser page, in its own words.
INVITATIONS = {"en": "Read the articles in English", "es": "Leer los artículos en español",
               "de": "Die Artikel auf Deutsch lesen", "fr": "Lire les articles en français",
               "ar": "اقرأ المقالات باللغة العربية"}


def test_the_chooser_page_offers_each_language_in_its_own_words(site):
    root = _tree(site / "index.html")
    assert root.find(".//link[@rel='stylesheet']").get("href") == "assets/site.css"
    entries = root.findall(".//nav[@class='language-choice']//a")
    assert [a.get("hreflang") for a in entries] == LANGS  # the configured order
    for entry, lang in zip(entries, LANGS):
        assert entry.get("href") == f"{lang}/index.html" and entry.get("lang") == lang
        assert entry.get("dir") == ("rtl" if lang == "ar" else "ltr")
        assert _text(entry) == f"{NATIVE[lang]} {INVITATIONS[lang]}"
        assert not entry.findall(".//*[@lang]")  # no part of it falls back to English


def test_every_language_index_carries_the_language_switcher(site):
    for lang in LANGS:
        switcher = _tree(site / lang / "index.html").find(".//nav[@class='language-switcher']")
        assert switcher is not None, lang
        links = switcher.findall(".//a")
        assert [(a.get("hreflang"), a.get("lang"), _text(a)) for a in links] == \
            [(code, code, NATIVE[code]) for code in LANGS]
        assert [a.get("href") for a in links] == [f"../{code}/index.html" for code in LANGS]
        assert [a.get("aria-current") for a in links] == ["page" if c == lang else None for c in LANGS]


def test_a_withheld_language_leaves_every_switcher_and_the_chooser(project, cli):
    po_path = project / "locales/ar/LC_MESSAGES" / f"{ARTICLE}.po"
    po = polib.pofile(str(po_path))
    next(e for e in po if e.msgid.startswith("Ketamine is not a cure")).flags.append("fuzzy")
    po.save(str(po_path))
    assert cli(project, "build").code == 1
    site = project / "output"
    published = [lang for lang in LANGS if lang != "ar"]
    for lang in published:
        links = _tree(site / lang / "index.html").findall(".//nav[@class='language-switcher']//a")
        assert [a.get("hreflang") for a in links] == published
    chooser = _tree(site / "index.html").findall(".//nav[@class='language-choice']//a")
    assert [a.get("hreflang") for a in chooser] == published
    assert "ar" not in _negotiation_table(site)


def test_language_lists_are_joined_as_each_language_joins_them(site):
    """"Also available in" names the other languages as the page's language writes a list
    (Babel's format_list, from CLDR): no English ", " between Arabic words."""
    from babel.lists import format_list

    for lang in LANGS:
        others = _tree(site / lang / "index.html").find(".//p[@class='others']")
        names = [NATIVE[code] for code in LANGS if code != lang]
        assert [a.get("hreflang") for a in others.findall("a")] == [c for c in LANGS if c != lang]
        joined = format_list(names, locale=lang)
        assert _text(others).endswith(" " + joined), (lang, _text(others))
    arabic = _text(_tree(site / "ar/index.html").find(".//p[@class='others']"))
    assert ", " not in arabic


# The front page's choice, as browsers mean it: (the reader's navigator.languages, where they
# land; None: they stay on the chooser).  The site publishes en, then (configured) es, ar-XB,
# de, fr, ar, en-XA: a pseudo-locale comes before the real Arabic, which must still win.
NEGOTIATION_LOCALES = ["es", "ar-XB", "de", "fr", "ar", "en-XA"]
NEGOTIATION_CASES = [
    (["ar"], "ar"), (["ar-EG"], "ar"), (["AR-eg"], "ar"), (["ar-XB"], "ar-XB"),
    (["en-XA"], "en-XA"), (["en-GB"], "en"), (["en"], "en"), (["es-419", "en"], "es"),
    (["de-AT", "fr"], "de"), (["ja", "fr-CA", "de"], "fr"), (["ja"], None),
    (["pt-BR", "zh-Hant-TW"], None), (["zh-Hant-TW", "es"], "es"), (["en_US"], "en"),
]


@pytest.fixture
def multilingual_site(project, cli) -> Path:
    """The test project with the two pseudo-locales published beside the real languages."""
    for code in ("ar-XB", "en-XA"):
        assert cli(project, "pseudo", code).code == 0
    config = project / "pyproject.toml"
    config.write_text(re.sub(r"(?m)^locales = .*$", f"locales = {NEGOTIATION_LOCALES!r}".replace("'", '"'),
                             config.read_text("utf-8")), "utf-8")
    assert cli(project, "build").code == 0
    return project / "output"


def _negotiation_table(site: Path) -> dict:
    script = _tree(site / "index.html").find(".//script").text
    return json.loads(re.search(r"var table = (\{.*?\});", script).group(1))


def land(table: dict, wanted: list[str]) -> str | None:
    """The front page script's walk over its table (root.html), in Python: each tag of the
    reader's in turn, whole, then shortened subtag by subtag (RFC 4647 lookup)."""
    for tag in wanted:
        subtags = tag.lower().replace("_", "-").split("-")
        for n in range(len(subtags), 0, -1):
            if "-".join(subtags[:n]) in table:
                return table["-".join(subtags[:n])].removesuffix("/index.html")
    return None


def test_the_front_page_negotiates_as_browsers_mean_it(multilingual_site):
    """The same cases run in Chromium (tests/site/test_browser.py), through the page's own script."""
    table = _negotiation_table(multilingual_site)
    assert {wanted[0]: land(table, wanted) for wanted, _ in NEGOTIATION_CASES} == \
        {wanted[0]: expected for wanted, expected in NEGOTIATION_CASES}


@pytest.mark.parametrize("order, expected", [(("en", "pt_PT", "pt_BR"), "pt_PT"),
                                             (("en", "pt_BR", "pt_PT"), "pt_BR")])
def test_a_language_subtag_goes_to_the_first_configured_language_of_it(order, expected):
    from pipeline.languages import language
    from pipeline.site.model import Site

    site = Site(order=order)
    for code in reversed(order):  # added in another order than configured
        site.add("doc", language(code), "", None)
    table = site.negotiation()
    assert land(table, ["pt"]) == expected and land(table, ["pt-AO"]) == expected
    assert land(table, ["pt-BR"]) == "pt_BR" and land(table, ["pt-PT"]) == "pt_PT"


def test_a_reader_of_a_language_never_lands_on_its_pseudo_locale():
    from pipeline.languages import language
    from pipeline.site.model import Site

    site = Site(order=("en", "ar-XB", "en-XA"))
    for code in ("en", "ar-XB", "en-XA"):
        site.add("doc", language(code), "", None)
    table = site.negotiation()
    assert land(table, ["ar"]) is None and land(table, ["ar-SA", "fr"]) is None
    assert land(table, ["ar-XB"]) == "ar-XB" and land(table, ["en-XA"]) == "en-XA"
    assert land(table, ["en-GB"]) == "en"


def test_a_withheld_page_disappears_from_sitemap_and_switchers(project, cli):
    po_path = project / "locales/ar/LC_MESSAGES" / f"{ARTICLE}.po"
    po = polib.pofile(str(po_path))
    next(e for e in po if e.msgid.startswith("Ketamine is not a cure")).flags.append("fuzzy")
    po.save(str(po_path))
    cli(project, "build")
    assert "/ar/" not in (project / "output/sitemap.xml").read_text()
    assert 'hreflang="ar"' not in (project / "output/fr" / f"{ARTICLE}.html").read_text(encoding="utf-8")


def test_untranslated_passages_are_marked_in_the_source_language(project, cli):
    po_path = project / "locales/ar/LC_MESSAGES" / f"{ARTICLE}.po"
    po = polib.pofile(str(po_path))
    po.find("Conclusion").msgstr = ""
    po.save(str(po_path))
    cli(project, "build")
    page = (project / "output/ar" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert '<h2 lang="en" dir="ltr">Conclusion</h2>' in page
    assert 'class="notice"' in page


NOTICE = ("This page is partly translated: %(count)d of its %(total)d passages is still in %(language)s.",
          "This page is partly translated: %(count)d of its %(total)d passages are still in %(language)s.")


@pytest.mark.slow
@pytest.mark.parametrize("count", [1, 2, 3, 11])  # Arabic's forms "one", "two", "few", "many"
def test_the_chrome_takes_the_plural_form_gnu_gettext_takes(project, cli, tmp_path, count):
    """The notice of a partly translated Arabic page, against GNU gettext's own `ngettext`
    over the msgfmt-compiled chrome catalog (the plural rule of its header)."""
    po_path = project / "locales/ar/LC_MESSAGES" / f"{ARTICLE}.po"
    po = polib.pofile(str(po_path))
    ordinary = sorted((e for e in po if e.msgstr and not e.msgctxt and "DISCLAIMER" not in e.comment
                       and len(e.occurrences) == 1),  # one passage each
                      key=lambda e: len(e.msgid))
    for entry in ordinary[:count]:
        entry.msgstr = ""
    po.save(str(po_path))
    assert cli(project, "build").code == 0
    notice = _text(_tree(project / "output/ar" / f"{ARTICLE}.html").find(".//p[@class='notice']"))
    mo = tmp_path / "mo/ar/LC_MESSAGES/_site.mo"
    mo.parent.mkdir(parents=True)
    subprocess.run(["msgfmt", "--check", "-o", str(mo), str(project / "locales/ar/LC_MESSAGES/_site.po")],
                   check=True)
    form = subprocess.run(["ngettext", "-d", "_site", *NOTICE, str(count)], check=True, text=True,
                          capture_output=True, env={"LC_ALL": "C.UTF-8", "LANGUAGE": "ar",
                                                    "TEXTDOMAINDIR": str(tmp_path / "mo")}).stdout
    assert form not in NOTICE  # GNU gettext found the Arabic
    pattern = re.escape(form).replace(re.escape("%(count)d"), str(count))
    pattern = pattern.replace(re.escape("%(total)d"), r"\d+").replace(re.escape("%(language)s"), "الإنجليزية")
    assert re.fullmatch(pattern, notice), (notice, form)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return None


@pytest.mark.slow
def test_serve_shows_a_translator_edit_without_restart(project):
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "pipeline", "-C", str(project), "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/es/{ARTICLE}.html"
    try:
        page = _wait_for(lambda: _fetch(url), 30)
        assert page and "<h2>Conclusión</h2>" in page
        po_path = project / "locales/es/LC_MESSAGES" / f"{ARTICLE}.po"
        po = polib.pofile(str(po_path))
        po.find("Conclusion").msgstr = "En resumen"
        po.save(str(po_path))
        started = time.monotonic()
        assert _wait_for(lambda: "<h2>En resumen</h2>" in (_fetch(url) or ""), 15), "edit never shown"
        assert time.monotonic() - started < 5
        site_po = project / "locales/es/LC_MESSAGES/_site.po"  # the page chrome, same process
        site_po.write_text(site_po.read_text("utf-8").replace('msgstr "Aviso médico"',
                                                              'msgstr "Advertencia médica"'), "utf-8")
        assert _wait_for(lambda: "Advertencia médica" in (_fetch(url) or ""), 15), "chrome edit never shown"
    finally:
        server.terminate()
        server.wait(10)


def _get(url: str) -> tuple[int, str]:
    """(status, body) of a GET, error statuses included; (0, "") if nothing answers."""
    import urllib.error

    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")
    except OSError:
        return 0, ""


@pytest.mark.slow
def test_serve_shows_a_failed_rebuild_in_place_of_the_affected_pages_only(project):
    """A broken catalog, a broken front matter, a broken configuration: each is told in the
    terminal and on the pages it concerns (the one-line diagnostic); the other pages keep
    being served from the last good build, and the server never stops."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "pipeline", "-C", str(project), "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    es, fr, en = (f"{base}/{lang}/{ARTICLE}.html" for lang in ("es", "fr", "en"))
    po_path = project / "locales/es/LC_MESSAGES" / f"{ARTICLE}.po"
    source = project / "source" / f"{ARTICLE}.md"
    config = project / "pyproject.toml"
    good = {path: path.read_text("utf-8") for path in (po_path, source, config)}

    def shown(url: str, status: int, text: str) -> bool:
        return _wait_for(lambda: (lambda got: got[0] == status and text in got[1])(_get(url)), 20)

    try:
        assert shown(es, 200, "<h2>Conclusión</h2>")
        po_path.write_text(good[po_path].replace('msgstr "Conclusión"', 'msgstr "Conclusión'), "utf-8")
        assert shown(es, 500, "error: catalog-syntax: end-of-line within string")
        status, page = _get(es)
        assert f"locales/es/LC_MESSAGES/{ARTICLE}.po:" in page
        assert html5lib.parse(page, namespaceHTMLElements=False).find(".//code") is not None
        assert _get(fr)[0] == 200 and "Conclusion" in _get(fr)[1] and _get(f"{base}/de/index.html")[0] == 200
        po_path.write_text(good[po_path], "utf-8")
        assert shown(es, 200, "<h2>Conclusión</h2>")

        source.write_text(good[source].replace("title:", "title: [unclosed", 1), "utf-8")
        assert shown(en, 500, "error: front-matter: invalid YAML front matter")
        assert shown(es, 500, "error: front-matter:")
        source.write_text(good[source], "utf-8")
        assert shown(en, 200, "<h1")

        config.write_text(good[config].replace('locales = ["es"', 'locales = "es"  # ["es"'), "utf-8")
        assert shown(fr, 500, "pyproject.toml:")
        assert shown(f"{base}/", 500, "error: config:")
        assert _get(f"{base}/assets/site.css")[0] == 200  # the error pages keep their style
        config.write_text(good[config], "utf-8")
        assert shown(fr, 200, "Conclusion") and shown(es, 200, "<h2>Conclusión</h2>")
        assert server.poll() is None
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "Traceback" not in output
    for expected in ("error: catalog-syntax: end-of-line within string", "error: front-matter:",
                     "pyproject.toml:"):
        assert expected in output, output


def test_the_preview_tells_why_a_page_is_withheld(project):
    """In place of a page the checks withheld, the preview answers 404 with the reasons (a
    valid page), and serves the rest as built."""
    import functools
    import threading
    from http.server import ThreadingHTTPServer

    from pipeline.commands.build import build
    from pipeline.project import config
    from pipeline.session import Session
    from pipeline.site.serve import Failures, Preview, SiteHandler

    po_path = project / "locales/ar/LC_MESSAGES" / f"{ARTICLE}.po"
    po = polib.pofile(str(po_path))
    next(e for e in po if e.msgid.startswith("Ketamine is not a cure")).flags.append("fuzzy")
    po.save(str(po_path))
    preview = Preview()
    preview.failures = Failures.of_outcome(build(Session(config.load(str(project)))))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(
        SiteHandler, directory=str(project / "output"), preview=preview))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        for path in (f"/ar/{ARTICLE}.html", "/ar/index.html", "/ar/"):
            status, page = _get(base + path)
            assert status == 404 and "Page withheld" in page, path
            assert f"locales/ar/LC_MESSAGES/{ARTICLE}.po:" in page and "error: disclaimer-fuzzy:" in page
            parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
            parser.parse(page)
            assert not parser.errors
        assert _get(f"{base}/fr/{ARTICLE}.html")[0] == 200 and _get(f"{base}/nothing.html")[0] == 404
    finally:
        server.shutdown()
        server.server_close()


def test_a_crashing_rebuild_is_reported_and_shown_not_raised():
    """Whatever a rebuild raises (here a bug, in place of the session), serve reports it as
    one line and shows it on every page instead of stopping."""
    from pipeline.diagnostics import PipelineError
    from pipeline.site.serve import Preview, _build

    def start():
        raise RuntimeError("boom")

    heard, preview = [], Preview()
    _build(start, heard.append, preview)
    assert [str(h) for h in heard] == ["pipeline: error: internal: RuntimeError: boom"]
    assert isinstance(heard[0], PipelineError)
    assert preview.failures.of("es/index.html") == preview.failures.of("index.html") == [str(heard[0])]
    assert preview.failures.of("assets/site.css") == []


@pytest.fixture
def preview(project, cli):
    """The preview server's handler over a built site, on a free port of 127.0.0.1."""
    import functools
    import threading
    from http.server import ThreadingHTTPServer

    from pipeline.site.serve import SiteHandler

    assert cli(project, "build").code == 0
    (project / "output/.name.123-4.tmp").write_text("half-written", "utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(SiteHandler, directory=str(project / "output")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _status(port: int, path: str, host: str | None = None) -> int:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host or f"127.0.0.1:{port}")
    connection.endheaders()
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.mark.parametrize("path, status", [
    (f"/es/{ARTICLE}.html", 200), ("/assets/site.css", 200), ("/", 200),
    ("/.manifest.json", 404), ("/output/.name.123-4.tmp", 404), ("/.name.123-4.tmp", 404),
    ("/assets/", 404), ("/es/%00.html", 400), ("/es/..%5c..%5cpyproject.toml", 400),
])
def test_the_preview_serves_the_site_only(preview, path, status):
    assert _status(preview, path) == status


@pytest.mark.parametrize("host, status", [("localhost", 200), ("evil.example", 421),
                                          ("127.0.0.1.evil.example", 421), ("[::1]", 421)])
def test_the_preview_refuses_other_hosts(preview, host, status):
    """DNS rebinding: a page of evil.example whose name resolves to 127.0.0.1 sends its own Host."""
    assert _status(preview, "/", f"{host}:{preview}") == status
