"""What a reader sees of a piece of inline Markdown, and how to compare two of them.

A translator, careless or hostile, can leave English on a page in many disguises
that differ from the source byte for byte: an invisible character, an entity
(``&#84;``), an escape (``\\.``), no-break spaces, lower case, a Cyrillic "о",
bold removed, accents added.  :func:`seen` gives the text as a reader sees it
(markup and escapes gone, entities decoded, invisible characters removed) and
:func:`skeleton` reduces it further for comparison (NFKC, case folded, diacritics
removed, confusable letters mapped to their Latin look-alikes as the Unicode
confusables data gives them, whitespace collapsed), so that the disclaimer gate
judges what is on the page, never the bytes.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from markdown_it.token import Token
from rapidfuzz import fuzz

from pipeline.markdown import parser

# Characters a reader does not see: Unicode's format characters (Cf: zero-width spaces
# and joiners, U+FEFF, soft hyphen, bidirectional controls, ...), variation selectors,
# and the fillers that render as blank (Hangul fillers, the blank Braille pattern).
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")
_PLACEHOLDER_WORDS = frozenset({"todo", "tbd", "fixme", "xxx", "tba", "translate", "translation",
                                "lorem", "ipsum", "placeholder", "wip", "na", "n", "a", "tk"})


def seen(markdown: str) -> str:
    """The text of inline ``markdown`` as a page shows it: no markup, no escapes, entities
    decoded, invisible characters removed, whitespace runs as one space."""
    tokens = parser().parseInline(markdown, {})[0].children or []
    return _visible(" ".join(_texts(tokens)))


def _texts(tokens: list[Token]) -> list[str]:
    found: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            found.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            found.append(" ")
        elif token.type == "image":
            found.extend(_texts(token.children or []))
    return found


def _visible(text: str) -> str:
    kept = "".join(ch for ch in text if not _invisible(ch))
    return _SPACES.sub(" ", kept).strip()


def _invisible(ch: str) -> bool:
    category = unicodedata.category(ch)
    return (category in ("Cf", "Cc") and ch not in "\t\n") or ch in _FILLERS or _variation_selector(ch)


def _variation_selector(ch: str) -> bool:
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def skeleton(text: str) -> str:
    """``text`` (already :func:`seen`) reduced for comparison: NFKC, diacritics removed,
    confusable letters as their Latin look-alikes, case folded, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    latin = bare.translate(_LATIN_LOOKALIKES)
    return _SPACES.sub(" ", _visible(latin).casefold()).strip()


class _Lookalikes(dict):
    """``str.translate`` table, filled on demand: a character the Unicode confusables data
    says looks like one Latin letter maps to it, and so does a Latin letter with a stroke,
    hook or other mark that has no decomposition ("ƀ", "ɱ", "ƒ": LATIN SMALL LETTER B WITH
    STROKE is a b); every other character maps to itself."""

    def __missing__(self, code: int) -> str | int:
        character = chr(code)
        found: str | int = _confusables().get(code) or _marked_latin(character) or code
        self[code] = found
        return found


_NAMED_LATIN = re.compile(r"LATIN (SMALL|CAPITAL) LETTER ([A-Z]) WITH ")


def _marked_latin(character: str) -> str | None:
    match = _NAMED_LATIN.match(unicodedata.name(character, ""))
    if match is None:
        return None
    return match.group(2).lower() if match.group(1) == "SMALL" else match.group(2)


@lru_cache(maxsize=1)
def _confusables() -> dict[int, str]:
    """Each character that the Unicode confusables data says looks like one Latin letter
    (loaded the first time a text with a character beyond ASCII is compared)."""
    from confusable_homoglyphs.confusables import confusables_data

    table: dict[int, str] = {}
    for character, homoglyphs in confusables_data.items():
        if len(character) != 1 or character.isascii():
            continue
        for glyph in homoglyphs:
            if len(glyph["c"]) == 1 and glyph["c"].isascii() and glyph["c"].isalpha():
                table[ord(character)] = glyph["c"]
                break
    return table


_LATIN_LOOKALIKES = _Lookalikes()


def has_letters(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("L") for ch in text)


def is_placeholder(skeleton_text: str) -> bool:
    """Only placeholder words (TODO, TBD, FIXME, xxx, …) and punctuation."""
    words = re.findall(r"\w+", skeleton_text)
    return bool(words) and all(word in _PLACEHOLDER_WORDS or set(word) == {"x"} for word in words)


def bidi_controls(markdown: str) -> list[str]:
    """The bidirectional embedding, override and isolate controls in ``markdown``
    (U+202A–U+202E, U+2066–U+2069): they can make a text read other than it is stored."""
    return [f"U+{ord(ch):04X}" for ch in _BIDI_CONTROLS.findall(markdown)]


def similarity(one: str, other: str) -> float:
    """How alike two skeletons are, 0–100 (rapidfuzz's normalized Indel similarity)."""
    return fuzz.ratio(one, other)
