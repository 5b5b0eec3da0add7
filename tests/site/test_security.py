"""Translations are untrusted: no script, event handler or unsafe URL from a catalog reaches a page.

The payloads are markdown-it's XSS fixtures (test/fixtures/markdown-it/xss.txt)
and classic raw-HTML attacks, each put in as the translation of a real segment
of the article, an ordinary paragraph and a disclaimer, even with every
no-*-check flag a translator could add.
"""

from __future__ import annotations

from pathlib import Path

import html5lib
import polib
import pytest

from conftest import ARTICLE

ES_PO = Path("locales/es/LC_MESSAGES") / f"{ARTICLE}.po"
ORDINARY = "Ketamine can also promote"
DISCLAIMER = "If you are struggling"

XSS = [
    "[xss link](javascript:alert(1))",
    "[xss link](JAVASCRIPT:alert(1))",
    "[xss link](vbscript:alert(1))",
    "[xss link](file:///123)",
    "[xss link](&#34;&#62;&#60;script&#62;alert&#40;&#34;xss&#34;&#41;&#60;/script&#62;)",
    "[xss link](&#74;avascript:alert(1))",
    "[xss link](&#x26;#74;avascript:alert(1))",
    "[xss link](\\&#74;avascript:alert(1))",
    "[xss link](<javascript:alert(1)>)",
    "[xss link](javascript&#x3A;alert(1))",
    "[xss link](data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K)",
    "![xss link](javascript:alert(1))",
    "<javascript&#x3A;alert(1)>",
    "<javascript:alert(1)>",
    "[test]: javascript:alert(1)",
    "<script>alert(1)</script>",
    "Texto <img src=x onerror=alert(1)> más texto",
    '<a href="javascript:alert(1)">clic</a>',
    "<iframe src=https://evil.example></iframe>",
    "Texto\n\n<script>alert(1)</script>",
    '<div onmouseover="alert(1)">x</div>',
    "<svg/onload=alert(1)>",
    "[clic](https://evil.example/phish)",
]
FLAGS = ["no-link-check", "no-html-check", "no-code-check", "no-emphasis-check"]
SAFE_SCHEMES = ("http:", "https:", "mailto:", "#", "../", "./", "index.html")
ALLOWED_TAGS = {"html", "head", "body", "meta", "title", "link", "header", "nav", "main", "article",
                "footer", "aside", "section", "p", "a", "span", "ul", "ol", "li", "h1", "h2", "h3",
                "h4", "h5", "h6", "em", "strong", "code", "pre", "blockquote", "table", "thead",
                "tbody", "tr", "th", "td", "br", "hr", "img", "s", "sup", "sub", "div"}


def _inject(project: Path, start: str, payload: str) -> None:
    po = polib.pofile(str(project / ES_PO))
    entry = next(e for e in po if e.msgid.startswith(start))
    entry.msgstr = payload
    entry.flags = list(FLAGS)
    po.save(str(project / ES_PO))


def _unsafe_things(html: str) -> list[str]:
    """An allow-list sanitizer's verdict: what it would have to remove."""
    found = []
    for element in html5lib.parse(html, namespaceHTMLElements=False).iter():
        if element.tag not in ALLOWED_TAGS:
            found.append(f"<{element.tag}>")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{element.tag}@{name}")
            if name in ("href", "src") and not value.startswith(SAFE_SCHEMES):
                found.append(f"{element.tag}@{name}={value}")
            if name == "href" and "evil.example" in value:
                found.append(f"injected link {value}")
    return found


@pytest.mark.parametrize("payload", XSS)
def test_xss_payload_as_a_translation_never_reaches_a_page(project, cli, payload):
    _inject(project, ORDINARY, payload)
    result = cli(project, "build")
    assert result.code == 1 or "error" not in result.err  # refused with an error, or harmless
    for page in (project / "output").rglob(f"{ARTICLE}.html"):
        assert _unsafe_things(page.read_text(encoding="utf-8")) == [], page


@pytest.mark.parametrize("payload", XSS[15:21])  # raw HTML the parser recognises as such
def test_xss_in_a_disclaimer_withholds_the_page(project, cli, payload):
    _inject(project, DISCLAIMER, payload)
    result = cli(project, "build")
    assert result.code == 1
    assert not (project / "output/es" / f"{ARTICLE}.html").exists()
    for page in (project / "output").rglob("*.html"):
        assert _unsafe_things(page.read_text(encoding="utf-8")) == [] or page.name == "index.html"
