"""Check a PO file's syntax the way GNU msgfmt does, before polib reads it.

polib accepts files that gettext rejects (an unterminated string, a bad escape,
a duplicate entry), and a translator would only learn of it from a later tool.
This validator reports the first problem as a :class:`PipelineError` with the
file and line, in msgfmt's words where it has them.  It also decodes the file
by its header's charset, as gettext does, and refuses what gettext refuses
(a byte order mark, bytes that are not valid in the declared charset).
"""

from __future__ import annotations

import codecs
import re

from .errors import PipelineError

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)[ \t]+(.*)$")
_CHARSET = re.compile(rb'charset=([A-Za-z0-9_.:-]+)')
_ESCAPES = set("\\\"ntrabfv?'")


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


def validate(text: str, path: str) -> None:
    """Raise a PipelineError at the first syntax error of PO ``text``."""
    state = _State(path)
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if not line or line.startswith("|"):
                continue
        elif not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            state.continuation(_string(line, number, path), number)
            continue
        match = _KEYWORD.match(line)
        if not match:
            raise PipelineError("syntax error: expected msgctxt, msgid, msgstr or a string",
                                path=path, line=number, code="catalog-syntax")
        state.keyword(match.group(1), _string(match.group(3).strip(), number, path), number, obsolete)
    state.finish()


def _string(literal: str, number: int, path: str) -> str:
    """Parse one C string literal (the whole rest of the line) and return its value."""
    if not literal.startswith('"'):
        raise PipelineError("syntax error: a string in double quotes is expected", path=path,
                            line=number, code="catalog-syntax")
    value, index = [], 1
    while index < len(literal):
        ch = literal[index]
        if ch == "\\":
            following = literal[index + 1: index + 2]
            if not following:
                break
            if following not in _ESCAPES and not following.isdigit() and following != "x":
                raise PipelineError(f"invalid control sequence \\{following}", path=path,
                                    line=number, code="catalog-syntax")
            value.append(ch + following)
            index += 2
            continue
        if ch == '"':
            if literal[index + 1:].strip():
                raise PipelineError("syntax error: text after the closing quote", path=path,
                                    line=number, code="catalog-syntax")
            return "".join(value)
        value.append(ch)
        index += 1
    raise PipelineError("end-of-line within string", path=path, line=number, code="catalog-syntax")


class _State:
    """Follows the entry being read: which keywords came, and which msgids were seen."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.context: str | None = None
        self.msgid: str | None = None
        self.msgid_line = 0
        self.last = ""
        self.has_msgstr = False
        self.obsolete = False
        self.seen: dict[tuple[str | None, str], int] = {}

    def fail(self, message: str, line: int) -> PipelineError:
        return PipelineError(message, path=self.path, line=line, code="catalog-syntax")

    def keyword(self, name: str, value: str, line: int, obsolete: bool) -> None:
        if name == "msgctxt" or (name == "msgid" and self.last != "msgctxt"):
            self.finish()
            self.context, self.msgid, self.has_msgstr = None, None, False
            self.obsolete = obsolete
        if name == "msgctxt":
            self.context = value
        elif name == "msgid":
            self.msgid, self.msgid_line = value, line
        elif name == "msgid_plural":
            if self.msgid is None or self.has_msgstr:
                raise self.fail("msgid_plural without a msgid before it", line)
        elif self.msgid is None or (name == "msgstr" and self.has_msgstr):
            raise self.fail("msgstr without a msgid before it", line)
        else:
            self.has_msgstr = True
        self.last = name

    def continuation(self, value: str, line: int) -> None:
        if not self.last:
            raise self.fail("a string continues nothing: a msgid or msgstr line must come first", line)
        if self.last == "msgid" and self.msgid is not None:
            self.msgid += value
        elif self.last == "msgctxt" and self.context is not None:
            self.context += value

    def finish(self) -> None:
        if self.msgid is None:
            return
        if not self.has_msgstr:
            raise self.fail("msgid without a msgstr", self.msgid_line)
        if not self.obsolete:
            key = (self.context, self.msgid)
            if key in self.seen:
                raise self.fail(f"duplicate message definition (the first is at line {self.seen[key]})",
                                self.msgid_line)
            self.seen[key] = self.msgid_line
        self.msgid = None
