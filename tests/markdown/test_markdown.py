"""The project's parser gives exactly the tokens and HTML stock markdown-it-py gives (with
the same mdit-py-plugins), its wrapped block rules and its speed shortcuts notwithstanding,
with the shortcuts on and off; and it keeps doing so when inline plugins are added."""

from __future__ import annotations

import filecmp
import functools
import importlib
import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from pipeline import markdown
from pipeline.markdown import positions, shortcuts
from pipeline.pseudo import OBSERVER, observing, observing_parser
from tools.conformance import SPECS, load_examples

SHORTCUTS = pytest.mark.parametrize("shortcuts_on", [True, False], ids=["shortcuts", "no-shortcuts"])


def _new_stock(inline: bool = True) -> MarkdownIt:
    """markdown-it-py with the project's syntax as mdit-py-plugins ships it, and nothing
    else of the project's: no position recording, no disclaimer comments, no shortcuts.
    ``inline=False``: markdown-it's own core rule ``inline`` switched off."""
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(front_matter_plugin).use(footnote_plugin).use(container_plugin, name="disclaimer")
    if not inline:
        md.core.ruler.disable("inline")
    return md


_stock = functools.cache(_new_stock)


@settings(max_examples=500, deadline=None)
@given(st.from_regex(shortcuts.PLAIN_URL, fullmatch=True))
def test_a_plain_address_is_one_markdown_it_leaves_unchanged(url: str) -> None:
    assert normalizeLink(url) == url


@SHORTCUTS
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
def test_links_render_as_with_stock_markdown_it(url: str, shortcuts_on: bool) -> None:
    source = f"[text](<{url}>) and <{url}>\n\n[ref]: <{url}>\n\n[ref]\n"
    assert markdown.parser(shortcuts=shortcuts_on).render(source) == _stock(True).render(source)


def test_link_normalization_is_the_parser_class_s_own_not_patched_on_a_shared_object() -> None:
    # markdown-it-py makes normalizeLink a method so that a subclass overrides it; nothing
    # is assigned on an instance that other code holds.
    for shortcuts_on in (True, False):
        for md in (markdown.parser(shortcuts=shortcuts_on), markdown.parser(False, shortcuts=shortcuts_on)):
            assert "normalizeLink" not in vars(md)
    assert type(markdown.parser(shortcuts=False)) is MarkdownIt


# --- the block rules are stock markdown-it's, wrapped -----------------------------------

def _chain(md: MarkdownIt, chain: str) -> list[str]:
    """The names of the block rules markdown-it tries in ``chain``, in order."""
    ruler = md.block.ruler
    names = dict(zip(ruler.getRules(""), ruler.get_active_rules()))
    return [names[fn] for fn in ruler.getRules(chain)]


@SHORTCUTS
@pytest.mark.parametrize("inline", [True, False])
@pytest.mark.parametrize("chain", ["", *positions.TERMINATOR_CHAINS])
def test_block_rules_keep_their_terminator_chains(chain: str, inline: bool, shortcuts_on: bool) -> None:
    # Wrapping a rule to record positions once dropped it from the chains through which
    # an ATX heading or a table ends a paragraph (CommonMark example 78).
    assert _chain(markdown.parser(inline, shortcuts_on), chain) == _chain(_stock(inline), chain)


def test_the_terminator_chains_are_all_there_are() -> None:
    # Ruler has no public list of chains: read stock's rules to see that none is missed.
    chains = {chain for rule in _stock(True).block.ruler.__rules__ for chain in rule.alt}
    assert chains == set(positions.TERMINATOR_CHAINS)


# --- tokens and HTML against stock markdown-it, shortcuts on and off ---------------------

SPEC_TEXTS = [example["markdown"] for spec in SPECS for example in load_examples(spec)]
FRONT = "---\ntitle: A page\ndescription: x\n---\n"


def _tokens(tokens: list[Token]) -> list[dict]:
    """The tokens as dicts, without the source positions the project adds to inline tokens."""
    return [{**token, "meta": {key: value for key, value in token["meta"].items() if key != "lines"}}
            for token in (token.as_dict() for token in tokens)]


def _same_as_stock(text: str, shortcuts_on: bool, html: bool = False) -> None:
    """The project's parse of ``text`` (by the parser it picks for ``text``) gives stock
    markdown-it's tokens and env, and, if ``html``, its HTML.

    Stock has no disclaimer-comment rule: no text here holds ``<!-- disclaimer -->``."""
    for inline in (True, False):
        env: dict = {}
        expected = _stock(inline).parse(text, env)
        got = markdown.parse_with_env(text, inline, shortcuts=shortcuts_on)
        assert _tokens(got.tokens) == _tokens(expected), text
        assert _without_empty_footnotes(got.env) == _without_empty_footnotes(env), text
        if html and inline:
            md = markdown.parser(shortcuts=shortcuts_on)
            assert (md.renderer.render(got.tokens, md.options, got.env)
                    == _stock(True).renderer.render(expected, _stock(True).options, env)), text


def _without_empty_footnotes(env: dict) -> str:
    """The env, less the empty footnote table that mdit-py-plugins' footnote_ref rule
    adds whenever it is merely tried (also at characters it can never match)."""
    if env.get("footnotes") == {"refs": {}, "list": {}}:
        env = {key: value for key, value in env.items() if key != "footnotes"}
    return repr(env)


@SHORTCUTS
def test_spec_examples_parse_and_render_as_with_stock_markdown_it(shortcuts_on: bool) -> None:
    assert len(SPEC_TEXTS) == 702
    for text in SPEC_TEXTS:
        normalized = markdown.normalize(text)
        for variant in (text, normalized, FRONT + normalized, FRONT + "\n" + normalized):
            _same_as_stock(variant, shortcuts_on, html=True)


@SHORTCUTS
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
    "A NUL \0 character\n===\n",                # markdown-it replaces it
    "A claim^[An inline *footnote*.] and a reference[^1].\n\n[^1]: The note.\n",
    "Prose - with: hyphens = signs + more % and @ {braces} $ # > ~~struck~~ & &amp; \\* done\n",
])
def test_setext_headings_are_found(text: str, shortcuts_on: bool) -> None:
    _same_as_stock(text, shortcuts_on, html=True)
    _same_as_stock(markdown.normalize(text), shortcuts_on, html=True)


_PIECES = st.sampled_from(["---", "...", "===", "----", "  ---", "> ", "- ", "Text", "title: x",
                           "```", "~~~", "<div>", "[a]: /u", "[^1]: note", "[^1]", "", "    code",
                           "| a | b |", "|---|---|", "# H", ":::disclaimer", ":::", "^[note]",
                           " - ", ":", "*em*", "~~s~~", "&amp;", "\\", "<b>", "[l](/u)", "![i](/i)",
                           "\r", "\0"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_PIECES, min_size=1, max_size=3).map("".join), max_size=12).map("\n".join))
def test_generated_documents_parse_as_with_stock_markdown_it(text: str) -> None:
    _same_as_stock(text, True)
    _same_as_stock(text, False)


# --- the shortcuts: they engage, they can be switched off, they stay bounded ------------

def test_a_plain_article_is_parsed_without_the_block_rules_it_gives_no_chance() -> None:
    text = "# Title\n\nA paragraph with *emphasis* and [a link](https://example.org/).\n"
    active = markdown.parsers(True).for_text(text).block.ruler.get_active_rules()
    assert {"lheading", "fence", "reference", "footnote_def", "html_block"}.isdisjoint(active)
    assert markdown.parsers(False).for_text(text) is markdown.parser(shortcuts=False)
    assert "lheading" in markdown.parser().block.ruler.get_active_rules()  # the shared one: whole


def test_the_default_is_the_shortcuts_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert markdown.parser() is markdown.parser(shortcuts=True)
    monkeypatch.setattr(shortcuts, "ON_BY_DEFAULT", False)  # PIPELINE_MARKDOWN_SHORTCUTS=0
    assert markdown.parser() is markdown.parser(shortcuts=False)
    assert type(markdown.parser()) is MarkdownIt
    assert "lheading" in markdown.parsers().for_text("Plain text.\n").block.ruler.get_active_rules()


def _text_allowing(rules: frozenset[str]) -> str:
    """A text that gives a chance to exactly the prunable block ``rules``."""
    pieces = {"fence": "```\ncode\n```\n", "reference": "[a]: /u\n\n[a]\n",
              "footnote_def": "[^1]: note\n", "html_block": "<div>\nhtml\n</div>\n",
              "lheading": "Title\n===\n"}
    return "Some *text* [a](/b).\n\n" + "\n".join(pieces[rule] for rule in sorted(rules))


def test_pruned_parsers_are_bounded_shared_unchanged_and_right() -> None:
    names = [name for name, _ in shortcuts.RULE_MARKS]
    combinations = [frozenset(c) for n in range(len(names) + 1) for c in itertools.combinations(names, n)]
    assert len(combinations) == 32
    parsers = markdown.Parsers(True)
    full = parsers.parser()
    before = (full.block.ruler.get_active_rules(), list(full.block.ruler.getRules("")))
    for _ in range(2):
        for allowed in combinations:
            text = _text_allowing(allowed)
            unneeded = frozenset(names) - allowed - ({"reference"} if "footnote_def" in allowed else set())
            assert shortcuts.unneeded_block_rules(text) == unneeded  # a [^1]: holds a ]:
            for inline in (True, False):
                md = parsers.for_text(text, inline)
                disabled = set(names) - set(md.block.ruler.get_active_rules())
                assert disabled <= unneeded  # never a rule the text needs
                env: dict = {}
                assert _tokens(md.parse(text, env)) == _tokens(_stock(inline).parse(text, {}))
    assert parsers.count() <= 2 + 2 * shortcuts.Pruned.LIMIT
    assert (full.block.ruler.get_active_rules(), list(full.block.ruler.getRules(""))) == before
    # a combination met after the limit still gets the parser pruning most of what it allows
    assert "lheading" not in parsers.for_text(_text_allowing(frozenset())).block.ruler.get_active_rules()


# --- inline rules added later: the text rule still stops where they start ----------------

def _token_rule(marker: str, kind: str):  # type: ignore[no-untyped-def]
    """A tiny inline rule of a third party's: ``marker`` becomes a ``kind`` token."""
    def rule(state: StateInline, silent: bool) -> bool:
        if not state.src.startswith(marker, state.pos):
            return False
        if not silent:
            state.push(kind, "", 0).markup = marker
        state.pos += len(marker)
        return True
    return rule


def _percent_plugin(md: MarkdownIt) -> None:
    """``%%``: a character markdown-it's text rule stops at, ours not."""
    md.inline.ruler.push("percent", _token_rule("%%", "percent"))


def _smiley_plugin(md: MarkdownIt) -> None:
    """``:)`` before the escape rule: ``:``, where linkify's rule starts."""
    md.inline.ruler.before("escape", "smiley", _token_rule(":)", "smiley"))


def _section_plugin(md: MarkdownIt) -> None:
    """``§``: a character markdown-it's text rule stops at only when told to."""
    md.inline.add_terminator_char("§")
    md.inline.ruler.push("section", _token_rule("§", "section"))


def _third_party_plugins() -> list:
    """mdit-py-plugins' own inline plugins that start at new characters, where the
    installed release has them (gfm_autolink since 0.5: ``w``, ``:``, ``@``;
    section_ref since 0.7: ``§``)."""
    found = []
    for module, name in (("gfm_autolink", "gfm_autolink_plugin"), ("section_ref", "section_ref_plugin")):
        try:
            found.append(getattr(importlib.import_module(f"mdit_py_plugins.{module}"), name))
        except ImportError:
            pass
    return found


PLUGINS = [_percent_plugin, _smiley_plugin, _section_plugin, *_third_party_plugins()]
PLUGIN_TEXT = ("Visit www.example.org: or https://example.org/a-b, write to me@example.org; "
               "see §1.2 and 50%%off :) -- *www.example.net* [www.example.com](/x) 100% done.\n\n"
               "| a | b |\n|---|---|\n| §3 :) | x%%y |\n")
_NEW_TOKENS = {"link_open", "section_ref", "section", "percent", "smiley"}


@pytest.mark.parametrize("plugins", [[plugin] for plugin in PLUGINS] + [PLUGINS],
                         ids=[plugin.__name__ for plugin in PLUGINS] + ["all"])
def test_an_inline_rule_added_later_gets_stock_tokens(plugins: list) -> None:
    ours, stock = markdown.new_parser(shortcuts=True), _new_stock()
    for plugin in plugins:
        ours.use(plugin)
        stock.use(plugin)
    expected = stock.parse(PLUGIN_TEXT)
    assert _tokens(ours.parse(PLUGIN_TEXT)) == _tokens(expected)
    assert _NEW_TOKENS & {child.type for token in expected for child in token.children or []}


def test_an_inline_rule_added_before_the_shortcuts_gets_stock_tokens() -> None:
    ours = markdown.configure(MarkdownIt("commonmark"))
    stock = _new_stock()
    for plugin in PLUGINS:
        ours.use(plugin)
        stock.use(plugin)
    ours.use(shortcuts.shortcuts_plugin)
    assert _tokens(ours.parse(PLUGIN_TEXT)) == _tokens(stock.parse(PLUGIN_TEXT))


def test_the_text_rule_stops_only_where_known_rules_start() -> None:
    md = markdown.parser(shortcuts=True)
    assert shortcuts.start_characters(md.inline.ruler.get_active_rules(),
                                      md.inline.ruler.getRules("")) == "\n!&*<[\\]^_`~"
    unknown = markdown.new_parser(shortcuts=True).use(_percent_plugin)
    assert shortcuts.start_characters(unknown.inline.ruler.get_active_rules(),
                                      unknown.inline.ruler.getRules("")) is None


# --- observing: the parser pseudo-localization reads prose with -------------------------

def test_observing_reports_each_rule_and_changes_no_token() -> None:
    text = "Talk to your *doctor* about [ketamine](https://example.org/ 'title') &amp; `code`.\n"
    seen: list[str] = []
    env = {OBSERVER: lambda rule, state, start, first: seen.append(rule)}
    shared = markdown.parser()
    rules_before = list(shared.inline.ruler.getRules(""))
    observed = observing_parser()
    assert observed is not shared
    assert _tokens(observed.parse(text, env)) == _tokens(markdown.parse(text))
    assert {"text", "emphasis", "link", "entity", "backticks"} <= set(seen)
    assert list(shared.inline.ruler.getRules("")) == rules_before  # the shared parser untouched
    stock = _new_stock().use(observing)
    assert stock.render(text, {OBSERVER: lambda *_: None}) == _stock(True).render(text)


# --- what a user sees: the same site, shortcuts on or off -------------------------------

_PROBE = ("import pipeline.markdown as m; "
          "print(type(m.parser()).__name__, 'lheading' in m.parsers().for_text('x\\n').block.ruler.get_active_rules())")


@pytest.mark.slow
def test_the_site_is_byte_for_byte_the_same_without_shortcuts(project: Path) -> None:
    twin = project.parent / "twin"
    shutil.copytree(project, twin)
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    off = {**environment, shortcuts.ENVIRONMENT_VARIABLE: "0"}
    for folder, env in ((project, environment), (twin, off)):
        done = subprocess.run([sys.executable, "-m", "pipeline", "-C", str(folder), "build"],
                              capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
    assert _differences(filecmp.dircmp(project / "output", twin / "output")) == []
    assert len(list((project / "output").rglob("*.html"))) > 5
    for env, expected in ((environment, "FastLinks False"), (off, "MarkdownIt True")):
        probe = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env)
        assert probe.stdout.split() == expected.split(), probe.stderr


def _differences(compared: filecmp.dircmp) -> list[str]:
    """The files that differ, or are on one side only (the build's manifest aside: it
    names the project's folder)."""
    found = compared.left_only + compared.right_only + compared.funny_files
    found += [name for name in compared.common_files if name != ".manifest.json"
              and not filecmp.cmp(Path(compared.left) / name, Path(compared.right) / name, shallow=False)]
    for sub in compared.subdirs.values():
        found += _differences(sub)
    return found
