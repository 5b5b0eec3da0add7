"""Read a PO file as strictly as GNU msgfmt, into polib objects, in one pass.

polib accepts files that gettext rejects (an unterminated string, a bad escape,
a duplicate entry), so a translator would learn of the problem only from a
later tool; it is also slow on the thousands of catalogs of a large site.
:func:`read` checks the syntax while it builds the ``polib.POFile`` and reports
the first problem as a :class:`PipelineError` with file and line, in msgfmt's
words where it has them.  :func:`decode` decodes the bytes by the header's
charset, as gettext does, and refuses what gettext refuses (a byte order mark,
bytes that are not valid in the declared charset).
"""

from __future__ import annotations

import codecs
import re

import polib

from pipeline.diagnostics import PipelineError

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)[ \t]+(.*)")
# "unrolled" loops (a run of plain characters, then escape + run, ...): one step per run
# instead of one alternation per character, several times faster on long lines
_STRING = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"[ \t]*')
_VALID_ESCAPES = re.compile(r'[^\\]*(?:\\[\\"ntrabfv?\'0-7x][^\\]*)*')
_ESCAPE_PAIR = re.compile(r'\\(.?)', re.DOTALL)
_OCTAL_OR_HEX = frozenset("01234567x")
_ESCAPE = re.compile(r'\\(?:([\\"ntrabfv?\'])|([0-7]{1,3})|x([0-9a-fA-F]+))')
_SIMPLE = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b",
           "f": "\f", "v": "\v", "?": "?", "'": "'"}
_CHARSET = re.compile(rb'charset=([A-Za-z0-9_.:-]+)')
# Lines end at \n only, and only these are blanks around tokens, as for msgfmt: a
# U+2028 or U+0085 in a translation is text (str.splitlines and str.strip say otherwise).
_BLANK = " \t\r\f\v"


def decode(data: bytes, path: str) -> str:
    """The file's text, decoded by the charset its header declares."""
    if data.startswith(codecs.BOM_UTF8):
        raise PipelineError("the file starts with a byte order mark, which gettext tools reject; "
                            "save it as UTF-8 without BOM", path=path, line=1, code="catalog-encoding")
    found = _CHARSET.search(data[:4096])
    charset = found.group(1).decode("ascii") if found else "UTF-8"
    if charset.upper() == "CHARSET":  # an uninitialised template
        charset = "UTF-8"
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        raise PipelineError(f"unknown charset {charset!r} in the header", path=path, line=1,
                            code="catalog-encoding") from None
    try:
        return data.decode(codec.name)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PipelineError(f"invalid {charset} byte sequence (0x{data[error.start]:02x}); "
                            f"the header says the file is {charset}", path=path, line=line,
                            code="catalog-encoding") from None
    except (LookupError, UnicodeError):  # "hex", "rot13", "zlib": codecs, not text charsets
        raise PipelineError(f"the header's charset {charset!r} is not a text encoding "
                            "gettext knows; use UTF-8", path=path, line=_charset_line(data),
                            code="catalog-encoding") from None


def _charset_line(data: bytes) -> int:
    found = _CHARSET.search(data[:4096])
    return data.count(b"\n", 0, found.start()) + 1 if found else 1


def read(text: str, path: str) -> polib.POFile:
    """Parse PO ``text`` into a ``polib.POFile``; ``entry.linenum`` is its msgctxt/msgid line."""
    builder = _Builder(path)
    parts = builder.parts
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip(_BLANK)
        if not line:
            continue
        first = line[0]
        if first == '"':  # the most common line: a string continuing the current field
            if line.count('"') == 2 and line[-1] == '"' and "\\" not in line and builder.field is not None:
                parts.append(line[1:-1])  # plain: no escape, nothing after the closing quote
            else:
                builder.continuation(_string(line, number, path), number)
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].lstrip()
            if not line:
                continue
            if line[0] == "|":
                line = "#" + line  # #~| msgid "...": the previous msgid of an obsolete entry
            first = line[0]
        if first == "#":
            builder.comment(line, obsolete)
        elif first == '"':
            builder.continuation(_string(line, number, path), number)
        else:
            match = _KEYWORD.fullmatch(line)
            if not match:
                raise PipelineError("syntax error: expected msgctxt, msgid, msgstr or a string",
                                    path=path, line=number, code="catalog-syntax")
            value = _string(match.group(3), number, path)
            builder.keyword(match.group(1), match.group(2), value, number, obsolete)
    return builder.finish()


def _string(literal: str, number: int, path: str) -> str:
    """The value of one C string literal (the whole rest of the line)."""
    match = _STRING.fullmatch(literal)
    if match is None:
        if not literal.startswith('"'):
            message = "syntax error: a string in double quotes is expected"
        elif _STRING.match(literal):
            message = "syntax error: text after the closing quote"
        else:
            message = "end-of-line within string"
        raise PipelineError(message, path=path, line=number, code="catalog-syntax")
    inner = match.group(1)
    if "\\" not in inner:
        return inner
    if not _VALID_ESCAPES.fullmatch(inner):
        bad = next((m.group(1) for m in _ESCAPE_PAIR.finditer(inner)
                    if m.group(1) not in _SIMPLE and m.group(1) not in _OCTAL_OR_HEX), "")
        raise PipelineError(f"invalid control sequence \\{bad}", path=path, line=number,
                            code="catalog-syntax")
    try:
        return _ESCAPE.sub(_unescape, inner)
    except ValueError:  # \x110000: beyond Unicode
        raise PipelineError("an escape sequence names no Unicode character", path=path,
                            line=number, code="catalog-syntax") from None


def _unescape(match: re.Match) -> str:
    simple, octal, hexa = match.groups()
    if simple:
        return _SIMPLE[simple]
    return chr(int(octal, 8) if octal else int(hexa, 16))


class _Builder:
    """Collects comments and strings into entries, checking their order as msgfmt does."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.po = polib.POFile(wrapwidth=79)
        self.po.encoding = "utf-8"
        self.entry: polib.POEntry | None = None
        self.pending: dict = {}
        self.field: str | int | None = None  # what a continuation line continues
        self.parts: list[str] = []  # its strings so far, joined when the field ends
        self.previous_field = ""
        self.has_msgstr = False
        self.seen: dict[tuple[str | None, str], int] = {}
        self.first = True

    def fail(self, message: str, line: int) -> PipelineError:
        return PipelineError(message, path=self.path, line=line, code="catalog-syntax")

    # --- comments ---------------------------------------------------------------------------

    def comment(self, line: str, obsolete: bool) -> None:
        self._end_field()
        self.field = None  # a string after a comment continues nothing (msgfmt: syntax error)
        if self.has_msgstr:
            self._close()
        kind, rest = line[:2], line[2:].strip() if line[1:2] in ".:,|" else line[1:]
        if kind == "#.":
            self._append("comment", rest)
        elif kind == "#:":
            for reference in rest.split():
                file, _, number = reference.rpartition(":")
                self.pending.setdefault("occurrences", []).append(
                    (file, number) if file and number.isdigit() else (reference, ""))
        elif kind == "#,":
            flags = self.pending.setdefault("flags", [])
            flags.extend(f.strip() for f in rest.split(",") if f.strip())
        elif kind == "#|":
            match = _KEYWORD.fullmatch(rest)
            if match and match.group(1) in ("msgctxt", "msgid", "msgid_plural"):
                self.previous_field = "previous_" + match.group(1)
                self.pending[self.previous_field] = _string(match.group(3), 0, self.path)
            elif rest.startswith('"') and self.previous_field:
                self.pending[self.previous_field] += _string(rest, 0, self.path)
        elif not obsolete:
            self._append("tcomment", rest[1:] if rest.startswith(" ") else rest)

    def _append(self, name: str, text: str) -> None:
        old = self.pending.get(name)
        self.pending[name] = text if old is None else old + "\n" + text

    # --- keywords and strings ---------------------------------------------------------------

    def keyword(self, name: str, index: str | None, value: str, line: int, obsolete: bool) -> None:
        self._end_field()
        if name in ("msgctxt", "msgid") and (self.has_msgstr or (name == "msgctxt" and self.entry)):
            self._close()
        if name == "msgctxt" or (name == "msgid" and self.entry is None):
            self.entry = polib.POEntry(linenum=line, obsolete=obsolete, **self.pending)
            self.entry.msgid = None
            self.pending = {}
        entry = self.entry
        if name == "msgctxt":
            entry.msgctxt = value
        elif name == "msgid":
            if entry.msgid is not None:
                raise self.fail("msgid without a msgstr", entry.linenum)
            entry.msgid = value
        elif name == "msgid_plural":
            if entry is None or entry.msgid is None or self.has_msgstr:
                raise self.fail("msgid_plural without a msgid before it", line)
            entry.msgid_plural = value
        elif entry is None or entry.msgid is None or (index is None and self.has_msgstr):
            raise self.fail("msgstr without a msgid before it", line)
        elif index is None:
            entry.msgstr = value
            self.has_msgstr = True
        else:
            entry.msgstr_plural[int(index)] = value
            self.has_msgstr = True
        self.field = name if index is None else int(index)
        self.parts.append(value)

    def continuation(self, value: str, line: int) -> None:
        if self.entry is None or self.field is None:
            raise self.fail("a string continues nothing: a msgid or msgstr line must come first", line)
        self.parts.append(value)

    def _end_field(self) -> None:
        """Store the strings of the field that just ended in the entry."""
        if self.field is None or not self.parts:
            return
        value = "".join(self.parts)
        self.parts.clear()
        if isinstance(self.field, int):
            self.entry.msgstr_plural[self.field] = value
        else:
            setattr(self.entry, self.field, value)

    def _close(self) -> None:
        self._end_field()
        entry = self.entry
        if entry is None:
            return
        if entry.msgid is None:
            raise self.fail("msgctxt without a msgid", entry.linenum)
        if not self.has_msgstr:
            raise self.fail("msgid without a msgstr", entry.linenum)
        key = (entry.msgctxt, entry.msgid)
        if not entry.obsolete:
            if key in self.seen:
                raise self.fail(f"duplicate message definition (the first is at line {self.seen[key]})",
                                entry.linenum)
            self.seen[key] = entry.linenum
        if self.first and entry.msgid == "" and entry.msgctxt is None and not entry.obsolete:
            self._header(entry)
        else:
            self.po.append(entry)
        self.first = False
        self.entry, self.field, self.previous_field, self.has_msgstr = None, None, "", False

    def _header(self, entry: polib.POEntry) -> None:
        self.po.header = entry.tcomment
        self.po.metadata_is_fuzzy = entry.flags
        key = None
        for line in entry.msgstr.splitlines():
            name, colon, value = line.partition(":")
            if colon and name and " " not in name.strip():
                key = name.strip()
                self.po.metadata[key] = value.strip()
            elif key is not None:
                self.po.metadata[key] += "\n" + line.strip()

    def finish(self) -> polib.POFile:
        self._end_field()
        if self.entry is not None and self.entry.msgid is not None:
            self._close()
        return self.po
