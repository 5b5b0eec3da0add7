"""What extraction produces: a source's :class:`Segment`\\ s and the :class:`Document` they
come from.

Plain frozen data, shared by extraction, merging, the checks and rendering; nothing
here is computed or cached (the checks keep what they read of a document themselves,
see :class:`pipeline.checks.gate.Source`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.token import Token

from pipeline.markdown import Parsed


@dataclass(frozen=True, slots=True)
class Segment:
    """One translatable piece of a document.

    ``start``/``end`` delimit, in the normalized source, the text a translation
    replaces; ``mode`` says how a translation must be written there (``block``:
    paragraph lines, ``line``: an ATX heading, ``cell``: a table cell, ``yaml``:
    a front-matter value); ``continuation`` is the prefix (block-quote markers,
    list indentation) that a line break inside a ``block`` translation needs.
    """

    msgid: str
    line: int
    kind: str
    msgctxt: str | None = None
    disclaimer: bool = False
    comment: str = ""
    start: int = 0
    end: int = 0
    mode: str = "block"
    continuation: str = ""
    style: str = ""
    token: int = -1  # index of its inline token in the source's tokens (-1: front matter)
    block: int = -1  # the disclaimer it belongs to: index of the disclaimer's opening token


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed source: its normalized text, token stream and segments, in source order."""

    text: str
    tokens: list[Token] = field(repr=False)
    segments: list[Segment]
    env: dict = field(default_factory=dict, repr=False)

    @property
    def parsed(self) -> Parsed:
        return Parsed(self.tokens, self.env)
