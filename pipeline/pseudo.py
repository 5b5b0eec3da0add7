"""Pseudo-localization (like en-XA): a fake translation that shows what was not translated.

:func:`pseudolocalize` turns every ASCII letter of a msgid's prose into an accented
look-alike and doubles its vowels, so the text stays readable, grows by about 30 %
as real translations do, and any text left in the source language stands out.

Only prose changes.  Which characters are prose is decided by markdown-it's own
inline parse of the msgid, not by regexes: a character is prose when the ``text``
rule consumed it, so markup (emphasis delimiters, brackets), link destinations,
titles and labels, code spans, entities, autolinks, raw HTML, backslash escapes
and footnote references are kept byte for byte.  A msgid does not carry the
document's reference definitions, so it is parsed twice, once as if no label
were defined and once as if every label were, and only what is prose both times
changes; the text of a shortcut or collapsed reference (``[foo]``, ``[foo][]``)
is its label, so it never changes.  Placeholders (``%(name)s``, ``%s``, ``{name}``)
are kept too.

:func:`observing_parser` is the project's parser with every inline rule reporting
what it consumed; the conformance checks use it to find the prose of a document.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.ruler import Rule, Ruler
from markdown_it.rules_inline import StateInline

from .markdown import normalize, parser

OBSERVER = "pseudo_observer"
"""The ``env`` key of the callable that :func:`observing_parser`'s rules report to."""

Observer = Callable[[str, StateInline, int, int], None]

_LOOK_ALIKES = dict(zip(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçðëƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
))
_PSEUDO = {ch: alike * (2 if ch in "aeiouAEIOU" else 1) for ch, alike in _LOOK_ALIKES.items()}

_PLACEHOLDER = re.compile(
    r"%(?:\([^()\s]*\))?[-#0 +]?(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]"  # printf, %(name)s
    r"|\{[A-Za-z_0-9][\w.\[\]]*(?:![rsa])?(?::[^{}\s]*)?\}"              # str.format, {name}
)


class _AnyLabel(dict):
    """Reference definitions in which every label is defined."""

    def get(self, _label, _default=None):  # type: ignore[override]
        return {"href": "", "title": ""}


def pseudolocalize(msgid: str) -> str:
    """The pseudo-translation of inline Markdown ``msgid`` (same structure, accented prose)."""
    src = normalize(msgid)
    prose = _prose(src, None) & _prose(src, _AnyLabel())
    for match in _PLACEHOLDER.finditer(src):
        prose.difference_update(range(match.start(), match.end()))
    return "".join(_PSEUDO.get(ch, ch) if i in prose else ch for i, ch in enumerate(src))


def _prose(src: str, references: dict | None) -> set[int]:
    """Positions of ``src`` that the ``text`` rule consumed, reference labels excepted."""
    prose: set[int] = set()
    labels: set[int] = set()

    def observe(rule: str, state: StateInline, start: int, _first: int) -> None:
        if state.src != src:  # a nested parse (image description, inline footnote)
            return
        if rule == "text":
            prose.update(range(start, state.pos))
        elif rule in ("link", "image") and link_form(rule, state, start) in ("shortcut", "collapsed"):
            labels.update(range(start, state.pos))
        if rule in ("image", "footnote_inline"):  # their text is parsed on its own: recurse
            begin, end = start + 2, state.md.helpers.parseLinkLabel(state, start + 1)
            prose.update(begin + i for i in _prose(src[begin:end], references))

    env: dict = {OBSERVER: observe}
    if references is not None:
        env["references"] = references
    observing_parser().parseInline(src, env)
    return prose - labels


def link_form(rule: str, state: StateInline, start: int) -> str:
    """How the link or image just parsed from ``start`` to ``state.pos`` is written:
    ``inline`` ``[text](dest)``, ``full`` ``[text][label]``, ``collapsed`` ``[text][]``
    or ``shortcut`` ``[text]``."""
    opener = start + 1 if rule == "image" else start
    label_end = state.md.helpers.parseLinkLabel(state, opener, rule == "link")
    rest = state.src[label_end + 1:state.pos]
    if not rest:
        return "shortcut"
    if rest == "[]":
        return "collapsed"
    return "full" if rest.startswith("[") else "inline"


@lru_cache(maxsize=1)
def observing_parser() -> MarkdownIt:
    """:func:`pipeline.markdown.parser` whose inline rules, when they produce tokens,
    call ``env[OBSERVER](rule_name, state, start, first_token)``; same tokens, same HTML."""
    md = copy.copy(parser())
    md.inline = copy.copy(md.inline)
    ruler: Ruler = Ruler()
    ruler.__rules__ = [Rule(rule.name, rule.enabled, _observed(rule.name, rule.fn), list(rule.alt))
                       for rule in parser().inline.ruler.__rules__]
    md.inline.ruler = ruler
    return md


def _observed(name: str, fn: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    def rule(state: StateInline, silent: bool) -> bool:
        start, first = state.pos, len(state.tokens)
        if not fn(state, silent):
            return False
        observer = None if silent else state.env.get(OBSERVER)
        if observer is not None:
            observer(name, state, start, first)
        return True

    return rule
