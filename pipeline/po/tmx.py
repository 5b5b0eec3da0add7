"""TMX 1.4b, the translation memory format CAT tools exchange (OmegaT, Trados, memoQ).

:func:`dumps` writes memory units as a TMX document valid against the TMX 1.4b DTD
(``tests/fixtures/tmx/tmx14.dtd``); what a PO entry knows beyond the two texts (its
context, kind, and whether it is a medical disclaimer) goes into ``<prop type="x-…">``
elements, which the standard reserves for tools' own data and other tools keep or ignore.
:func:`read` reads such a file back (or one another tool wrote) as units for one
language; a file that is not well-formed XML, or not TMX, is a :class:`PipelineError`
at its line.  Entity declarations are refused, so a hostile file cannot expand to
gigabytes.
"""

from __future__ import annotations

import re
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from pipeline.diagnostics import PipelineError
from pipeline.po.memory import Unit

XML_LANG = "http://www.w3.org/XML/1998/namespace lang"  # xml:lang, as expat names it
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold


def tag(code: str) -> str:
    """A locale code as TMX wants it (RFC 4646): ``pt_BR`` → ``pt-BR``."""
    return code.replace("_", "-")


def dumps(units: list[Unit], source: str, target: str, *, version: str, date: str) -> tuple[str, int]:
    """A TMX document of ``units`` (``source`` → ``target``), and how many units were left
    out because a text holds a character XML cannot represent (a control character)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE tmx SYSTEM "tmx14.dtd">',
             '<tmx version="1.4">',
             f'  <header creationtool="health-pipeline" creationtoolversion={quoteattr(version)} '
             f'segtype="paragraph" o-tmf="gettext PO" adminlang="en" srclang={quoteattr(tag(source))} '
             f'datatype="plaintext" creationdate={quoteattr(date)}/>', "  <body>"]
    skipped = 0
    for unit in units:
        if _NOT_XML.search(unit.msgid + unit.msgstr + (unit.msgctxt or "")):
            skipped += 1
            continue
        lines.append("    <tu>")
        if unit.msgctxt is not None:
            lines.append(f'      <prop type="x-context">{escape(unit.msgctxt)}</prop>')
        lines.append(f'      <prop type="x-kind">{escape(unit.kind)}</prop>')
        if unit.disclaimer:
            lines.append('      <prop type="x-disclaimer">yes</prop>')
        lines.append(f'      <prop type="x-origin">{escape(unit.origin)}</prop>')
        for code, text in ((source, unit.msgid), (target, unit.msgstr)):
            lines.append(f'      <tuv xml:lang={quoteattr(tag(code))}><seg>{escape(text)}</seg></tuv>')
        lines.append("    </tu>")
    lines += ["  </body>", "</tmx>", ""]
    return "\n".join(lines), skipped


def read(data: bytes, path: str, source: str, target: str) -> list[Unit]:
    """The units of a TMX document for ``source`` → ``target`` (a variant of the same
    language, ``es-ES`` for ``es``, is taken when the exact one is missing).  All are
    suggestions: ``reviewed`` is False."""
    reader = _Reader(path)
    try:
        reader.parser.Parse(data, True)
    except expat.ExpatError as error:
        raise PipelineError(f"not well-formed XML: {expat.ErrorString(error.code)}", path=path,
                            line=error.lineno, code="memory") from None
    if not reader.is_tmx:
        raise PipelineError("not a TMX file (no <tmx> with a <body>)", path=path, line=1, code="memory")
    units = []
    for line, props, texts in reader.units:
        msgid, msgstr = _variant(texts, source), _variant(texts, target)
        if msgid and msgstr:
            units.append(Unit(msgid, msgstr, props.get("x-context"), props.get("x-kind", "paragraph"),
                              props.get("x-disclaimer") == "yes", f"{path}:{line}", reviewed=False))
    return units


class _Reader:
    """A streaming TMX reader (expat): each ``<tu>``'s line, ``<prop>`` values and the text
    of each language's ``<seg>``; inline codes (``<ph>``, ``<bpt>``…) keep the original's
    text they hold.  Entity declarations are refused (no expansion attacks)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.parser.EntityDeclHandler = self._entity
        self.units: list[tuple[int, dict[str, str], dict[str, str]]] = []
        self.is_tmx = False
        self._stack: list[str] = []
        self._parts: list[str] | None = None
        self._props: dict[str, str] = {}
        self._texts: dict[str, str] = {}
        self._lang = self._prop = ""
        self._line = 0

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        parent = self._stack[-1] if self._stack else ""
        self._stack.append(name)
        if name == "body" and parent == "tmx":
            self.is_tmx = True
        elif name == "tu":
            self._line, self._props, self._texts = self.parser.CurrentLineNumber, {}, {}
        elif name == "prop" and parent == "tu":
            self._prop, self._parts = attrs.get("type", ""), []
        elif name == "tuv":
            self._lang = (attrs.get(XML_LANG) or attrs.get("lang") or "").replace("_", "-").casefold()
        elif name == "seg":
            self._parts = []

    def _end(self, name: str) -> None:
        self._stack.pop()
        if name == "prop" and self._parts is not None and self._stack[-1:] == ["tu"]:
            self._props[self._prop] = "".join(self._parts)
            self._parts = None
        elif name == "seg" and self._parts is not None:
            self._texts[self._lang] = "".join(self._parts)
            self._parts = None
        elif name == "tu":
            self.units.append((self._line, self._props, self._texts))

    def _text(self, data: str) -> None:
        if self._parts is not None:
            self._parts.append(data)

    def _entity(self, name: str, *_args: object) -> None:
        raise PipelineError(f"entity declarations are not allowed in a TMX file (<!ENTITY {name}>)",
                            path=self.path, line=self.parser.CurrentLineNumber, code="memory")


def _variant(texts: dict[str, str], code: str) -> str | None:
    wanted = tag(code).casefold()
    if wanted in texts:
        return texts[wanted]
    base = wanted.split("-")[0]
    return next((text for lang, text in sorted(texts.items()) if lang.split("-")[0] == base), None)
