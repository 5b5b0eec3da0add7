"""The shared parser gives exactly the tokens stock markdown-it-py gives (with the same
plugins), its wrapped block rules and its shortcuts notwithstanding."""

from __future__ import annotations

import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from pipeline import markdown
from tools.conformance import SPECS, load_examples


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
    assert markdown.parser().render(source) == _stock(True).render(source)


@functools.cache
def _stock(inline: bool) -> MarkdownIt:
    """markdown-it-py with the project's syntax as mdit-py-plugins ships it, and nothing
    else of the project's: no position recording, no disclaimer comments, no shortcuts.
    ``inline=False``: markdown-it's own core rule ``inline`` switched off."""
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(front_matter_plugin).use(footnote_plugin).use(container_plugin, name="disclaimer")
    if not inline:
        md.core.ruler.disable("inline")
    return md


# --- the block rules are stock markdown-it's, wrapped -----------------------------------

def _chain(md: MarkdownIt, chain: str) -> list[str]:
    """The names of the block rules markdown-it tries in ``chain``, in order."""
    names = {rule.fn: rule.name for rule in md.block.ruler.__rules__}
    return [names[fn] for fn in md.block.ruler.getRules(chain)]


@pytest.mark.parametrize("inline", [True, False])
@pytest.mark.parametrize("chain", ["", *markdown._TERMINATOR_CHAINS])
def test_block_rules_keep_their_terminator_chains(chain: str, inline: bool) -> None:
    # Wrapping a rule to record positions once dropped it from the chains through which
    # an ATX heading or a table ends a paragraph (CommonMark example 78).
    assert _chain(markdown.parser(inline), chain) == _chain(_stock(inline), chain)


def test_the_terminator_chains_are_all_there_are() -> None:
    chains = {chain for rule in _stock(True).block.ruler.__rules__ for chain in rule.alt}
    assert chains == set(markdown._TERMINATOR_CHAINS)


# --- parsing without the block rules a text gives no chance, and the other shortcuts -----

SPEC_TEXTS = [example["markdown"] for spec in SPECS for example in load_examples(spec)]
FRONT = "---\ntitle: A page\ndescription: x\n---\n"


def _tokens(tokens: list[Token]) -> list[dict]:
    """The tokens as dicts, without the source positions the project adds to inline tokens."""
    return [{**token, "meta": {key: value for key, value in token["meta"].items() if key != "lines"}}
            for token in (token.as_dict() for token in tokens)]


def _same_as_stock(text: str) -> None:
    """The project's parse of ``text`` (the parser :func:`markdown._parser_for` picks, its
    link normalization and text terminators) gives stock markdown-it's tokens and env.

    Stock has no disclaimer-comment rule: no text here holds ``<!-- disclaimer -->``."""
    for inline in (True, False):
        env: dict = {}
        expected = _stock(inline).parse(text, env)
        got = markdown.parse_with_env(text, inline)
        assert _tokens(got.tokens) == _tokens(expected), text
        assert _without_empty_footnotes(got.env) == _without_empty_footnotes(env), text


def _without_empty_footnotes(env: dict) -> str:
    """The env, less the empty footnote table that mdit-py-plugins' footnote_ref rule
    adds whenever it is merely tried (also at characters it can never match)."""
    if env.get("footnotes") == {"refs": {}, "list": {}}:
        env = {key: value for key, value in env.items() if key != "footnotes"}
    return repr(env)


def test_spec_examples_parse_as_with_stock_markdown_it() -> None:
    assert len(SPEC_TEXTS) == 702
    for text in SPEC_TEXTS:
        normalized = markdown.normalize(text)
        for variant in (text, normalized, FRONT + normalized, FRONT + "\n" + normalized):
            _same_as_stock(variant)


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
    _same_as_stock(text)
    _same_as_stock(markdown.normalize(text))


_PIECES = st.sampled_from(["---", "...", "===", "----", "  ---", "> ", "- ", "Text", "title: x",
                           "```", "~~~", "<div>", "[a]: /u", "[^1]: note", "[^1]", "", "    code",
                           "| a | b |", "|---|---|", "# H", ":::disclaimer", ":::", "^[note]",
                           " - ", ":", "*em*", "~~s~~", "&amp;", "\\", "<b>", "[l](/u)", "![i](/i)"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PIECES, min_size=1, max_size=3).map("".join), max_size=12).map("\n".join))
def test_generated_documents_parse_as_with_stock_markdown_it(text: str) -> None:
    _same_as_stock(text)
