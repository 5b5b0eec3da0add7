"""Gettext catalogs: templates from segments, new catalogs, and catalog files.

Catalogs are ``polib.POFile`` objects in memory; on disk they are read by
:mod:`pipeline.po.reader` (as strictly as msgfmt) and written by
:mod:`pipeline.po.writer` (byte for byte as GNU gettext), through :func:`load` and
:func:`save` here.  Header values come from :mod:`pipeline.po.plurals` and Babel.
Updating a catalog from a new template is :mod:`pipeline.po.merge`; checking its
header, :mod:`pipeline.po.header`; counting it, :mod:`pipeline.po.stats`.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable

import polib

from pipeline.po import plurals, reader, writer
from pipeline.diagnostics import PipelineError
from pipeline.project.files import write_if_changed
from pipeline.languages import Language
from pipeline.segments import DISCLAIMER_NOTE, Segment

WRAP_WIDTH = 79  # gettext's default, so msgcat/msgmerge/Poedit leave our lines alone
_DATE_LINE = re.compile(r'^"(?:POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.MULTILINE)


def now_stamp() -> str:
    """The catalog date: ``SOURCE_DATE_EPOCH`` if set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = time.gmtime(int(epoch)) if epoch and epoch.isdigit() else time.gmtime()
    return time.strftime("%Y-%m-%d %H:%M+0000", moment)


def is_disclaimer(entry: polib.POEntry) -> bool:
    """Disclaimer entries carry the disclaimer note among their extracted comments
    (looked for by its first words: an editor may have re-wrapped the comment)."""
    return DISCLAIMER_NOTE.split(":")[0] in (entry.comment or "")


def key(entry: polib.POEntry) -> tuple[str | None, str]:
    """An entry's identity as gettext sees it: ``msgctxt ""`` is a context, unlike none."""
    return (entry.msgctxt, entry.msgid)


def template(doc: str, source_path: str, segments: Iterable[Segment]) -> polib.POFile:
    """The ``.pot`` of one document: one entry per distinct (msgctxt, msgid), in source order."""
    pot = empty_template(doc, f"Translations template for {doc}.\n"
                              f"Generated from {source_path}; edit the source, not this file.")
    entries: dict[tuple[str | None, str], polib.POEntry] = {}
    for segment in segments:
        entry = entries.get((segment.msgctxt, segment.msgid))
        if entry is None:
            entry = polib.POEntry(msgid=segment.msgid, msgctxt=segment.msgctxt, msgstr="")
            entries[(segment.msgctxt, segment.msgid)] = entry
            pot.append(entry)
        entry.occurrences.append((source_path, str(segment.line)))
        entry.comment = _merge_comments(entry.comment, segment.comment)
    return pot


def empty_template(project: str, header: str) -> polib.POFile:
    """A ``.pot`` with gettext's usual template header and no entries yet."""
    pot = polib.POFile(wrapwidth=WRAP_WIDTH)
    pot.header = header
    pot.metadata = {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now_stamp(),
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    pot.metadata_is_fuzzy = True
    return pot


def _merge_comments(old: str, new: str) -> str:
    lines = [line for line in (old or "").split("\n") if line]
    for line in new.split("\n"):
        if line and line not in lines:
            lines.append(line)
    if DISCLAIMER_NOTE in lines:  # the warning always comes first
        lines.remove(DISCLAIMER_NOTE)
        lines.insert(0, DISCLAIMER_NOTE)
    return "\n".join(lines)


def new_catalog(pot: polib.POFile, language: Language) -> polib.POFile:
    """A fresh ``.po`` for ``language`` from a template, with Babel's header values."""
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    doc = pot.metadata.get("Project-Id-Version", "")
    po.header = f"{language.english_name} translation of {doc}."
    po.metadata = dict(pot.metadata)
    po.metadata.update({
        "PO-Revision-Date": pot.metadata.get("POT-Creation-Date", now_stamp()),
        "Last-Translator": "",
        "Language-Team": f"{language.english_name} <>",
        "Language": language.code,
        "Plural-Forms": language.plural_forms,
    })
    po.metadata_is_fuzzy = False
    forms = plurals.count(language.plural_forms)
    for entry in pot:
        if entry.msgid_plural:  # one msgstr[i] per plural form of the language
            po.append(copy_entry(entry, msgstr_plural={i: "" for i in range(forms)}))
        else:
            po.append(copy_entry(entry))
    return po


def copy_entry(entry: polib.POEntry, **changes) -> polib.POEntry:
    fields = dict(
        msgid=entry.msgid, msgctxt=entry.msgctxt, msgstr=entry.msgstr,
        msgid_plural=entry.msgid_plural, msgstr_plural=dict(entry.msgstr_plural),
        occurrences=list(entry.occurrences), comment=entry.comment, tcomment=entry.tcomment,
        flags=list(entry.flags), previous_msgid=entry.previous_msgid,
        previous_msgctxt=entry.previous_msgctxt,
    )
    fields.update(changes)
    return polib.POEntry(**fields)


# --- files ----------------------------------------------------------------------------------


def load(path: str) -> polib.POFile:
    """Read a ``.po``/``.pot`` checked as msgfmt would; a problem is a PipelineError with file:line."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise PipelineError(f"cannot read catalog: {error.strerror}", path=path, code="catalog") from None
    text = reader.decode(data, path)
    po = reader.read(text, path)
    po.fpath = path
    end = text.find("\n\n", max(text.find("msgstr"), 0))  # the header entry ends at a blank line
    head = text if end < 0 else text[:end]
    po.field_lines = {m.group(1): head.count("\n", 0, m.start()) + 1  # for header diagnostics
                      for m in re.finditer(r'^"([A-Za-z-]+): ', head, re.MULTILINE)}
    return po


def render(po: polib.POFile) -> str:
    """The catalog's text, as written to disk: byte for byte what msgcat would write."""
    return writer.dumps(po, width=WRAP_WIDTH)


def save(po: polib.POFile, path: str, unchanged_since: object = ..., old: polib.POFile | None = None) -> bool:
    """Write atomically, and not at all when only the dates differ; True if written.
    With ``unchanged_since``, refuse (ChangedMeanwhile) if the file changed since then.
    ``old``: the catalog as read from ``path``; if ``po`` says the same, nothing is rendered."""
    if old is not None and _signature(old) == _signature(po):
        return False
    return write_if_changed(path, render(po), same=_same_but_dates, unchanged_since=unchanged_since)


def _signature(po: polib.POFile) -> tuple:
    """Everything a catalog file says, but its dates."""
    metadata = {k: v for k, v in po.metadata.items() if not k.endswith("Date")}
    return (po.header, bool(po.metadata_is_fuzzy), tuple(sorted(metadata.items())),
            tuple((e.obsolete, e.msgctxt or None, e.msgid, e.msgid_plural, e.msgstr,
                   tuple(sorted(e.msgstr_plural.items())), e.tcomment or "", e.comment or "",
                   tuple(e.occurrences), tuple(e.flags), e.previous_msgctxt, e.previous_msgid,
                   e.previous_msgid_plural) for e in po))


def _same_but_dates(old: str, new: str) -> bool:
    return _DATE_LINE.sub("", old) == _DATE_LINE.sub("", new)
