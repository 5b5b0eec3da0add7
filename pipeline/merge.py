"""Source + translations → a :class:`LocalizedDocument`, the source's structure kept.

Each translated segment replaces exactly its span of source text; everything
around it (list markers, indentation, block-quote markers, table pipes, front
matter keys and quoting) is copied unchanged.  A translation is untrusted text:
before it is written it is made to stay inline text in its place (a line that
would start a list, a heading, a quote or a code block is escaped; a blank line
cannot end the paragraph; a ``|`` cannot split a table cell), and the page is parsed
once to prove that every block holds what the source's holds: the same blocks on the
lines expected, the same cells in each table row, each untranslated text unchanged
and each translated cell or heading exactly its translation.

When that proof fails (rare: :func:`place` escapes what it can), each translation is
validated on its own, as Sphinx's ``publish_msgstr`` does: parsed with the source's
parser as the block it replaces, and refused if its shape differs.  One refusal
costs about one segment's parse per translation and one more parse of the page,
not a parse of the page per translation.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from itertools import accumulate
from operator import attrgetter

import yaml
from markdown_it.common.utils import MD_TRIM_CHARS
from markdown_it.rules_block.table import escapedSplit
from markdown_it.token import Token

from pipeline import frontmatter
from pipeline.document import Document, Segment
from pipeline.markdown import Parsed, parse_with_env
from pipeline.segments import read

Translate = Callable[[Segment], "str | None"]


@dataclass(frozen=True, slots=True)
class Rejected:
    """A translation that could not be placed without changing the page's structure."""

    segment: Segment
    reason: str


STRUCTURE = "the translation would change the page's block structure or link definitions"


def localize(text: str, translate: Translate) -> str:
    """Localized Markdown of ``text``: ``translate(segment)`` gives each translation or None."""
    return localize_parsed(read(text), translate).markdown


@dataclass(frozen=True, slots=True)
class LocalizedDocument:
    """The result of merging: the localized Markdown and its parse, where each segment is in
    both parses, and which segments' text was translated (Sphinx marks translated nodes the
    same way).  The checks read a translation's tokens and the renderer marks the blocks
    left in the source language through it, never by reusing a source position."""

    source: Document
    markdown: str
    parsed: Parsed
    translated: frozenset[int]  # indexes into source.segments whose translation is on the page
    rejected: list[Rejected]
    positions: tuple[int, ...]  # per segment: its inline token in ``parsed.tokens`` (-1: none)

    def source_token(self, index: int) -> Token | None:
        """The inline token of segment ``index`` in the source's parse (None: front matter)."""
        position = self.source.segments[index].token
        return self.source.tokens[position] if position >= 0 else None

    def localized_token(self, index: int) -> Token | None:
        """The inline token of segment ``index`` in the localized page's parse."""
        position = self.positions[index]
        return self.parsed.tokens[position] if position >= 0 else None

    def fallback(self) -> frozenset[int]:
        """Positions, in the localized parse, of the inline tokens still in the source language."""
        return frozenset(position for index, position in enumerate(self.positions)
                         if position >= 0 and index not in self.translated)


def localize_document(doc: Document, translate: Translate) -> tuple[str, list[Rejected]]:
    """Localize a parsed document; translations that would break its structure fall back
    to the source text and are returned as :class:`Rejected`."""
    result = localize_parsed(doc, translate)
    return result.markdown, result.rejected


class PageTooLarge(Exception):
    """The localized page would be longer than the ``max_size`` it was given."""

    def __init__(self, size: int) -> None:
        super().__init__(f"the localized page would have {size:,} characters")
        self.size = size


def localize_parsed(doc: Document, translate: Translate,
                    max_size: int | None = None) -> LocalizedDocument:
    """Place every translation and parse the page once; if the page does not hold what the
    source holds, refuse the translations that fail on their own (:func:`validate`) and
    merge again; a break that shows only in context (rare) is found by bisection.

    ``max_size``: a page longer than this raises :class:`PageTooLarge` before it is parsed.
    """
    line_of = _line_finder(doc.text)
    placed: list[_Placed] = []
    for index, segment in enumerate(doc.segments):
        translation = translate(segment)
        if translation is not None and translation.strip():
            placed.append(_Placed(index, segment, translation, place(segment, translation),
                                  line_of(segment.start), line_of(segment.end) - line_of(segment.start)))
    placed.sort(key=_START)  # a footnote's body comes last among the tokens, first in the text
    merged = _merge(doc, placed, max_size)
    if merged is not None:
        return merged
    verdicts = [validate(item.segment, item.translation) for item in placed]
    rejected = [item for item, reason in zip(placed, verdicts) if reason is not None]
    good = [item for item, reason in zip(placed, verdicts) if reason is None]
    merged = _merge(doc, good)
    while merged is None and good:  # a break only the page's context shows
        culprit = _first_breaking(doc, good)
        rejected.append(culprit)
        good = [item for item in good if item is not culprit]
        merged = _merge(doc, good)
    if merged is None:  # the source itself does not pass (front matter YAML cannot read)
        merged = _merged(doc, [], parse_with_env(doc.text))
    refused = [Rejected(item.segment, STRUCTURE)
               for item in sorted(rejected, key=lambda item: item.segment.start)]
    return replace(merged, rejected=refused)


_START = attrgetter("segment.start")


def validate(segment: Segment, translation: str) -> str | None:
    """Why ``translation``, written in ``segment``'s place, would not be the block it
    replaces, judged on its own (None: it is): parsed with the source's parser as that
    block, as Sphinx's ``publish_msgstr`` does, and its shape compared."""
    if segment.mode == "yaml":
        return None if _yaml_reads(f"value: {place(segment, translation)}") else STRUCTURE
    if segment.mode == "cell":
        text = place(segment, translation)
        return None if len(escapedSplit(text)) == 1 and "\n" not in text else STRUCTURE
    if segment.mode == "line":
        text = "# " + place(segment, translation)
        expected = ("heading_open", "inline", "heading_close")
    else:
        text = place(replace(segment, continuation=""), translation)
        if segment.kind == "heading":  # setext: lines of text above an underline
            text += "\n==="
            expected = ("heading_open", "inline", "heading_close")
        else:
            expected = ("paragraph_open", "inline", "paragraph_close")
    parsed = parse_with_env(text)
    shape = tuple(token.type for token in parsed.tokens)
    if shape != expected or parsed.env.get("references") or parsed.env.get("footnotes"):
        return STRUCTURE
    return None


def _first_breaking(doc: Document, placed: list[_Placed]) -> _Placed:
    """The first replacement (in source order) with which the page stops matching its
    source: the shortest failing prefix, found by bisection (the source alone matches)."""
    low, high = 0, len(placed)  # placed[:low] matches, placed[:high] does not
    while high - low > 1:
        middle = (low + high) // 2
        if _merge(doc, placed[:middle]) is None:
            high = middle
        else:
            low = middle
    return placed[high - 1]


@dataclass(frozen=True, slots=True, eq=False)
class _Placed:
    """A segment, its translation, the text that replaces its span, and where that span is
    (0-based lines)."""

    index: int  # of the segment in the document
    segment: Segment
    translation: str
    text: str
    line: int  # of the span's start in the source
    span_lines: int  # line breaks inside the span in the source

    @property
    def added_lines(self) -> int:
        return self.text.count("\n") - self.span_lines


def _line_finder(text: str) -> Callable[[int], int]:
    """Character offset -> 0-based line number in ``text``."""
    breaks = [match.start() for match in re.finditer("\n", text)]
    return lambda offset: bisect_left(breaks, offset)


def _apply(src: str, replacements: Iterable[_Placed]) -> str:
    """``src`` with each replacement's span replaced (``replacements`` in source order)."""
    pieces, position = [], 0
    for item in replacements:
        pieces.append(src[position:item.segment.start])
        pieces.append(item.text)
        position = item.segment.end
    pieces.append(src[position:])
    return "".join(pieces)


def place(segment: Segment, translation: str) -> str:
    """The translation written so that it stays one inline text in the segment's place."""
    if segment.mode == "yaml":
        return frontmatter.quote(translation.strip(), segment.style)
    if segment.mode == "cell":
        return protect_cell(_one_line(translation))
    if segment.mode == "line":
        return protect_heading(_one_line(translation))
    lines = protect_lines(translation)
    if lines and _REFERENCE_START.match("\n".join(lines)):  # "[\nnhs]: https://…" over lines
        lines[0] = "\\" + lines[0]
    return ("\n" + segment.continuation).join(lines)


def _one_line(text: str) -> str:
    return " ".join(part.strip(MD_TRIM_CHARS) for part in text.splitlines()).strip(MD_TRIM_CHARS)


# Line starts that would open a block instead of continuing inline text.
_BLOCK_START = re.compile(
    r"""^(?:
        \#{1,6}(?=[ \t]|$)                 # ATX heading
      | [-+*](?=[ \t]|$)                   # bullet list item
      | (?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$   # thematic break
      | (?:=+|-+)[ \t]*$                    # setext underline
      | \d{1,9}[.)](?=[ \t]|$)             # ordered list item
      | >                                  # block quote
      | `{3,}[^`]*$ | ~{3,}                # code fence
      | :{3,}                              # container fence
      | \[\^?(?:[^\]\\]|\\.)*\]:           # link reference or footnote definition
      | \|                                 # table row
      | [-:|][-:|\s]*$                     # table delimiter row
    )""",
    re.VERBOSE,
)
_HTML_BLOCK_START = re.compile(
    r"^<(?:!--|\?|![A-Za-z]|!\[CDATA\[|(?:script|pre|style|textarea)(?:[\s>]|$)"
    r"|/?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup"
    r"|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset"
    r"|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol"
    r"|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr"
    r"|track|ul)(?:[\s/>]|$))",
    re.IGNORECASE,
)
_ORDERED = re.compile(r"^(\d{1,9})([.)])")
# A link reference definition's start, its label possibly spread over lines: at the start of
# a paragraph it would define (or, first defined, win) a reference the page's links use.
_REFERENCE_START = re.compile(r"\[(?:[^\]\\]|\\.)*\]:", re.DOTALL)


def protect_lines(translation: str) -> list[str]:
    """Lines of a paragraph translation, each kept from starting a new block.

    Blank lines are dropped (they would end the paragraph), indentation is
    removed (it could make code), and a line that would start a block has its
    first character backslash-escaped, which renders the same character.
    """
    lines = [line.lstrip(MD_TRIM_CHARS) for line in translation.split("\n")]
    lines = [line for line in lines if line.strip(MD_TRIM_CHARS)]
    if lines:
        lines[-1] = lines[-1].rstrip(MD_TRIM_CHARS)
    return [_escape_block_start(line) for line in lines]


def _escape_block_start(line: str) -> str:
    if _HTML_BLOCK_START.match(line):
        return "&lt;" + line[1:]
    if not _BLOCK_START.match(line):
        return line
    ordered = _ORDERED.match(line)
    if ordered:
        return f"{ordered.group(1)}\\{ordered.group(2)}{line[ordered.end():]}"
    return "\\" + line


def protect_heading(text: str) -> str:
    """An ATX heading text: a trailing run of ``#`` would be read as a closing sequence."""
    match = re.search(r"(?:^|[ \t])(#+)$", text)
    if match:
        return text[: match.start(1)] + "\\" + text[match.start(1):]
    return text


def protect_cell(text: str) -> str:
    """A table cell text: every ``|`` escaped, so the row keeps its cells.  markdown-it's
    row splitting takes any ``|`` right after a backslash for an escaped one, so a cell
    ending in a backslash ("Ketamina\\") would swallow the next cell: a space keeps them
    apart (the cell is trimmed; the backslash stays text)."""
    text = _UNESCAPED_PIPE.sub("\\\\|", text)
    return text + " " if text.endswith("\\") else text


_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _merge(doc: Document, placed: list[_Placed],
           max_size: int | None = None) -> LocalizedDocument | None:
    """The page with ``placed`` translations if it holds what the source holds, else None."""
    localized = _apply(doc.text, placed)
    if max_size is not None and len(localized) > max_size:
        raise PageTooLarge(len(localized))
    parsed = parse_with_env(localized)
    return _merged(doc, placed, parsed, localized) if _holds(doc, placed, parsed) else None


def _merged(doc: Document, placed: list[_Placed], parsed: Parsed,
            markdown: str | None = None) -> LocalizedDocument:
    """The :class:`LocalizedDocument` of a page that matches its source token for token."""
    return LocalizedDocument(doc, doc.text if markdown is None else markdown, parsed,
                             frozenset(item.index for item in placed), [],
                             tuple(segment.token for segment in doc.segments))


def _holds(doc: Document, placed: list[_Placed], parsed: Parsed) -> bool:
    """Whether the localized page holds what the source holds, token for token: the same
    blocks (type, tag, nesting) each on the line the replacements before it moved it to,
    front matter that YAML still reads, the same link reference definitions, each
    untranslated text unchanged and each translated table cell or ATX heading exactly its
    translation (a cell cannot take its neighbour's text, nor give up some of its own)."""
    source, target = doc.tokens, parsed.tokens
    if len(source) != len(target):
        return False
    translated = {item.segment.token for item in placed}
    expected = {item.segment.token: _content(item) for item in placed
                if item.segment.mode in _EXACT}  # a paragraph's: None, which get() gives too
    starts = [item.line for item in placed]
    shifts = list(accumulate(item.added_lines for item in placed))
    for position, (mine, theirs) in enumerate(zip(source, target)):
        if mine.type != theirs.type or mine.tag != theirs.tag or mine.nesting != theirs.nesting:
            return False
        if mine.type == "front_matter":
            if not _yaml_reads(theirs.content):
                return False
            continue
        if mine.map is None:  # closing tokens; an inline footnote's body, from its segment's text
            continue
        wanted = mine.content
        if mine.type == "inline" and position in translated:
            wanted = expected.get(position)
        if wanted is not None and theirs.content != wanted:
            return False
        if mine.type != "inline":
            before = bisect_left(starts, mine.map[0])  # replacements starting above this block
            if not theirs.map or theirs.map[0] != mine.map[0] + (shifts[before - 1] if before else 0):
                return False
    return (_references(parsed.env) == _references(doc.env)
            and _footnotes(parsed.env) == _footnotes(doc.env))


_EXACT = frozenset({"cell", "line"})  # segments whose token's content is their placed text


def _content(item: _Placed) -> str | None:
    """The inline text a translated segment's token must hold (None: a paragraph's, whose
    lines the parser joins in ways the structure already proves)."""
    if item.segment.mode == "cell":  # without a "|", markdown-it's escapedSplit keeps it whole
        text = "".join(escapedSplit(item.text)) if "|" in item.text else item.text
        return text.strip(MD_TRIM_CHARS)
    if item.segment.mode == "line":
        return item.text.strip(MD_TRIM_CHARS)
    return None


def _references(env: dict) -> dict[str, tuple]:
    """The link reference definitions a page's links resolve to (label: address, title)."""
    return {label: (found.get("href"), found.get("title"))
            for label, found in env.get("references", {}).items()}


def _footnotes(env: dict) -> list[tuple[str | None, int]]:
    """The footnotes a page shows, in order: each one's label (None: an inline one) and
    how often it is referenced.  A translation that references a footnote the source
    never does (``[^1]`` for an inline note) would show a new block of text."""
    shown = env.get("footnotes", {}).get("list", {})
    return [(note.get("label"), note.get("count", 1)) for _, note in sorted(shown.items())]


def _yaml_reads(text: str) -> bool:
    try:
        frontmatter.load(text)
    except yaml.YAMLError:
        return False
    return True


def _shape(tokens: list[Token]) -> list[tuple[str, str, int]]:
    """The block structure: every block token's type, tag and nesting (text aside)."""
    return [(t.type, t.tag, t.nesting) for t in tokens if t.type != "inline"]
