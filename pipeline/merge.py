"""Source + translations → localized Markdown, the source's structure kept byte for byte.

Each translated segment replaces exactly its span of source text; everything
around it (list markers, indentation, block-quote markers, table pipes, front
matter keys and quoting) is copied unchanged.  A translation is untrusted text:
before it is written it is made to stay inline text in its place (a line that
would start a list, a heading, a quote or a code block is escaped; a blank line
cannot end the paragraph; a ``|`` cannot split a table cell), and the result is
re-parsed to prove that the block structure did not change.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from itertools import accumulate
from dataclasses import dataclass

import yaml
from markdown_it.common.utils import MD_TRIM_CHARS

from pipeline import frontmatter
from pipeline.markdown import Parsed, parse_with_env
from pipeline.segments import Document, Segment, read

Translate = Callable[[Segment], "str | None"]


@dataclass(frozen=True, slots=True)
class Rejected:
    """A translation that could not be placed without changing the page's structure."""

    segment: Segment
    reason: str


def localize(text: str, translate: Translate) -> str:
    """Localized Markdown of ``text``: ``translate(segment)`` gives each translation or None."""
    markdown, _rejected = localize_document(read(text), translate)
    return markdown


@dataclass(frozen=True, slots=True)
class Localization:
    """Localized Markdown, the translations refused, and its parse (to render it from)."""

    markdown: str
    rejected: list[Rejected]
    parsed: Parsed


def localize_document(doc: Document, translate: Translate) -> tuple[str, list[Rejected]]:
    """Localize a parsed document; translations that would break its structure fall back
    to the source text and are returned as :class:`Rejected`."""
    result = localize_parsed(doc, translate)
    return result.markdown, result.rejected


def localize_parsed(doc: Document, translate: Translate) -> Localization:
    """:func:`localize_document`, keeping the parse that proved the structure unchanged.

    Every translation is placed and the page parsed once.  If its block structure or its
    link reference definitions changed (rare: :func:`place` escapes what it can), the
    translations around the first block that differs are set aside and the page parsed
    again; where that does not restore it (a change that shows only further down, such
    as an added footnote), the first translation that breaks the page is found by
    bisection.  Each one set aside is then tried once more with all the others, so a
    neighbour suspected wrongly is kept.  One refusal costs a few parses of the page (at
    most about log2 of its translations), not one per translation.
    """
    line_of = _line_finder(doc.text)
    good: list[_Placed] = []
    for segment in doc.segments:  # in source order
        translation = translate(segment)
        if translation is not None and translation.strip():
            good.append(_Placed(segment, place(segment, translation), line_of(segment.start),
                                line_of(segment.end) - line_of(segment.start)))
    suspects: list[_Placed] = []
    result = _apply(doc.text, good)
    parsed, window = _compare(doc, good, result)
    while parsed is None and good:
        found = _suspects(good, window)
        rest = [item for item in good if item not in found]
        result = _apply(doc.text, rest)
        parsed, window = _compare(doc, rest, result)
        if parsed is None:  # the window did not hold (all of) it: bisect for one culprit
            found = [_first_breaking(doc, good)]
            rest = [item for item in good if item not in found]
            result = _apply(doc.text, rest)
            parsed, window = _compare(doc, rest, result)
        good, suspects = rest, suspects + found
    if parsed is None:  # the source itself does not pass (front matter YAML cannot read)
        parsed = parse_with_env(result)
    rejected = []
    for suspect in sorted(suspects, key=lambda item: item.segment.start):
        trial_good = sorted([*good, suspect], key=lambda item: item.segment.start)
        trial = _apply(doc.text, trial_good)
        trial_parsed, _ = _compare(doc, trial_good, trial)
        if trial_parsed is None:
            rejected.append(Rejected(suspect.segment, "the translation would change the page's "
                                     "block structure or link definitions"))
        else:
            good, result, parsed = trial_good, trial, trial_parsed
    return Localization(result, rejected, parsed)


def _first_breaking(doc: Document, placed: list[_Placed]) -> _Placed:
    """The first replacement (in source order) with which the page stops matching its
    source: the shortest failing prefix, found by bisection (the source alone matches)."""
    low, high = 0, len(placed)  # placed[:low] matches, placed[:high] does not
    while high - low > 1:
        middle = (low + high) // 2
        prefix = placed[:middle]
        if _compare(doc, prefix, _apply(doc.text, prefix))[0] is None:
            high = middle
        else:
            low = middle
    return placed[high - 1]


@dataclass(frozen=True, slots=True)
class _Placed:
    """A segment, the text that replaces its span, and where that span is (0-based lines)."""

    segment: Segment
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


def _suspects(placed: list[_Placed], window: tuple[int, int]) -> list[_Placed]:
    """The replacements whose lines in the localized text meet ``window`` (0-based lines,
    inclusive), else the last one before it, else the first."""
    low, high = window
    found, before, shift = [], None, 0
    for item in placed:
        first = item.line + shift
        last = first + item.text.count("\n")
        shift += item.added_lines
        if first > high:
            break
        if last >= low:
            found.append(item)
        before = item
    return found or [before or placed[0]]


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


def _compare(doc: Document, placed: list[_Placed],
             localized: str) -> tuple[Parsed | None, tuple[int, int]]:
    """The parse of ``localized`` if it has the source's blocks, each on the line the
    replacements before it moved it to, and front matter that YAML still reads; else None
    and the localized lines (0-based, inclusive) between which it first differs."""
    parsed = parse_with_env(localized)
    source = [t for t in doc.tokens if t.type != "inline"]
    target = [t for t in parsed.tokens if t.type != "inline"]
    starts = [item.line for item in placed]
    shifts = list(accumulate(item.added_lines for item in placed))
    last = 0
    for mine, theirs in zip(source, target):
        expected = None
        if mine.map:
            before = bisect_left(starts, mine.map[0])  # replacements starting above this block
            expected = mine.map[0] + (shifts[before - 1] if before else 0)
        actual = theirs.map[0] if theirs.map else None
        if _kind(mine) != _kind(theirs) or expected != actual:
            lines = [last] + [line for line in (expected, actual) if line is not None]
            return None, (min(lines), max(lines))
        if theirs.type == "front_matter" and not _yaml_reads(theirs.content):
            return None, (0, theirs.map[1] if theirs.map else 0)
        last = actual if actual is not None else last
    if len(source) != len(target):
        return None, (last, localized.count("\n"))
    if _references(parsed.env) != _references(doc.env):  # defined where a block may start
        starts = [item.line for item in placed if item.text.lstrip("\\").startswith("[")]
        return None, (min(starts, default=0), max(starts, default=0))
    return parsed, (0, 0)


def _references(env: dict) -> dict[str, tuple]:
    """The link reference definitions a page's links resolve to (label: address, title)."""
    return {label: (found.get("href"), found.get("title"))
            for label, found in env.get("references", {}).items()}


def _yaml_reads(text: str) -> bool:
    try:
        frontmatter.load(text)
    except yaml.YAMLError:
        return False
    return True


def _kind(token) -> tuple[str, str, int]:  # type: ignore[no-untyped-def]
    return (token.type, token.tag, token.nesting)


def _shape(tokens) -> list[tuple[str, str, int]]:
    """The block structure: every block token's type, tag and nesting (text aside)."""
    return [_kind(t) for t in tokens if t.type != "inline"]
