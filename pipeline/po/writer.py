"""Write a polib catalog byte for byte the way GNU gettext 0.21 writes it.

Why: ``str(po)`` wraps lines differently from ``msgcat``/``msgmerge`` (polib
breaks before a space, gettext after it; gettext counts display columns, knows
where Unicode allows a line break, never splits an escape sequence, ...).  When
translators' tools and ours disagree, every save rewraps whole paragraphs and
diffs drown in noise.  :func:`dumps` reproduces gettext's ``write-po.c`` as
built on libunistring 1.0 (Unicode 14), so that ``msgcat FILE`` and
``msgmerge --update --previous FILE TEMPLATE`` leave our files unchanged.

The parts, in gettext's order: translator comments ``#``, extracted comments
``#.``, references ``#:`` (as many on a line as fit), flags ``#,`` (fuzzy
first, then format flags in gettext's fixed order), previous strings ``#|``,
then ``msgctxt``, ``msgid``, ``msgid_plural``, ``msgstr``/``msgstr[N]``;
obsolete entries last, prefixed ``#~``.  What gettext would drop is not
written: ``fuzzy`` on an untranslated entry, obsolete entries
without a translation, and (as msgmerge does) the extracted comments and
references of obsolete entries.

Kept although gettext drops them: flags it does not know (``no-link-check``),
which are a translator's decisions.  Not reproduced: a comment line ending with a backslash (gettext joins it with
the next line); format directives of languages other than C and Python,
inside which gettext never breaks a line; the line break classes of a few
hundred Thai, Lao, Myanmar, Khmer, Tibetan and Mongolian characters.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata

import polib

__all__ = ["dumps"]

# The format flags gettext 0.21 knows, in the order it writes them.
_FORMATS = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript",
    "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal",
    "smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace",
    "php", "gcc-internal", "gfc-internal", "ycp",
)
_FORMAT_FLAG = re.compile(r"(no-|possible-|impossible-)?(.+)-format")
_RANGE_FLAG = re.compile(r"range:\s*(\d+)\.\.(\d+)")
_REFERENCE = re.compile(r"(.*):(\d+)")
# gettext does not break a line inside a format directive of an entry flagged
# with that format; only the two formats likely here are recognised.
_DIRECTIVES = {
    "c": re.compile(r"%(\d+\$)?[-+ #0'I]*(\*(\d+\$)?|\d+)?(\.(\*(\d+\$)?|\d*))?"
                    r"(hh|ll|[hlLqjzZt])?[diouxXeEfFgGaAcspnm%]"),
    "python": re.compile(r"%(\([^)]*\))?[-+ #0]*(\*|\d+)?(\.(\*|\d+))?[hlL]*[diouxXeEfFgGcrs%]"),
}
_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v",
            "\\": "\\", '"': '"'}
_NO_WRAP = 10**9


# --- the catalog -------------------------------------------------------------------------------


def dumps(po: polib.POFile, *, width: int = 79) -> str:
    """The text of ``po`` as ``msgcat --width=WIDTH`` writes it, final newline included."""
    header = po.metadata_as_entry()
    header.tcomment = po.header
    entries = [header] + [e for e in po if not e.obsolete]
    entries += [e for e in po if e.obsolete and _first_msgstr(e)]
    return "\n".join("".join(line + "\n" for line in _entry(e, width)) for e in entries)


def _entry(entry: polib.POEntry, width: int) -> list[str]:
    lines = _comments("#", entry.tcomment)
    if not entry.obsolete:  # msgmerge drops them from obsolete entries, polib never writes them
        lines += _comments("#.", entry.comment) + _references(entry.occurrences, width)
    flags, language = _flags(entry)
    if flags:
        lines.append("#, " + ", ".join(flags))
    if "no-wrap" in flags:
        width = _NO_WRAP
    prefix, previous = ("#~ ", "#~| ") if entry.obsolete else ("", "#| ")
    fields = [(previous, keyword, getattr(entry, "previous_" + keyword))
              for keyword in ("msgctxt", "msgid", "msgid_plural")]
    fields += [(prefix, "msgctxt", entry.msgctxt), (prefix, "msgid", entry.msgid)]
    if entry.msgid_plural:
        fields.append((prefix, "msgid_plural", entry.msgid_plural))
        fields += [(prefix, f"msgstr[{i}]", text) for i, text in enumerate(_plural_msgstrs(entry))]
    else:
        fields.append((prefix, "msgstr", entry.msgstr))
    for start, keyword, value in fields:
        if value is not None:
            lines += _string(start, keyword, value, width, frozenset(_directives(value, language)))
    return lines


def _plural_msgstrs(entry: polib.POEntry) -> list[str]:
    forms = {int(k): v for k, v in entry.msgstr_plural.items()} or {0: "", 1: ""}
    return [forms.get(i, "") for i in range(max(forms) + 1)]


def _first_msgstr(entry: polib.POEntry) -> str:
    return _plural_msgstrs(entry)[0] if entry.msgid_plural else entry.msgstr


def _comments(mark: str, text: str | None) -> list[str]:
    """``# text`` lines; an empty line of the comment is a bare ``#``."""
    return [f"{mark} {line}" if line else mark for line in text.split("\n")] if text else []


def _references(occurrences: list[tuple[str, str]], width: int) -> list[str]:
    """``#: file:line`` lines, as many references on a line as fit in ``width`` bytes.

    gettext reads a reference as far as the next white space, drops repeated
    ones, writes line numbers without leading zeros and file names without ``./``.
    """
    seen: list[str] = []
    for path, line in occurrences:
        for token in (f"{path}:{line}" if line else path).split():
            match = _REFERENCE.fullmatch(token)
            name, number = (match[1], int(match[2])) if match else (token, None)
            while name.startswith("./"):
                name = name[2:]
            text = name if number is None else f"{name}:{number}"
            if text not in seen:
                seen.append(text)
    lines, current = [], "#:"
    for text in seen:
        if len(current) > 2 and len(current.encode()) + 1 + len(text.encode()) > width:
            lines.append(current)
            current = "#:"
        current += " " + text
    return lines + [current] if seen else []


def _flags(entry: polib.POEntry) -> tuple[list[str], str | None]:
    """The flags gettext keeps, in its order, and the format whose directives are kept whole.

    Of contradicting flags (``c-format``, ``no-c-format``) the last one counts;
    ``fuzzy`` only stays on a translated entry.  Unlike gettext, which drops
    flags it does not know, we keep them last: a translator's ``no-link-check``
    is their decision, and an update must not lose it.
    """
    formats: dict[str, str] = {}
    limits = wrap = None
    flags = [f.strip() for f in entry.flags]
    for flag in flags:
        match, limit = _FORMAT_FLAG.fullmatch(flag), _RANGE_FLAG.fullmatch(flag)
        if match and match[2] in _FORMATS:
            formats[match[2]] = match[1] or ""
        elif limit and int(limit[1]) <= int(limit[2]) and not entry.obsolete:
            limits = f"range: {int(limit[1])}..{int(limit[2])}"
        elif flag in ("wrap", "no-wrap"):
            wrap = flag
    kept = ["fuzzy"] if "fuzzy" in flags and _first_msgstr(entry) else []
    kept += [("no-" if formats[lang] == "no-" else "") + lang + "-format"
             for lang in _FORMATS if formats.get(lang, "impossible-") != "impossible-"]
    kept += [limits] if limits else []
    kept += ["no-wrap"] if wrap == "no-wrap" else []
    known = {"fuzzy", "wrap", "no-wrap"}
    kept += [f for f in dict.fromkeys(flags) if f and f not in known
             and not _FORMAT_FLAG.fullmatch(f) and not _RANGE_FLAG.fullmatch(f)]
    language = next((lang for lang in _FORMATS if formats.get(lang) in ("", "possible-")), None)
    return kept, language


def _directives(value: str, language: str | None) -> set[int]:
    """Positions inside a format directive (not its first character) of ``value``.

    Like gettext's format parsers, the scan stops at the first ``%`` that does
    not start a valid directive.
    """
    pattern, inside = _DIRECTIVES.get(language or ""), set()
    at = value.find("%") if pattern else -1
    while at >= 0 and (match := pattern.match(value, at)):
        inside.update(range(at + 1, match.end()))
        at = value.find("%", match.end())
    return inside


# --- one string: escapes and line breaks -----------------------------------------------------


@functools.lru_cache(maxsize=1 << 15)  # a msgid is written in the template and every catalog
def _string(prefix: str, keyword: str, value: str, width: int, keep: frozenset[int]) -> list[str]:
    """``keyword "value"`` split into lines the way gettext's ``wrap()`` does.

    The value is cut after each ``\\n``; each portion is filled up to ``width``
    columns (quotes included) at the break opportunities of Unicode line
    breaking, never before a position of ``keep``.  If the value does not fit on
    the keyword's line, or has more than one portion, the first line is
    ``keyword ""``.
    """
    portions = re.findall(r"[^\n]*\n|[^\n]+", value) or [""]
    limit = width - 1 - (len(prefix) + 1)  # room for both quotes
    lines, first, offset = [], True, 0
    for number, portion in enumerate(portions):
        text, forbidden = _escape(portion, {i - offset for i in keep})
        offset += len(portion)
        start = len(keyword) + 1 if first else 0
        breaks = _fill(text, forbidden, limit, start)
        if first and text and (number + 1 < len(portions) or start > limit or breaks):
            lines.append(f'{prefix}{keyword} ""')
            first, breaks = False, _fill(text, forbidden, limit, 0)
        bounds = [0, *breaks, len(text)]
        pieces = [f'"{text[a:b]}"' for a, b in zip(bounds, bounds[1:])]
        lines.append(f"{prefix}{keyword} {pieces[0]}" if first else prefix + pieces[0])
        lines += [prefix + piece for piece in pieces[1:]]
        first = False
    return lines


_NEEDS_ESCAPE = re.compile(r'[\a\b\f\n\r\t\v\\"]')


def _escape(portion: str, keep: set[int]) -> tuple[str, set[int]]:
    """The escaped portion, and the positions in it where a line must not break.

    Those are the positions of ``keep``, the inside of escape sequences, and
    the ``\\n`` that ends a portion.  Other control characters are written raw.
    """
    if not keep and not _NEEDS_ESCAPE.search(portion):  # the common case: nothing to escape
        return portion, set()
    out: list[str] = []
    forbidden: set[int] = set()
    for i, char in enumerate(portion):
        if i in keep:
            forbidden.add(len(out))
        if char in _ESCAPES:
            out.append("\\")
            forbidden.add(len(out))
            out.append(_ESCAPES[char])
        else:
            out.append(char)
    if portion.endswith("\n"):
        forbidden.add(len(out) - 2)
    return "".join(out), forbidden


def _fill(text: str, forbidden: set[int], width: int, column: int) -> list[int]:
    """Where to break ``text`` (libunistring's ``u8_width_linebreaks``).

    Greedy: a piece that would end past ``width`` goes to a new line, even when
    it is longer than the line (a long word or URL is never cut).
    """
    printable_ascii = _PRINTABLE_ASCII.fullmatch(text) is not None
    total = len(text) if printable_ascii else sum(map(_width, text))
    if column + total <= width:  # it fits: no break is ever taken (most headings and cells)
        return []
    if printable_ascii:
        return _fill_ascii(text, forbidden, width, column)
    return _fill_general(text, forbidden, width, column)


def _fill_general(text: str, forbidden: set[int], width: int, column: int) -> list[int]:
    """:func:`_fill` character by character, for any text."""
    breaks: list[int] = []
    last, piece = None, 0
    for i, (char, kind) in enumerate(zip(text, _opportunities(text))):
        kind = _NEVER if i in forbidden else kind
        if kind != _NEVER and last is not None and column + piece > width:
            breaks.append(last)
            column = 0
        if kind == _MANDATORY:
            last, column, piece = None, 0, 0
            continue
        if kind == _POSSIBLE:
            last, column, piece = i, column + piece, 0
        piece += _width(char)
    if last is not None and column + piece > width:
        breaks.append(last)
    return breaks


_PRINTABLE_ASCII = re.compile(r"[ -~]*")


def _fill_ascii(text: str, forbidden: set[int], width: int, column: int) -> list[int]:
    """:func:`_fill` for printable ASCII (every character one column wide, no mandatory
    breaks), walking from one break opportunity to the next instead of character by
    character; the opportunities come word by word from a cache (prose repeats words)."""
    breaks: list[int] = []
    last, previous = None, 0
    for position in _ascii_opportunities(text):
        if position in forbidden:
            continue
        piece = position - previous
        if last is not None and column + piece > width:
            breaks.append(last)
            column = 0
        last, column, previous = position, column + piece, position
    if last is not None and column + len(text) - previous > width:
        breaks.append(last)
    return breaks


def _ascii_opportunities(text: str) -> list[int]:
    """Positions before which printable ASCII ``text`` may break, as :func:`_opportunities`
    finds them.  In ASCII the outcome before a character depends only on its class, the
    class of the last non-space character and whether spaces came between; patterns
    built from the pair table find them at C speed (a loop per word was the hot spot)."""
    adjacent, after_spaces = _ascii_patterns()
    found = [m.start() for m in adjacent.finditer(text)]
    found += [m.end() for m in after_spaces.finditer(text)]
    found.sort()
    return found


@functools.lru_cache(maxsize=1)
def _ascii_patterns() -> tuple[re.Pattern, re.Pattern]:
    """Patterns of the opportunities between two printable ASCII characters and after a
    run of spaces, generated from the pair table (so they cannot disagree with it)."""
    chars: dict[str, str] = {}
    for code in range(0x21, 0x7F):
        chars.setdefault(_line_class(chr(code)), "")
        chars[_line_class(chr(code))] += chr(code)
    adjacent: dict[str, str] = {}  # next characters → previous characters
    after_spaces: dict[str, str] = {}
    for before, before_chars in chars.items():
        direct = "".join(chars[c] for c in chars if _PAIRS[before][c] == "D")
        spaced = "".join(chars[c] for c in chars if _PAIRS[before][c] in "DI")
        if direct:
            adjacent[direct] = adjacent.get(direct, "") + before_chars
        if spaced:
            after_spaces[spaced] = after_spaces.get(spaced, "") + before_chars
    def group(chars_: str) -> str:
        return "[" + "".join("\\" + c if c in "\\]^-[" else c for c in chars_) + "]"
    return (re.compile("|".join(f"(?<={group(b)}){group(n)}" for n, b in adjacent.items())),
            re.compile("|".join(f"(?<={group(b)}) +(?={group(n)})" for n, b in after_spaces.items())))


@functools.lru_cache(maxsize=4096)
def _width(char: str) -> int:
    """Display columns, as libunistring's ``uc_width`` for UTF-8 counts them.

    Control characters, combining marks and format characters take no room;
    East Asian wide and fullwidth characters (CJK) take two; everything else,
    Arabic and accented Latin included, takes one.
    """
    code = ord(char)
    if code < 0x20 or 0x7F <= code < 0xA0:
        return 0
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    if 0x1160 <= code < 0x1200 or 0xD7B0 <= code < 0xD800:  # Hangul medial vowels, final consonants
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


# --- Unicode line breaking (UAX #14) as libunistring 1.0 does it ---------------------------

_NEVER, _POSSIBLE, _MANDATORY = 0, 1, 2

# Pair table: may a line break between a character of class row and one of
# class column?  D: yes; I: only if spaces come between; P: no.  Measured on
# msgcat 0.21 (libunistring 1.0), which differs from UAX #14's table in places.
_COLUMNS = ("WJ GL B2 BA BB HY CL CP EX IN NS OP QU IS NU PO PR SY AL H2 H3 ID JL JV JT HL RI EB EM"
            .split())
_ROWS = """
WJ PIIIIIPPPIIIIPIIIPIIIIIIIIIII   GL PIIIIIPPPIIIIPIIIPIIIIIIIIIII
B2 PIPIDIPPPIIDIPDDDPDDDDDDDDDDD   BA PDDIDIPPPIIDIPDDDPDDDDDDDDDDD
BB PIIIIIPPPIIIIPIIIPIIIIIIIIIII   HY PDDIDIPPPIIDIPIDDPDDDDDDDDDDD
CL PIDIDIPPPIPDIPDIIPDDDDDDDDDDD   CP PIDIDIPPPIIDIPIIIPIDDDDDDIDDD
EX PIDIDIPPPIIDIPDDDPDDDDDDDDDDD   IN PIDIDIPPPIIDIPDDDPDDDDDDDDDDD
NS PIDIDIPPPIIDIPDDDPDDDDDDDDDDD   OP PPPPPPPPPPPPPPPPPPPPPPPPPPPPP
QU PIIIIIPPPIIPIPIIIPIIIIIIIIIII   IS PIDIDIPPPIIDIPIDDPDDDDDDDDDDD
NU PIDIDIPPPIIIIPIIIPIDDDDDDIDDD   PO PIDIDIPPPIIIIPIDDPIDDDDDDIDDD
PR PIDIDIPPPIIIIPIDDPIIIIIIIIDII   SY PIDIDIPPPIIDIPIDDPDDDDDDDIDDD
AL PIDIDIPPPIIIIPIIIPIDDDDDDIDDD   H2 PIDIDIPPPIIDIPDIDPDDDDDIIDDDD
H3 PIDIDIPPPIIDIPDIDPDDDDDDIDDDD   ID PIDIDIPPPIIDIPDIDPDDDDDDDDDDD
JL PIDIDIPPPIIDIPDIDPDIIDIIDDDDD   JV PIDIDIPPPIIDIPDIDPDDDDDIIDDDD
JT PIDIDIPPPIIDIPDIDPDDDDDDIDDDD   HL PIDIDIPPPIIIIPIIIPIDDDDDDIDDD
RI PIDIDIPPPIIDIPDDDPDDDDDDDDIDD   EB PIDIDIPPPIIDIPDIDPDDDDDDDDDDI
EM PIDIDIPPPIIDIPDIDPDDDDDDDDDDD
"""


def _pairs() -> dict[str, dict[str, str]]:
    pairs = {row: dict(zip(_COLUMNS, cells)) for row, cells in zip(*[iter(_ROWS.split())] * 2)}
    for row, cells in pairs.items():
        cells["OPW"] = "D" if row in ("AL", "HL", "NU") else cells["OP"]
    pairs["OPW"] = pairs["OP"]
    return pairs


_PAIRS = _pairs()

# Line break classes (Unicode 14 LineBreak.txt, as in libunistring 1.0) of the
# characters whose class does not follow from the rules of _line_class, as
# hexadecimal code points and ranges.  Exact for Latin, Greek, Cyrillic,
# Hebrew, Arabic, CJK, Hangul, punctuation, symbols and emoji; a few hundred
# characters of Thai, Lao, Myanmar, Khmer, Tibetan, Mongolian and some
# historic scripts get an approximate class.
_CLASSES = {
    "BK": "A-D 85 2028-2029",
    "SP": "20",
    "ZW": "200B",
    "ZWJ": "200D",
    "WJ": "2060 FEFF",
    "GL": "A0 34F 35C-362 2007 2011 202F",
    "CM": "61C 200C 200E-200F 202A-202E 2066-206F 302A-302F 3035 3099-309A FFF9-FFFB",
    "BA": "9 7C AD 58A 5BE 2010 2012-2013 2027 2056 2058-205B 205D-205E 2E0E-2E15 2E17 2E19 "
          "2E2A-2E2D 2E30-2E31 2E33-2E34 2E3C-2E3E 2E40-2E41 2E43-2E4A 2E4C 2E4E-2E4F 2E5D 3000",
    "B2": "2014 2E3A-2E3B",
    "BB": "B4 2C8 2CC 2DF",
    "HY": "2D",
    "CL": "3001-3002 FE11-FE12 FE50 FE52 FF0C FF0E FF61 FF64",
    "CP": "29 5D",
    "EX": "21 3F 5C6 61B 61D-61F 6D4 7F9 2762-2763 2E2E 2E53-2E54 FE15-FE16 FE56-FE57 FF01 FF1F",
    "IN": "2024-2026 22EF FE19",
    "IS": "2C 2E 3A-3B 37E 589 60C-60D 7F8 2044 FE10 FE13-FE14",
    "NS": "203C-203D 2047-2049 3005 301C 303B-303C 3041 3043 3045 3047 3049 3063 3083 3085 3087 "
          "308E 3095-3096 309B-309E 30A0-30A1 30A3 30A5 30A7 30A9 30C3 30E3 30E5 30E7 30EE "
          "30F5-30F6 30FB-30FE 31F0-31FF FE54-FE55 FF1A-FF1B FF65 FF67-FF70 FF9E-FF9F 1F679-1F67B",
    "NU": "66B-66C",
    "OP": "A1 BF 2E18",
    "PO": "25 A2 B0 609-60B 66A 2030-2037 20A7 20B6 20BB 20BE 20C0 2103 2109 FDFC FE6A FF05 FFE0",
    "PR": "2B 5C B1 2116 2212-2213",
    "QU": "22 27 275B-2760 2E00-2E01 2E06-2E08 2E0B 1F676-1F678",
    "SY": "2F",
    "ID": "303F FF66 FF71-FF9D FFA0-FFBE FFC2-FFC7 FFCA-FFCF FFD2-FFD7 FFDA-FFDC FFFC "
          # emoji and pictographs that are not East Asian wide
          "23F1-23F2 2600-2603 2618 261A-261C 261E-261F 2639-263B 2668 26BF-26C3 26C6-26C8 "
          "26CD 26CF-26D1 26D3 26D8-26D9 26DC 26DF-26E1 26F1 26F4 26F7-26F8 26FE-2704 2708-2709 "
          "2764 1F000-1F003 1F005-1F02B 1F030-1F093 1F0A0-1F0AE 1F0B1-1F0BF 1F0C1-1F0CE "
          "1F0D1-1F0F5 1F10D-1F10F 1F16D-1F16F 1F1AD 1F321-1F32C 1F336 1F37D 1F394-1F39B "
          "1F39E-1F39F 1F3CD-1F3CE 1F3D4-1F3DF 1F3F1-1F3F3 1F3F5-1F3F7 1F43F 1F441 1F4FD-1F4FE "
          "1F54A 1F54F 1F568-1F573 1F576-1F579 1F57B-1F58F 1F591-1F594 1F597-1F5A3 1F5A5-1F5D3 "
          "1F5DC-1F5F3 1F5FA 1F6C6-1F6CB 1F6CD-1F6CF 1F6D3-1F6D4 1F6E0-1F6EA 1F6F0-1F6F3 "
          "1F7D5-1F7D8 1F8B0-1F8B1 1F93B 1F946 1FA60-1FA6D",
    "AL": "23E9-23EC 25FD-25FE 2648-2653 2693 26A1 26AA-26AB 26CE 2705 2728 274C 274E "
          "2753-2755 2757 2795-2797 27B0 27BF 2B1B-2B1C 2B50 2B55 1F18E 1F191-1F19A "
          "1F3B5-1F3B6 1F3BC 1F4A0 1F4A2 1F4A4 1F4AF 1F4B1-1F4B2 1F500-1F506 1F517-1F524 "
          "1F532-1F53D",
    "EB": "261D 26F9 270A-270D 1F385 1F3C2-1F3C4 1F3C7 1F3CA-1F3CC 1F442-1F443 1F446-1F450 "
          "1F466-1F478 1F47C 1F481-1F483 1F485-1F487 1F48F 1F491 1F4AA 1F574-1F575 1F57A 1F590 "
          "1F595-1F596 1F645-1F647 1F64B-1F64F 1F6A3 1F6B4-1F6B6 1F6C0 1F6CC 1F90C 1F90F "
          "1F918-1F91F 1F926 1F930-1F939 1F93C-1F93E 1F977 1F9B5-1F9B6 1F9B8-1F9B9 1F9BB "
          "1F9CD-1F9CF 1F9D1-1F9DD 1FAC3-1FAC5 1FAF0-1FAF6",
    "EM": "1F3FB-1F3FF",
    "RI": "1F1E6-1F1FF",
    "HL": "5D0-5EA 5EF-5F2 FB1D FB1F-FB28 FB2A-FB4F",
    "JL": "1100-115F A960-A97C",
    "JV": "1160-11A7 D7B0-D7C6",
    "JT": "11A8-11FF D7CB-D7FB",
}


def _spans() -> tuple[list[int], list[tuple[int, str]]]:
    """_CLASSES as sorted (start, end, class) ranges, for bisect."""
    spans = []
    for cls, codes in _CLASSES.items():
        for code in codes.split():
            low, _, high = code.partition("-")
            spans.append((int(low, 16), int(high or low, 16), cls))
    spans.sort()
    return [low for low, _, _ in spans], [(high, cls) for _, high, cls in spans]


_STARTS, _ENDS = _spans()
_BY_CATEGORY = {"Ps": "OP", "Pe": "CL", "Pi": "QU", "Pf": "QU", "Sc": "PR",
                "Mn": "CM", "Me": "CM", "Mc": "CM", "Cc": "CM", "Nd": "NU", "Zs": "BA"}


@functools.lru_cache(maxsize=4096)
def _line_class(char: str) -> str:
    """The line break class of ``char``, ambiguous ones resolved as for UTF-8 text.

    ``OPW`` is an East Asian opening bracket: rule LB30 (no break between a
    letter or digit and an opening bracket) does not apply to it.
    """
    code = ord(char)
    i = bisect.bisect_right(_STARTS, code) - 1
    if i >= 0 and code <= _ENDS[i][0]:
        return _ENDS[i][1]
    if 0xAC00 <= code <= 0xD7A3:  # Hangul syllables, LV or LVT
        return "H2" if (code - 0xAC00) % 28 == 0 else "H3"
    category = unicodedata.category(char)
    east_asian = unicodedata.east_asian_width(char)
    if category == "Ps":
        return "OPW" if east_asian in ("W", "F", "H") else "OP"
    if east_asian in ("W", "F") and category not in ("Pe", "Pi", "Pf", "Sc"):
        return "ID"
    return _BY_CATEGORY.get(category, "AL")


_CLASS_OF: dict[str, str] = {}


def _remember_class(char: str) -> str:
    cls = _CLASS_OF[char] = _line_class(char)
    return cls


def _opportunities(text: str) -> list[int]:
    """For each character, may the line break before it (``u8_possible_linebreaks``)?"""
    result = [_NEVER] * len(text)
    last = "BK"  # class of the last character that is not a space (nor a mark)
    previous = "BK"  # class of the character just before
    space = False  # a space since the last character that is not one
    regional = 0  # regional indicators just before
    classes = _CLASS_OF
    for i, char in enumerate(text):
        cls = classes.get(char) or _remember_class(char)
        if cls == "BK":
            result[i], last, space = _MANDATORY, "BK", False
        elif cls == "SP":
            space = True
        elif cls == "ZW":
            last, space = "ZW", False
        elif cls in ("CM", "ZWJ"):
            # A mark belongs to the character before it, unless that is a space
            # or the start of the line: then it stands for a letter.
            if last in ("BK", "ZW") or space:
                result[i] = _POSSIBLE if last != "BK" else _NEVER
                last, space = "AL", False
        else:
            if last == "ZW":
                result[i] = _POSSIBLE
            elif last == "BK" or previous == "ZWJ":
                pass
            elif last == "RI" and cls == "RI":
                result[i] = _POSSIBLE if space or regional % 2 == 0 else _NEVER
            elif previous != "HL_BA":
                rule = _PAIRS[last][cls]
                result[i] = _POSSIBLE if rule == "D" or (rule == "I" and space) else _NEVER
            last, space = cls, False
        previous = "HL_BA" if previous == "HL" and cls in ("HY", "BA") else cls
        regional = regional + 1 if cls == "RI" else 0
    return result
