"""The one parser configuration, and the factory that owns the parsers built from it.

:func:`configure` is the configuration every step parses with (CommonMark, GFM
tables and strikethrough, front matter, footnotes, disclaimers, source positions), so
a segment found by extraction is the exact piece of text that merging replaces and
rendering displays.  A :class:`Parsers` builds parsers of it on demand and never
changes one it has handed out: callers share them.  A caller that wants to add
rules of its own gets a fresh parser (:func:`new_parser`) and owns it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from pipeline.markdown import shortcuts as _shortcuts
from pipeline.markdown.disclaimers import disclaimers_plugin
from pipeline.markdown.positions import positions_plugin

_NEWLINES = re.compile(r"\r\n?")


def normalize(text: str) -> str:
    """Normalize line ends and NUL exactly as markdown-it does before parsing.

    Source positions recorded by the parser refer to this normalized text.
    """
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    return text.replace("\0", "\ufffd") if "\0" in text else text


def configure(md: MarkdownIt) -> MarkdownIt:
    """The project's syntax and rules on a CommonMark ``md``."""
    md.enable(["table", "strikethrough"])
    return (md.use(front_matter_plugin).use(footnote_plugin)
            .use(disclaimers_plugin).use(positions_plugin))


def new_parser(inline: bool = True, shortcuts: bool | None = None,
               without: frozenset[str] = frozenset()) -> MarkdownIt:
    """A fresh parser of the configuration, the caller's to extend.

    ``inline=False``: markdown-it's core rule ``inline`` switched off, so that only the
    block structure and each block's inline *text* are parsed (all that extraction
    needs, at a fraction of the cost).  ``shortcuts``: see :mod:`.shortcuts` (None: on,
    unless the environment says otherwise).  ``without``: block rules to disable.
    """
    if shortcuts is None:
        shortcuts = _shortcuts.ON_BY_DEFAULT
    md = configure(_shortcuts.FastLinks("commonmark") if shortcuts else MarkdownIt("commonmark"))
    if shortcuts:
        md.use(_shortcuts.shortcuts_plugin)
    if not inline:
        md.core.ruler.disable("inline")
    if without:
        md.block.ruler.disable(sorted(without))
    return md


class Parsers:
    """The parsers of the configuration, with or without the speed shortcuts."""

    def __init__(self, shortcuts_on: bool) -> None:
        self.shortcuts_on = shortcuts_on
        self._full: dict[bool, MarkdownIt] = {}
        self._pruned: dict[bool, _shortcuts.Pruned] = {}

    def parser(self, inline: bool = True) -> MarkdownIt:
        """The whole configuration (see :func:`new_parser` for ``inline``)."""
        md = self._full.get(inline)
        if md is None:
            md = self._full[inline] = new_parser(inline, self.shortcuts_on)
        return md

    def for_text(self, text: str, inline: bool = True) -> MarkdownIt:
        """The parser that gives ``text`` its tokens fastest: with shortcuts, one
        without the block rules ``text`` gives no chance."""
        if not self.shortcuts_on:
            return self.parser(inline)
        pruned = self._pruned.get(inline)
        if pruned is None:
            pruned = self._pruned[inline] = _shortcuts.Pruned(
                self.parser(inline), lambda without: new_parser(inline, True, without))
        return pruned.for_text(text)

    def count(self) -> int:
        """How many parsers are built."""
        return len(self._full) + sum(len(pruned) for pruned in self._pruned.values())


_PARSERS = {True: Parsers(True), False: Parsers(False)}


def parsers(shortcuts: bool | None = None) -> Parsers:
    """The shared parsers, with shortcuts or not (None: on, unless the environment says otherwise)."""
    return _PARSERS[_shortcuts.ON_BY_DEFAULT if shortcuts is None else shortcuts]


def parser(inline: bool = True, shortcuts: bool | None = None) -> MarkdownIt:
    """The shared parser of the whole configuration; never change it (see :func:`new_parser`)."""
    return parsers(shortcuts).parser(inline)


@dataclass(frozen=True, slots=True)
class Parsed:
    """Tokens with the ``env`` they were parsed with (references, footnotes), which the
    renderer needs: a page can be rendered from them without parsing again."""

    tokens: list[Token]
    env: dict


def parse(text: str, shortcuts: bool | None = None) -> list[Token]:
    """Parse normalized Markdown into the flat token stream."""
    return parsers(shortcuts).for_text(text).parse(text, {})


def parse_with_env(text: str, inline: bool = True, shortcuts: bool | None = None) -> Parsed:
    """:func:`parse`, with the ``env``; ``inline=False`` as in :func:`new_parser`."""
    env: dict = {}
    return Parsed(parsers(shortcuts).for_text(text, inline).parse(text, env), env)
