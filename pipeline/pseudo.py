"""Pseudo-localization (like en-XA): a fake translation that shows what was not translated.

:func:`pseudolocalize` turns every letter of a msgid's prose into an accented
look-alike (``Hello`` → ``Ĥëëļļöö``, ``über`` → ``ûûƀëëŕ``; a letter of another
script changes case, or gets a combining diaeresis) and doubles the vowels, so
the text stays readable, grows by about 30 % as real translations do, and text
left in the source language stands out.

Only prose changes, so the result is inline Markdown of the same structure.  What
is prose is read from markdown-it's own inline parse of the msgid, not guessed
with regexes: the characters its ``text`` rule consumed, and the text of link
titles.  Markup (emphasis delimiters, brackets), link destinations and the
quotes around titles, reference labels, code spans, entities and numeric
character references, autolinks, raw HTML, backslash escapes, footnote
references and placeholders (``%(name)s``, ``%s``, ``{name}``) stay byte for byte.

A msgid does not carry its document's reference definitions, so it is parsed
twice, as if no label were defined and as if every label were, and only what is
prose both times changes.  The text of a shortcut or collapsed reference
(``[foo]``, ``[foo][]``) is its label: it keeps its letters and only swaps their
case (``[FOO]``), which labels ignore, so the link still resolves and the reader
still sees a change.

:func:`observing` is a markdown-it-py plugin whose inline rules report what they
consumed (:func:`observing_parser`: a fresh parser of the project's with it); the
conformance checks use it too, on stock markdown-it-py, to find a document's prose.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache, wraps

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from pipeline.markdown import new_parser, normalize
from pipeline.markdown import shortcuts as parser_shortcuts

OBSERVER = "pseudo_observer"
"""The ``env`` key of the callable that the rules of an :func:`observing` parser report to."""

Observer = Callable[[str, StateInline, int, int], None]

_LOOK_ALIKES = dict(zip(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçðëƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
))
_PSEUDO = {ch: alike * (2 if ch in "aeiouAEIOU" else 1) for ch, alike in _LOOK_ALIKES.items()}
_MARK = "\u0308"  # a combining diaeresis, for letters of scripts without case

PLACEHOLDER = re.compile(  # kept as they are: the program fills them in
    r"%(?:\([^()\s]*\))?[-#0+]?(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]"  # printf, %(name)s
    r"|\{[A-Za-z_0-9][\w.\[\]]*(?:![rsa])?(?::[^{}\s]*)?\}"              # str.format, {name}
)


class _AnyLabel(dict):
    """Reference definitions in which every label is defined."""

    def __contains__(self, _label: object) -> bool:
        return True

    def __getitem__(self, _label: str) -> dict:
        return {"href": "", "title": ""}

    def get(self, label: str, _default: object = None) -> dict:  # type: ignore[override]
        return self[label]


def pseudolocalize(msgid: str) -> str:
    """The pseudo-translation of inline Markdown ``msgid`` (same structure, accented prose)."""
    src = normalize(msgid)
    undefined, _ = _prose(src, None)
    text, labels = _prose(src, _AnyLabel())
    for match in PLACEHOLDER.finditer(src):
        undefined.difference_update(range(match.start(), match.end()))
    accent, swap = undefined & text, undefined & labels
    return "".join(_accent(ch) if i in accent else _swapcase(ch) if i in swap else ch
                   for i, ch in enumerate(src))


def _accent(ch: str) -> str:
    """A letter's look-alike (of its base letter, for an accented one), vowels doubled;
    a letter of another script in its other case, or with a diaeresis if it has none."""
    base = unicodedata.normalize("NFD", ch)[0]
    if base in _PSEUDO:
        return _PSEUDO[base]
    if not ch.isalpha():
        return ch
    return ch.swapcase() if ch.swapcase() != ch else ch + _MARK


def _swapcase(ch: str) -> str:
    """``ch`` in the other case if reference labels still match it (they ignore case)."""
    other = ch.swapcase()
    return other if len(other) == 1 and other.lower().upper() == ch.lower().upper() else ch


def _prose(src: str, references: dict | None) -> tuple[set[int], set[int]]:
    """Positions of ``src`` that the ``text`` rule consumed outside reference labels, and
    positions of reference labels (the text of shortcut and collapsed references too)."""
    text: set[int] = set()
    labels: set[int] = set()
    kept: set[int] = set()

    def observe(rule: str, state: StateInline, start: int, _first: int) -> None:
        if state.src != src:  # a nested parse (image description, inline footnote)
            return
        if rule == "text":
            text.update(range(start, state.pos))
        elif rule in ("link", "image"):
            form, label = link_form(rule, state, start)
            if form == "inline":
                text.update(_title(state, label[1]))
            elif form == "full":
                kept.update(range(*label))
            else:  # its text is its label; a [^note] is a footnote's
                (kept if src.startswith("[^", start) else labels).update(range(start, state.pos))
        if rule in ("image", "footnote_inline"):  # their text is parsed on its own: recurse
            begin, end = start + 2, state.md.helpers.parseLinkLabel(state, start + 1)
            inner_text, inner_labels = _prose(src[begin:end], references)
            text.update(begin + i for i in inner_text)
            labels.update(begin + i for i in inner_labels)

    env: dict = {OBSERVER: observe}
    if references is not None:
        env["references"] = references
    observing_parser().parseInline(src, env)
    return text - labels - kept, labels - kept


def link_form(rule: str, state: StateInline, start: int) -> tuple[str, tuple[int, int]]:
    """How the link or image just parsed from ``start`` to ``state.pos`` is written, and
    the span of its label: ``inline`` ``[text](dest)``, ``full`` ``[text][label]``,
    ``collapsed`` ``[text][]`` or ``shortcut`` ``[text]`` (whose label is the text)."""
    opener = start + 1 if rule == "image" else start
    label_end = state.md.helpers.parseLinkLabel(state, opener, rule == "link")
    rest = state.src[label_end + 1:state.pos]
    if rest in ("", "[]"):
        return ("shortcut" if not rest else "collapsed"), (opener + 1, label_end)
    if rest.startswith("["):
        return "full", (label_end + 2, state.pos - 1)
    return "inline", (opener + 1, label_end)


def _title(state: StateInline, label_end: int) -> set[int]:
    """The letters of the title of the inline link or image whose text ends at ``label_end``
    (its entities and backslash escapes aside), found as the link rule finds it."""
    src, end, helpers = state.src, state.pos - 1, state.md.helpers
    pos = _skip_space(src, label_end + 2, end)
    destination = helpers.parseLinkDestination(src, pos, end)
    if destination.ok and state.md.validateLink(state.md.normalizeLink(destination.str)):
        pos = destination.pos
    start, pos = pos, _skip_space(src, pos, end)
    title = helpers.parseLinkTitle(src, pos, end)
    if start == pos or not title.ok or _skip_space(src, title.pos, end) != end:
        return set()
    inside = set(range(pos + 1, title.pos - 1))
    for markup in _TITLE_MARKUP.finditer(src, pos + 1, title.pos - 1):
        inside.difference_update(range(markup.start(), markup.end()))
    return inside


def _skip_space(src: str, pos: int, end: int) -> int:
    while pos < end and src[pos] in " \t\n":
        pos += 1
    return pos


_TITLE_MARKUP = re.compile(r"\\.|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});",
                           re.DOTALL)


def observing_parser() -> MarkdownIt:
    """A parser of the project's configuration with :func:`observing` (built once per
    shortcut setting: a parser is never changed once built)."""
    return _observing_parser(parser_shortcuts.ON_BY_DEFAULT)


@lru_cache(maxsize=2)
def _observing_parser(shortcuts: bool) -> MarkdownIt:
    return new_parser(shortcuts=shortcuts).use(observing)


InlineRule = Callable[[StateInline, bool], bool]


def observing(md: MarkdownIt) -> None:
    """Plugin: ``md``'s enabled inline rules, when they produce tokens, call
    ``env[OBSERVER](rule_name, state, start, first_token)``; same tokens, same HTML.

    Use it on a parser of your own (it replaces the rules with ``Ruler.at``): a rule
    enabled or added afterwards is not observed.
    """
    ruler = md.inline.ruler
    for name, rule in zip(ruler.get_active_rules(), ruler.getRules("")):
        ruler.at(name, _observed(name, rule))  # inline rules are in no other chain (alt)


def _observed(name: str, fn: InlineRule) -> InlineRule:
    @wraps(fn)  # __wrapped__: it starts where fn starts (markdown.shortcuts reads it)
    def rule(state: StateInline, silent: bool) -> bool:
        start, first = state.pos, len(state.tokens)
        if not fn(state, silent):
            return False
        observer = None if silent else state.env.get(OBSERVER)
        if observer is not None:
            observer(name, state, start, first)
        return True

    return rule
