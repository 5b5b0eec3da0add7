"""Every speed shortcut of the parser, each giving exactly stock markdown-it-py's tokens.

Parsing is most of a build's time, so four things markdown-it-py does in general are
done here for the texts an article holds.  All of them are off with
``PIPELINE_MARKDOWN_SHORTCUTS=0`` in the environment, or ``shortcuts=False`` passed to
:func:`pipeline.markdown.parse` and its siblings; tests/markdown/test_markdown.py parses the
CommonMark and GFM spec examples with them on and off and compares the tokens and HTML
with stock markdown-it-py's.

* **Pruned block rules** (:class:`Pruned`): markdown-it tries each block rule at each
  line (and, as a paragraph terminator, at each line of every paragraph); a text is
  parsed by a parser without the rules it gives no chance (:func:`unneeded_block_rules`:
  a setext underline, a fence, ``]:``, ``[^`` or ``<`` is missing) -- roughly a tenth
  less time for a full parse of an article, a fifth for extraction's block-only parse.
* **Text terminators** (:func:`shortcuts_plugin`): markdown-it's ``text`` rule also stops
  at characters it keeps for extensions (``-``, ``:``, ``=``, ``#``, ...), where every
  inline rule is then tried in vain, which the hyphens and colons of prose make costly.
  The ``text`` rule is replaced by one that stops only where an enabled inline rule can
  start (markdown-it's linkify at ``:`` included, if enabled); if any enabled rule is not
  one whose start is known (a plugin added later, such as mdit-py-plugins' gfm_autolink
  at ``w``, ``:`` and ``@``), markdown-it's own terminators are used.  This is checked
  before a parse whenever the rules have changed.
* **Normalization** (:func:`shortcuts_plugin`): markdown-it's two regex passes over the
  whole text run only if it holds a ``\\r`` or a NUL, the only characters they change.
* **Link normalization** (:class:`FastLinks`): markdown-it parses, re-encodes and
  re-formats each link address (up to a tenth of a build); an address it would return
  unchanged is returned at once, and answers are cached (a page and each of its
  translations hold the same addresses).  This is ``MarkdownIt.normalizeLink``
  overridden in a subclass, the way markdown-it-py provides for it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from functools import lru_cache, partial

from markdown_it import MarkdownIt
from markdown_it import rules_inline
from markdown_it.common import normalize_url
from markdown_it.rules_core import StateCore
from markdown_it.rules_core.normalize import normalize as stock_normalize
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.footnote import index as footnote

ENVIRONMENT_VARIABLE = "PIPELINE_MARKDOWN_SHORTCUTS"
"""Set to ``0`` to parse without any shortcut (to rule them out when a parse looks wrong)."""

ON_BY_DEFAULT: bool = os.environ.get(ENVIRONMENT_VARIABLE, "1").strip() != "0"
"""Whether a parse uses the shortcuts unless told: read once, when the process starts
(reading the environment costs microseconds, and a build asks for a parser per segment)."""


# --- pruned block rules ------------------------------------------------------------------

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

# Block rules that cannot match a text without a mark that every match of theirs contains.
RULE_MARKS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("fence", lambda text: "```" in text or "~~~" in text),
    ("reference", lambda text: "]:" in text),
    ("footnote_def", lambda text: "[^" in text),
    ("html_block", lambda text: "<" in text),
    ("lheading", _setext_possible),
)


def unneeded_block_rules(text: str) -> frozenset[str]:
    """The block rules of :data:`RULE_MARKS` that cannot match ``text``; none if its line
    ends are not yet normalized (the marks are looked for in normalized text)."""
    if "\r" in text:
        return frozenset()
    return frozenset(name for name, possible in RULE_MARKS if not possible(text))


class Pruned:
    """Parsers without the block rules a text gives no chance, built on demand, at most
    :attr:`LIMIT` of them, and never changed once built (callers share them).

    Five rules give 32 combinations, yet a site shows a handful (a benchmark corpus of 86
    articles and translations: two).  The first :attr:`LIMIT` combinations seen get a
    parser each; a later one is parsed by the built parser that prunes the most of the
    rules it allows (the full parser if none does): a parser with more rules gives the
    same tokens, just slower.  So nothing is ever rebuilt or evicted, and a parser is
    never disabled and re-enabled per call, which would race with other callers.
    """

    LIMIT = 8

    def __init__(self, full: MarkdownIt, build: Callable[[frozenset[str]], MarkdownIt]) -> None:
        self._full = full
        self._build = build
        self._built: dict[frozenset[str], MarkdownIt] = {}

    def __len__(self) -> int:
        """How many pruned parsers are built."""
        return len(self._built)

    def for_text(self, text: str) -> MarkdownIt:
        """The parser for ``text``."""
        without = unneeded_block_rules(text)
        md = self._built.get(without)
        if md is not None:
            return md
        if not without:
            return self._full
        if len(self._built) < self.LIMIT:
            md = self._built[without] = self._build(without)
            return md
        return self._closest(without)

    def _closest(self, without: frozenset[str]) -> MarkdownIt:
        """The built parser pruning the most rules, all of them in ``without``."""
        best, pruned = self._full, 0
        for rules, md in list(self._built.items()):
            if len(rules) > pruned and rules <= without:
                best, pruned = md, len(rules)
        return best


# --- text terminators and normalization -----------------------------------------------------

# Where each inline rule that markdown-it-py and mdit-py-plugins ship can start, by its
# function; "]" too for the rules that read a link label (markdown-it's parseLinkLabel
# skips token by token, so the text rule must stop where a label ends).
_STARTS: dict[object, str] = {
    rules_inline.linkify: ":",
    rules_inline.newline: "\n",
    rules_inline.escape: "\\",
    rules_inline.backtick: "`",
    rules_inline.strikethrough.tokenize: "~",
    rules_inline.emphasis.tokenize: "*_",
    rules_inline.link: "[]",
    rules_inline.image: "!]",
    rules_inline.autolink: "<",
    rules_inline.html_inline: "<",
    rules_inline.entity: "&",
    footnote.footnote_inline: "^]",
    footnote.footnote_ref: "[",
}


def _unwrap(rule: object) -> object:
    """The function under ``functools.partial`` and ``functools.wraps`` wrappers (a
    wrapper that declares ``__wrapped__`` starts where the function it wraps starts)."""
    while True:
        if isinstance(rule, partial):
            rule = rule.func
        elif hasattr(rule, "__wrapped__"):
            rule = rule.__wrapped__
        else:
            return rule


def start_characters(names: Iterable[str], rules: Iterable[object]) -> str | None:
    """Every character at which one of the inline ``rules`` (named ``names``) can start,
    or None if one of them is not known (the ``text`` rule itself aside)."""
    characters: set[str] = set()
    for name, rule in zip(names, rules):
        if name == "text":
            continue
        starts = _STARTS.get(_unwrap(rule))
        if starts is None:
            return None
        characters.update(starts)
    return "".join(sorted(characters))


class _Terminators:
    """Where one parser's ``text`` rule stops: derived from its enabled inline rules,
    whenever they have changed, or markdown-it's own set (``pattern`` None)."""

    def __init__(self) -> None:
        self.rules: list | None = None  # the inline rule list the pattern was derived from
        self.pattern: re.Pattern[str] | None = None

    def refresh(self, md: MarkdownIt) -> None:
        ruler = md.inline.ruler
        rules = ruler.getRules("")  # the same list object until the rules change
        if rules is not self.rules:
            characters = start_characters(ruler.get_active_rules(), rules)
            self.pattern = None if characters is None else _pattern(characters)
            self.rules = rules


@lru_cache(maxsize=16)
def _pattern(characters: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(characters) + "]")


def shortcuts_plugin(md: MarkdownIt) -> None:
    """The text terminators and normalization shortcuts (see the module's docstring)."""
    terminators = _Terminators()
    terminators.refresh(md)

    def text(state: StateInline, silent: bool) -> bool:
        """markdown-it's ``text`` rule, stopping at :class:`_Terminators`."""
        pos = state.pos
        found = (terminators.pattern or state.md.inline.terminator_re).search(state.src, pos)
        pos = found.start() if found else state.posMax
        if pos == state.pos:
            return False
        if not silent:
            state.append_pending(state.src[state.pos:pos])
        state.pos = pos
        return True

    def check_terminators(state: StateCore) -> None:
        terminators.refresh(state.md)

    md.inline.ruler.at("text", text)
    md.core.ruler.before("normalize", "text_terminators", check_terminators)
    md.core.ruler.at("normalize", _normalize_if_needed)


def _normalize_if_needed(state: StateCore) -> None:
    """markdown-it's ``normalize`` core rule, run only where it changes something."""
    if "\r" in state.src or "\0" in state.src:
        stock_normalize(state)


# --- link normalization -------------------------------------------------------------------

# An address markdown-it's normalizeLink returns unchanged: an optional http(s) scheme and
# host (labels of letters, digits and hyphens, at most 63 and 255 characters long, as
# mdurl wants them; a port), then only characters it never percent-encodes, and valid
# %XX escapes (tests/markdown/test_markdown.py checks the claim on generated addresses).  Most
# links of an article look like this.
PLAIN_URL = re.compile(
    r"(?:[Hh][Tt][Tt][Pp][Ss]?://(?=[A-Za-z0-9.:-]{1,255}(?:[/?#]|$))"
    r"[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*(?::[0-9]{1,5})?(?=[/?#]|$))?"
    r"(?:[A-Za-z0-9/?#;&=+$,\-_.!~*'()]|%[0-9A-Fa-f]{2})*")


@lru_cache(maxsize=1 << 14)
def normalize_link(url: str) -> str:
    """markdown-it-py's ``normalizeLink``, answered at once for a plain address."""
    return url if PLAIN_URL.fullmatch(url) else normalize_url.normalizeLink(url)


class FastLinks(MarkdownIt):
    """MarkdownIt with :func:`normalize_link` as its link normalization."""

    normalizeLink = staticmethod(normalize_link)  # type: ignore[assignment]
