"""The shared parser's shortcuts give exactly what markdown-it-py itself gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.common.normalize_url import normalizeLink

from pipeline import markdown


@settings(max_examples=500, deadline=None)
@given(st.from_regex(markdown._PLAIN_URL, fullmatch=True))
def test_a_plain_address_is_one_markdown_it_leaves_unchanged(url: str) -> None:
    assert normalizeLink(url) == url


@pytest.mark.parametrize("url", [
    "https://health.example.org/topics/ketamine?ref=12#risks",
    "/relative/page.html",
    "HTTPS://Example.ORG:8080/A%20B",
    "https://bücher.example/ä ö",   # punycode host, encoded path
    "mailto:Editor@Example.org",     # not http: kept as markdown-it keeps it
    "https://@example.org/",          # an empty user: markdown-it drops the @
    "http://[::1]:80/x",
    "javascript:alert(1)",
    "100%-natural",                   # a bare % is encoded
])
def test_links_render_as_with_stock_markdown_it(url: str) -> None:
    source = f"[text](<{url}>) and <{url}>\n"
    assert markdown.parser().render(source) == _stock().render(source)


def _stock():
    """markdown-it-py with the same rules but its own link normalization."""
    from markdown_it import MarkdownIt
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])
