"""The one markdown-it-py configuration shared by extraction, merging and rendering.

Every step parses with :func:`parser`, so a segment found by extraction is the
exact piece of text that merging replaces and rendering displays.  Two additions
to the stock parser make that possible:

* the leaf block rules that hold translatable inline text (paragraph, ATX and
  setext headings, table) are wrapped to record, on each ``inline`` token, where
  its text lies in the source (``token.meta["lines"]``: one ``(start, end)``
  character span per source line, after container markers and indentation);
* a core rule ``disclaimer`` turns ``<!-- disclaimer -->`` before a block into a
  ``disclaimer_open`` / ``disclaimer_close`` pair around that block, the same
  shape as the ``::: disclaimer`` container, so every later step sees one kind of
  disclaimer.

:func:`parse` and :func:`parse_with_env` give the same tokens faster: a text is
parsed by a copy of the parser without the block rules it gives no chance (see
``_RULE_MARKS``), and plain link addresses skip markdown-it's normalization.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

DISCLAIMER_COMMENT = re.compile(r"<!--\s*disclaimer\s*-->\s*", re.IGNORECASE)
DISCLAIMER_OPENERS = frozenset({"disclaimer_open", "container_disclaimer_open"})
DISCLAIMER_CLOSERS = frozenset({"disclaimer_close", "container_disclaimer_close"})

_NEWLINES = re.compile(r"\r\n?")


def normalize(text: str) -> str:
    """Normalize line ends and NUL exactly as markdown-it does before parsing.

    Source positions recorded by the parser refer to this normalized text.
    """
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    return text.replace("\0", "\ufffd") if "\0" in text else text


@lru_cache(maxsize=2)
def parser(inline: bool = True) -> MarkdownIt:
    """CommonMark + GFM tables and strikethrough + front matter + footnotes + containers.

    ``inline=False`` gives the same parser with the inline pass switched off: the
    block structure and each block's inline *text* are all that extraction needs,
    at a fraction of the cost.
    """
    return _new_parser(inline, frozenset())


@lru_cache(maxsize=128)  # every combination: 2 x 2 ** 6
def _new_parser(inline: bool, without: frozenset[str]) -> MarkdownIt:
    """:func:`parser`, without the block rules named in ``without`` (and without the
    core rule ``normalize`` if named)."""
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    md.use(footnote_plugin)
    md.use(container_plugin, name="disclaimer", render=_render_disclaimer)
    for rule in ("paragraph", "heading", "lheading", "table"):
        _record_positions(md, rule)
    md.core.ruler.push("disclaimer", _mark_disclaimers)
    md.add_render_rule("disclaimer_open", _render_disclaimer)
    md.add_render_rule("disclaimer_close", _render_disclaimer)
    md.normalizeLink = _normalizer(md.normalizeLink)  # type: ignore[method-assign]
    md.inline.terminator_re = _TERMINATORS
    if not inline:
        md.core.ruler.disable("inline")
    if "normalize" in without:
        md.core.ruler.disable("normalize")
    if without - {"normalize"}:
        md.block.ruler.disable(sorted(without - {"normalize"}))
    return md


# Block rules that cannot match a text without a mark that every match of theirs
# contains: markdown-it tries each rule on each line (and, as a paragraph terminator,
# on each line of every paragraph), so a page is parsed without the rules it gives no
# chance -- the same tokens, a sixth less time on an article without setext headings,
# fences, raw HTML or link reference definitions.  tests/test_markdown.py compares
# the tokens with the whole parser's on the CommonMark and GFM spec examples.
# The characters at which an enabled inline rule can start (newline, escape, code,
# strikethrough, emphasis, link and footnote reference, image, autolink and HTML,
# entity, inline footnote) and ``]``, where a link label ends.  markdown-it's text rule
# also stops at characters it keeps for extensions (``-``, ``:``, ``=``, ``#``, ...):
# every rule is then tried there in vain, which the many hyphens and colons of prose
# make costly.  tests/test_markdown.py checks the tokens against markdown-it's own set.
_TERMINATORS = re.compile(r"[\n\\`~*_\[\]!<&^]")


def _setext_possible(text: str) -> bool:
    """Whether a line of ``text`` could underline a setext heading (a run of ``=`` or
    ``-`` after block-quote markers and indentation), other than the two ``---`` lines
    around front matter."""
    starts = [0] if _UNDERLINE.match(text) else []
    starts += [match.start() + 1 for match in _NEXT_UNDERLINE.finditer(text)]
    if (len(starts) == 2 and starts[0] == 0 and _line(text, 0) == _line(text, starts[1]) == "---"
            and _DOTS.search(text, 0, starts[1]) is None):
        return False  # the front-matter plugin takes both (a "..." line would close it first)
    return bool(starts)


def _line(text: str, start: int) -> str:
    end = text.find("\n", start)
    return text[start:] if end < 0 else text[start:end]


_UNDERLINE = re.compile(r"[ \t>]*(?:=+|-+)[ \t]*(?=\n|\Z)")
# The same after a line break: a pattern that starts with a literal is searched for
# that character first, instead of being tried at every position as ^ (MULTILINE) is.
_NEXT_UNDERLINE = re.compile(r"\n[ \t>]*(?:=+|-+)[ \t]*(?=\n|\Z)")
_DOTS = re.compile(r"^\.\.\.[ \t]*$", re.MULTILINE)
_RULE_MARKS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("fence", lambda text: "```" in text or "~~~" in text),
    ("reference", lambda text: "]:" in text),
    ("footnote_def", lambda text: "[^" in text),
    ("html_block", lambda text: "<" in text),
    ("lheading", _setext_possible),
)


def _parser_for(text: str, inline: bool) -> MarkdownIt:
    """The parser for ``text``: without the block rules that cannot match it, and
    without markdown-it's two regex passes that normalize a text already normal."""
    if "\r" in text:  # line ends markdown-it would normalize: no shortcut
        return parser(inline)
    without = {name for name, possible in _RULE_MARKS if not possible(text)}
    if "\0" not in text:
        without.add("normalize")
    return _new_parser(inline, frozenset(without))


# An address markdown-it's normalizeLink returns unchanged: an optional http(s) scheme and
# host (labels of letters, digits and hyphens, at most 63 and 255 characters long, as
# mdurl wants them; a port), then only characters it never percent-encodes, and valid
# %XX escapes (tests/test_markdown.py checks the claim on generated addresses).  Most
# links of an article look like this.
_PLAIN_URL = re.compile(
    r"(?:[Hh][Tt][Tt][Pp][Ss]?://(?=[A-Za-z0-9.:-]{1,255}(?:[/?#]|$))"
    r"[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*(?::[0-9]{1,5})?(?=[/?#]|$))?"
    r"(?:[A-Za-z0-9/?#;&=+$,\-_.!~*'()]|%[0-9A-Fa-f]{2})*")


def _normalizer(normalize_link: Callable[[str], str]) -> Callable[[str], str]:
    """markdown-it's link normalization (it parses, re-encodes and re-formats each
    address: up to a tenth of a build) answered at once for plain addresses, and cached: a page
    and each of its translations hold the same addresses."""
    @lru_cache(maxsize=1 << 14)
    def normalize(url: str) -> str:
        return url if _PLAIN_URL.fullmatch(url) else normalize_link(url)
    return normalize


@dataclass(frozen=True, slots=True)
class Parsed:
    """Tokens with the ``env`` they were parsed with (references, footnotes), which the
    renderer needs: a page can be rendered from them without parsing again."""

    tokens: list[Token]
    env: dict


def parse(text: str) -> list[Token]:
    """Parse normalized Markdown into the flat token stream."""
    return _parser_for(text, True).parse(text, {})


def parse_with_env(text: str, inline: bool = True) -> Parsed:
    env: dict = {}
    return Parsed(_parser_for(text, inline).parse(text, env), env)


# The chains of block rules markdown-it tries at a line inside a paragraph, reference
# definition, block quote or list, to see whether that line ends it (a rule's ``alt``).
_TERMINATOR_CHAINS = ("paragraph", "reference", "blockquote", "list")


def _record_positions(md: MarkdownIt, name: str) -> None:
    """Wrap the enabled block rule ``name`` to record where its inline text lies; the
    wrapper stays in every terminator chain the rule was in."""
    ruler = md.block.ruler
    original: Callable[..., bool] = ruler.getRules("")[ruler.get_active_rules().index(name)]
    alt = [chain for chain in _TERMINATOR_CHAINS if original in ruler.getRules(chain)]

    def recording(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        first = len(state.tokens)
        if not original(state, start, end, silent):
            return False
        if not silent:
            for token in state.tokens[first:]:
                if token.type == "inline" and token.map:
                    token.meta["lines"] = [
                        (state.bMarks[n] + state.tShift[n], state.eMarks[n])
                        for n in range(token.map[0], token.map[1])
                    ]
        return True

    ruler.at(name, recording, {"alt": alt})


def _mark_disclaimers(state: StateCore) -> None:
    """Replace each ``<!-- disclaimer -->`` html block by open/close tokens around the next block."""
    tokens = state.tokens
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "html_block" and DISCLAIMER_COMMENT.fullmatch(token.content):
            end = _block_end(tokens, i + 1, token.level)
            if end is not None:
                opener = Token("disclaimer_open", "aside", 1, map=token.map, level=token.level, block=True)
                closer = Token("disclaimer_close", "aside", -1, level=token.level, block=True)
                tokens[i] = opener
                tokens.insert(end + 1, closer)
        i += 1


def _block_end(tokens: list[Token], start: int, level: int) -> int | None:
    """Index of the last token of the block starting at ``start`` (at ``level``), if any."""
    if start >= len(tokens) or tokens[start].level != level or tokens[start].nesting == -1:
        return None
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return None


def _render_disclaimer(self, tokens, idx, _options, env) -> str:  # type: ignore[no-untyped-def]
    """A visible, announced box; ``env["disclaimer_heading"]`` is its translated title."""
    if tokens[idx].nesting == -1:
        return "</aside>\n"
    heading = escapeHtml(env.get("disclaimer_heading", "Medical disclaimer"))
    return (f'<aside class="disclaimer" role="note" aria-label="{heading}">\n'
            f'<p class="disclaimer-title">{heading}</p>\n')
