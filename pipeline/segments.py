"""Markdown → translatable segments.

A segment is one leaf block's inline Markdown (a paragraph, a heading, a table
cell) or one front-matter value, with everything a translator and the merge
need: the msgid, its context, the source line, whether it is a medical
disclaimer, and the exact span of source text it replaces.  The data types themselves
(:class:`Segment`, :class:`Document`) live in :mod:`pipeline.document`; they are
importable from here too.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from markdown_it.common.html_re import close_tag, open_tag
from markdown_it.common.utils import MD_TRIM_CHARS
from markdown_it.token import Token

from pipeline import frontmatter
from pipeline.diagnostics import PipelineError
from pipeline.document import Document, Segment
from pipeline.markdown import DISCLAIMER_CLOSERS, DISCLAIMER_OPENERS, normalize, parse_with_env

__all__ = ["DEFAULT_FIELDS", "DISCLAIMER_NOTE", "Document", "Segment", "extract", "read"]

DEFAULT_FIELDS = ("title", "description")

DISCLAIMER_NOTE = (
    "MEDICAL DISCLAIMER: this safety warning must be translated in full (not fuzzy, "
    "not left in the source language) before this page can be published in your language."
)

FIELD_NOTES = {
    "title": "the page title, shown in browser tabs and search results",
    "description": "the page summary, shown in search results and link previews",
}


def extract(text: str, fields: tuple[str, ...] = DEFAULT_FIELDS) -> list[Segment]:
    """The translatable segments of Markdown ``text``, in source order."""
    return read(text, fields, inline=False).segments


def read(text: str, fields: tuple[str, ...] = DEFAULT_FIELDS, inline: bool = True) -> Document:
    """Parse ``text`` once into a :class:`Document` that extraction and merging share.

    ``inline=False`` skips the inline parse (the tokens then have no children):
    enough to extract segments, not to render or check translations.
    """
    source = normalize(text)
    # Footnote bodies reach the token stream only through the inline pass (it finds the
    # references that the footnote block lists): a text with footnotes needs it.
    parsed = parse_with_env(source, inline or "[^" in source)
    segments = list(_segments(source, parsed.tokens, fields))
    _check_disclaimers(parsed.tokens, segments)
    return Document(source, parsed.tokens, segments, parsed.env)


def _segments(src: str, tokens: list[Token], fields: tuple[str, ...]):
    stack: list[str] = []
    disclaimers: list[int] = []  # indexes of the open disclaimers' opening tokens
    table = _TableState()
    in_footnote = _footnotes_in_disclaimers(tokens)
    for index, token in enumerate(tokens):
        if token.type in DISCLAIMER_OPENERS:
            disclaimers.append(index)
        elif token.type in DISCLAIMER_CLOSERS:
            disclaimers.pop()
        elif token.type == "footnote_open":
            disclaimers.append(in_footnote.get(token.meta.get("id"), -1))
        elif token.type == "footnote_close":
            disclaimers.pop()
        elif token.type == "front_matter":
            yield from _front_matter(src, token, fields)
        table.see(token)
        if token.nesting == 1:
            stack.append(token.type)
        elif token.nesting == -1 and stack:
            stack.pop()
        elif token.type == "inline" and "lines" in token.meta and token.content:
            block = next((opener for opener in reversed(disclaimers) if opener >= 0), -1)
            segment = _inline_segment(src, token, stack, table, _Place(index, block))
            if segment is not None:
                yield segment


def _footnotes_in_disclaimers(tokens: list[Token]) -> dict[int, int]:
    """Footnote id -> the disclaimer its reference is in: a footnote to a safety warning is
    part of the warning, and must be translated before the page is published."""
    found: dict[int, int] = {}
    disclaimers: list[int] = []
    for index, token in enumerate(tokens):
        if token.type in DISCLAIMER_OPENERS:
            disclaimers.append(index)
        elif token.type in DISCLAIMER_CLOSERS:
            disclaimers.pop()
        elif token.type == "inline" and disclaimers:
            for child in token.children or []:
                if child.type == "footnote_ref":
                    found.setdefault(child.meta["id"], disclaimers[-1])
    return found


# Blocks with nothing a translator is offered: inside a disclaimer, the source is refused.
_NOT_PROSE = {"html_block": "raw HTML", "code_block": "an indented code block",
              "fence": "a code block", "hr": "a thematic break"}


def _check_disclaimers(tokens: list[Token], segments: list[Segment]) -> None:
    """Every disclaimer must be prose a translator is offered: a block of raw HTML or code
    inside one would be published in the source language in every locale."""
    openers: list[int] = []
    offered = {segment.block for segment in segments}
    for index, token in enumerate(tokens):
        if token.type in DISCLAIMER_OPENERS:
            openers.append(index)
        elif openers and token.type in _NOT_PROSE:
            raise PipelineError(f"a disclaimer must contain prose: {_NOT_PROSE[token.type]} is "
                                "not offered for translation and would stay in the source "
                                "language", line=_line(token), code="disclaimer-not-prose")
        elif token.type in DISCLAIMER_CLOSERS:
            opener = openers.pop()
            if not openers and opener not in offered:
                raise PipelineError("a disclaimer must contain prose a translator is offered; "
                                    "this one has none", line=_line(tokens[opener]),
                                    code="disclaimer-not-prose")


def _line(token: Token) -> int | None:
    return token.map[0] + 1 if token.map else None


_IMAGE = re.compile(r"!\[")
_TITLED_LINK = re.compile(r"\]\(\s*(?:<[^>]*>|[^\s()]+)\s+[\"'(]")
_LINK = re.compile(r"\]\(|\]\[|<[a-zA-Z][a-zA-Z0-9+.-]{1,31}:")


class _Place(NamedTuple):
    """Where an inline segment is: its token's index, and the disclaimer it is in (or -1)."""

    token: int
    block: int

    def segment(self, msgid: str, line: int, kind: str, comment: str, **span: Any) -> Segment:
        """The segment, its comment completed with what a translator must know."""
        disclaimer = self.block >= 0
        return Segment(msgid, line, kind, comment=_with_inline_notes(msgid, comment, disclaimer),
                       disclaimer=disclaimer, token=self.token, block=self.block, **span)


def _with_inline_notes(msgid: str, comment: str, disclaimer: bool) -> str:
    """The segment's comment, plus what a translator must know of its inline markup."""
    notes = [DISCLAIMER_NOTE] if disclaimer else []
    if comment:
        notes.append(comment)
    if _IMAGE.search(msgid):
        notes.append("Contains an image: translate its alt text inside ![...]; keep the address.")
    if _TITLED_LINK.search(msgid):
        notes.append('Contains a link title ("..." after the address, shown on hover): translate it.')
    elif _LINK.search(msgid):
        notes.append("Contains a link: translate its text inside [...]; keep the address unchanged.")
    return "\n".join(notes)


def _inline_segment(src: str, token: Token, stack: list[str], table: _TableState,
                    place: _Place) -> Segment | None:
    lines: list[tuple[int, int]] = token.meta["lines"]
    parent = stack[-1] if stack else ""
    line = token.map[0] + 1
    opening = _ATX.match(src, lines[0][0]) if parent == "heading_open" else None
    if opening and token.map[1] - token.map[0] == 1:
        start = src.find(token.content, opening.end())  # "## # #": the text is the middle "#"
        return place.segment(token.content, line, "heading", f"Heading, level {len(opening[0])}",
                             start=start, end=start + len(token.content), mode="line")
    if parent == "heading_open":  # setext heading: lines of text above an underline
        underline = src.find("\n", lines[-1][1]) + 1
        level = 1 if src[underline:].lstrip(" \t>").startswith("=") else 2
        return _block_segment(src, lines, line, "heading", f"Heading, level {level}", place)
    if parent in ("th_open", "td_open"):
        return table.cell(src, token, line, place)
    kind, comment = _container_kind(stack)
    return _block_segment(src, lines, line, kind, comment, place)


_ATX = re.compile(r"#{1,6}(?=[ \t\n]|$)")  # an ATX opening sequence, not setext text like "#1"


def _container_kind(stack: list[str]) -> tuple[str, str]:
    for opened in reversed(stack):
        if opened == "list_item_open":
            return "list item", "List item"
        if opened == "blockquote_open":
            return "block quote", "Block quote"
        if opened in ("footnote_open", "footnote_reference_open"):
            return "footnote", "Footnote"
    return "paragraph", ""


def _block_segment(src: str, lines: list[tuple[int, int]], line: int, kind: str,
                   comment: str, place: _Place) -> Segment:
    return place.segment(join_lines(src, lines), line, kind, comment, start=lines[0][0],
                         end=lines[-1][1], mode="block", continuation=_continuation(src, lines))


def join_lines(src: str, lines: list[tuple[int, int]]) -> str:
    """The msgid of a multi-line block: soft line breaks become one space.

    A newline is kept where it means something: a hard line break (two trailing
    spaces or a backslash), a break inside an unclosed ``<…>`` (a pointy link
    destination cannot span it) or inside a raw HTML tag (joined, a tag alone on
    the first line would start an HTML block), and every break of a block holding
    raw ``<pre>``-like HTML, whose whitespace a browser shows.
    """
    texts = [src[start:end] for start, end in lines]
    if len(texts) == 1:
        return texts[0].strip(MD_TRIM_CHARS)
    has_tags = "<" in src[lines[0][0]:lines[-1][1]]
    keep_all = has_tags and _PRE_LIKE.search(src, lines[0][0], lines[-1][1]) is not None
    in_tags = _breaks_in_tags("\n".join(texts)) if has_tags else set()
    parts: list[str] = []
    for number, text in enumerate(texts[:-1]):
        hard = (text.endswith("  ") or text.endswith("\\") or text.rfind("<") > text.rfind(">")
                or number in in_tags)
        parts.append(text + ("\n" if hard or keep_all else " "))
    parts.append(texts[-1])
    return "".join(parts).strip(MD_TRIM_CHARS)


_PRE_LIKE = re.compile(r"</?(?:pre|textarea|script|style)[\s>]", re.IGNORECASE)
_HTML_TAG = re.compile(f"{open_tag}|{close_tag}")


def _breaks_in_tags(text: str) -> set[int]:
    """The numbers of the line breaks of ``text`` that lie inside a raw HTML tag."""
    return {text.count("\n", 0, pos) for tag in _HTML_TAG.finditer(text)
            for pos in range(tag.start(), tag.end()) if text[pos] == "\n"}


def _continuation(src: str, lines: list[tuple[int, int]]) -> str:
    """The prefix a second line of this block needs (``> ``, list indentation)."""
    if len(lines) > 1:
        begin = src.rfind("\n", 0, lines[1][0]) + 1
        return src[begin:lines[1][0]]
    begin = src.rfind("\n", 0, lines[0][0]) + 1
    return "".join(ch if ch in "> \t" else " " for ch in src[begin:lines[0][0]])


class _TableState:
    """Follows the table being walked: header texts and the current cell's column."""

    def __init__(self) -> None:
        self.headers: list[str] = []
        self.in_head = False
        self.column = -1
        self.row_cells: list[tuple[int, int]] = []

    def see(self, token: Token) -> None:
        if token.type == "thead_open":
            self.in_head, self.headers = True, []
        elif token.type == "thead_close":
            self.in_head = False
        elif token.type == "tr_open":
            self.column, self.row_cells = -1, []
        elif token.type in ("th_open", "td_open"):
            self.column += 1
        elif token.type == "inline" and self.in_head:
            self.headers.append(token.content)

    def cell(self, src: str, token: Token, line: int, place: _Place) -> Segment | None:
        if not self.row_cells:
            self.row_cells = cell_spans(src, *token.meta["lines"][0])
        index = self.column
        if index >= len(self.row_cells):
            return None
        start, end = self.row_cells[index]
        if self.in_head:
            kind, comment = "table header", f"Table header, column {index + 1}"
        else:
            header = self.headers[index] if index < len(self.headers) else ""
            kind, comment = "table cell", f"Table cell, column {index + 1} ({header})"
        return place.segment(token.content, line, kind, comment, start=start, end=end, mode="cell")


def cell_spans(src: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of a table row's cell texts, split as markdown-it's ``escapedSplit`` does."""
    row = src[start:end]
    lead = len(row) - len(row.lstrip(MD_TRIM_CHARS))
    start, end = start + lead, start + len(row.rstrip(MD_TRIM_CHARS))
    columns: list[tuple[int, int]] = []
    last, escaped = start, False
    for pos in range(start, end):
        ch = src[pos]
        if ch == "|" and not escaped:
            columns.append((last, pos))
            last = pos + 1
        escaped = ch == "\\"
    columns.append((last, end))
    if columns and columns[0][0] == columns[0][1]:
        columns.pop(0)
    if columns and columns[-1][0] == columns[-1][1]:
        columns.pop()
    return [_trimmed(src, a, b) for a, b in columns]


def _trimmed(src: str, start: int, end: int) -> tuple[int, int]:
    text = src[start:end]
    stripped = text.strip(MD_TRIM_CHARS)
    if not stripped:
        return (start, start)
    offset = text.index(stripped)
    return (start + offset, start + offset + len(stripped))


def _front_matter(src: str, token: Token, keys: tuple[str, ...]):
    offset = src.index("\n") + 1  # the YAML starts on the line after the opening ---
    first_line = token.map[0] + 2
    try:
        found = frontmatter.fields(token.content, keys)
    except PipelineError as error:
        raise PipelineError(error.message, line=first_line + (error.line or 0),
                            code=error.code) from None
    for item in found:
        note = FIELD_NOTES.get(item.key, "")
        comment = f"Front matter: {item.key}" + (f" ({note})" if note else "")
        yield Segment(item.value, first_line + item.line, "front matter",
                      msgctxt=f"front matter: {item.key}", comment=comment,
                      start=offset + item.start, end=offset + item.end, mode="yaml",
                      style=item.style)
