"""The published site as readers and search engines get it: valid pages, sitemap, live preview."""

from __future__ import annotations

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


def test_index_pages_list_translated_titles(site):
    spanish = (site / "es/index.html").read_text(encoding="utf-8")
    assert "Ketamina para la ansiedad" in spanish and "<h1>Artículos</h1>" in spanish
    root = (site / "index.html").read_text(encoding="utf-8")
    for lang, name in zip(LANGS, ["English", "Español", "Deutsch", "Français", "العربية"]):
        assert f'<a href="{lang}/index.html" lang="{lang}"' in root and f">{name}</a>" in root


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
