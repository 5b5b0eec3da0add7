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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import yaml
from markdown_it.common.utils import MD_TRIM_CHARS

from . import frontmatter
from .markdown import Parsed, parse_with_env
from .segments import Document, Segment, read

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
    """:func:`localize_document`, keeping the parse that proved the structure unchanged."""
    replacements = []
    for segment in doc.segments:
        translation = translate(segment)
        if translation is None or not translation.strip():
            continue
        replacements.append((segment, place(segment, translation)))
    result = _apply(doc.text, replacements)
    parsed = _same_structure(doc, result)
    if parsed is not None:
        return Localization(result, [], parsed)
    # Rare: find the culprits one by one, keep the others.
    good, rejected = [], []
    for segment, text in replacements:
        if _same_structure(doc, _apply(doc.text, [(segment, text)])) is not None:
            good.append((segment, text))
        else:
            rejected.append(Rejected(segment, "the translation would change the page's block structure"))
    result = _apply(doc.text, good)
    return Localization(result, rejected, _same_structure(doc, result) or parse_with_env(result))


def _apply(src: str, replacements: Iterable[tuple[Segment, str]]) -> str:
    pieces, position = [], 0
    for segment, text in sorted(replacements, key=lambda item: item[0].start):
        pieces.append(src[position:segment.start])
        pieces.append(text)
        position = segment.end
    pieces.append(src[position:])
    return "".join(pieces)


def place(segment: Segment, translation: str) -> str:
    """The translation written so that it stays one inline text in the segment's place."""
    if segment.mode == "yaml":
        return frontmatter.quote(translation.strip(), segment.style)
    if segment.mode == "cell":
        return _one_line(protect_cell(translation))
    if segment.mode == "line":
        return protect_heading(_one_line(translation))
    lines = protect_lines(translation)
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
    """A table cell text: every ``|`` escaped, so the row keeps its cells."""
    return text.replace("|", "\\|")


def _same_structure(doc: Document, localized: str) -> Parsed | None:
    """The parse of ``localized`` if it has the source's blocks and front matter that
    YAML still reads, else None."""
    parsed = parse_with_env(localized)
    if _shape(doc.tokens) != _shape(parsed.tokens):
        return None
    for token in parsed.tokens:
        if token.type == "front_matter":
            try:
                frontmatter.load(token.content)
            except yaml.YAMLError:
                return None
    return parsed


def _shape(tokens) -> list[tuple[str, str, int]]:
    """The block structure: every block token's type, tag and nesting (text aside)."""
    return [(t.type, t.tag, t.nesting) for t in tokens if t.type != "inline"]
