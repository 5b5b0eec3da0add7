"""The shared parser's shortcuts give exactly what markdown-it-py itself gives."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.parser_inline import ParserInline

from pipeline import markdown
from pipeline.conformance import SPECS, load_examples


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


# --- parsing without the block rules a text gives no chance -------------------------------

CONFORMANCE = Path(__file__).resolve().parents[1].parent / "shared" / "conformance"
SPEC_TEXTS = [example["markdown"] for spec in SPECS if (CONFORMANCE / f"{spec}.json").is_file()
              for example in load_examples(CONFORMANCE, spec)]
FRONT = "---\ntitle: A page\ndescription: x\n---\n"


def _tokens(tokens: list) -> list[dict]:
    return [token.as_dict() for token in tokens]


@functools.cache
def _reference(inline: bool) -> MarkdownIt:
    """The project's parser with every block rule and markdown-it's own text terminators."""
    md = markdown._new_parser.__wrapped__(inline, frozenset())
    md.inline.terminator_re = ParserInline().terminator_re
    return md


def _same_as_whole_parser(text: str) -> None:
    for inline in (True, False):
        env: dict = {}
        expected = _reference(inline).parse(text, env)
        got = markdown.parse_with_env(text, inline)
        assert _tokens(got.tokens) == _tokens(expected), text
        assert _without_empty_footnotes(got.env) == _without_empty_footnotes(env), text


def _without_empty_footnotes(env: dict) -> str:
    """The env, less the empty footnote table that mdit-py-plugins' footnote_ref rule
    adds whenever it is merely tried (also at characters it can never match)."""
    if env.get("footnotes") == {"refs": {}, "list": {}}:
        env = {key: value for key, value in env.items() if key != "footnotes"}
    return repr(env)


def test_spec_examples_parse_as_with_every_rule() -> None:
    if not SPEC_TEXTS:
        pytest.skip(f"the spec examples are not in {CONFORMANCE}")
    for text in SPEC_TEXTS:
        normalized = markdown.normalize(text)
        for variant in (normalized, FRONT + normalized, FRONT + "\n" + normalized):
            _same_as_whole_parser(variant)


@pytest.mark.parametrize("text", [
    FRONT + "Title\n---\n",                      # a setext heading after front matter
    FRONT + "Title\n===\n",
    "---\ntitle: x\n...\nTitle\n---\n",           # front matter closed by "...": the --- underlines
    "---\ntitle: x\n----\nTitle\n---\n",          # closed by ----
    "---\ntitle: x\n---",                         # no final newline
    "---\ntitle: x\n===\n",                       # no front matter (not closed): a heading
    "---\nTitle\n===",
    "---\ntitle: x\n  ---\nText\n---\n",
    "> quote\n> ===\n",
    "- item\n  text\n  ---\n",
    "Text\n\t===\n",
    "---\r\ntitle: x\r\n---\r\nTitle\r\n---\r\n",  # line ends markdown-it normalizes
    "Title\r---\r",
    "A NUL \0 character\n===\n",                # markdown-it replaces it: not skipped
    "A claim^[An inline *footnote*.] and a reference[^1].\n\n[^1]: The note.\n",
    "Prose - with: hyphens = signs + more % and @ {braces} $ # > ~~struck~~ & &amp; \\* done\n",
])
def test_setext_headings_are_found(text: str) -> None:
    _same_as_whole_parser(text)
    _same_as_whole_parser(markdown.normalize(text))


_PIECES = st.sampled_from(["---", "...", "===", "----", "  ---", "> ", "- ", "Text", "title: x",
                           "```", "~~~", "<div>", "[a]: /u", "[^1]: note", "[^1]", "", "    code",
                           "| a | b |", "|---|---|", "# H", ":::disclaimer", ":::", "^[note]",
                           " - ", ":", "*em*", "~~s~~", "&amp;", "\\", "<b>", "[l](/u)", "![i](/i)"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PIECES, min_size=1, max_size=3).map("".join), max_size=12).map("\n".join))
def test_generated_documents_parse_as_with_every_rule(text: str) -> None:
    _same_as_whole_parser(text)
