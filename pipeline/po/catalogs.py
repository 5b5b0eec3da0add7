"""Gettext catalogs: templates from segments, new catalogs, updates that lose nothing, statistics.

Catalogs are ``polib.POFile`` objects in memory; on disk they are read by
:mod:`pipeline.po.reader` (as strictly as msgfmt) and written by
:mod:`pipeline.po.writer` (byte for byte as GNU gettext).  Header values come from
:mod:`pipeline.po.plurals` and Babel.  Everything here is a pure function over
catalogs except :func:`load` and :func:`save`, which touch the disk.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol
from dataclasses import dataclass
from functools import lru_cache

import polib
from rapidfuzz import fuzz, process

from pipeline.po import plurals, reader, writer
from pipeline.diagnostics import PipelineError
from pipeline.project.files import write_if_changed
from pipeline.languages import Language
from pipeline.segments import DISCLAIMER_NOTE, Segment

if TYPE_CHECKING:
    from pipeline.po.memory import Suggestion

WRAP_WIDTH = 79  # gettext's default, so msgcat/msgmerge/Poedit leave our lines alone
FUZZY_CUTOFF = 60.0  # similarity (0–100) below which an old translation is no help
_DATE_LINE = re.compile(r'^"(?:POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.MULTILINE)
_WORD = re.compile(r"\w+")
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<[a-z][a-z0-9+.-]*:[^>]*>", re.IGNORECASE)


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
            po.append(_copy(entry, msgstr_plural={i: "" for i in range(forms)}))
        else:
            po.append(_copy(entry))
    return po


def _copy(entry: polib.POEntry, **changes) -> polib.POEntry:
    fields = dict(
        msgid=entry.msgid, msgctxt=entry.msgctxt, msgstr=entry.msgstr,
        msgid_plural=entry.msgid_plural, msgstr_plural=dict(entry.msgstr_plural),
        occurrences=list(entry.occurrences), comment=entry.comment, tcomment=entry.tcomment,
        flags=list(entry.flags), previous_msgid=entry.previous_msgid,
        previous_msgctxt=entry.previous_msgctxt,
    )
    fields.update(changes)
    return polib.POEntry(**fields)


def update(po: polib.POFile, pot: polib.POFile, suggest: Suggest | None = None) -> polib.POFile:
    """Merge a new template into a catalog the way ``msgmerge --previous`` does, losing nothing.

    Exact matches keep their translation, flags and translator comments; an
    entry whose source changed gets the most similar old translation as a
    fuzzy entry with the old msgid as ``#| msgid`` (never across the line
    between disclaimers and ordinary text, never across contexts); translated
    entries no longer in the source become obsolete ``#~`` entries, and come
    back if their text returns.  As with msgmerge, an old entry whose translation
    a fuzzy entry now carries (with its msgid as ``#|``) gets no obsolete copy: the
    fuzzy entry holds both, and if the source returns to the old text, the
    translation comes back from it (:func:`_restored`).

    ``suggest`` is the translation memory (:meth:`pipeline.po.memory.Memory.suggest`
    for this catalog): asked for entries still untranslated, an exact reviewed match of
    another catalog wins over a fuzzy one from this catalog, a near match comes after it.
    """
    live = {key(e): e for e in po if not e.obsolete}
    dead = {key(e): e for e in po if e.obsolete}
    # Every old translation may seed a new entry, as in msgmerge: also one still in use
    # (the source went back to a text whose translation a reviewed entry now holds).
    candidates = [*(e for e in live.values() if _translated_text(e)), *dead.values()]
    carried = _carried([*live.values(), *dead.values()])
    merged = polib.POFile(wrapwidth=po.wrapwidth)
    merged.header, merged.metadata = po.header, dict(po.metadata)
    merged.metadata["POT-Creation-Date"] = pot.metadata.get("POT-Creation-Date", now_stamp())
    merged.metadata_is_fuzzy = po.metadata_is_fuzzy
    used: set[tuple[str | None, str]] = set()
    for new in pot:
        old = live.get(key(new)) or dead.get(key(new))
        if old is not None:
            entry = _copy(old, occurrences=list(new.occurrences), comment=new.comment)
            merged.append(_from_memory(entry, suggest) if _untranslated(entry) else entry)
        else:
            merged.append(_restored(new, carried.get(key(new)))
                          or _new_entry(new, candidates, suggest, used))
    kept = {key(e) for e in merged} | used
    for old in list(live.values()) + list(dead.values()):
        if key(old) not in kept and _translated_text(old):
            merged.append(_obsolete(old))
    return merged


class Suggest(Protocol):
    """The translation memory's answer for one entry (see :mod:`pipeline.po.memory`)."""

    def __call__(self, entry: polib.POEntry) -> Suggestion | None: ...


def _untranslated(entry: polib.POEntry) -> bool:
    return not _translated_text(entry) and "fuzzy" not in entry.flags and not entry.msgid_plural


def _from_memory(entry: polib.POEntry, suggest: Suggest | None) -> polib.POEntry:
    suggestion = suggest(entry) if suggest is not None else None
    return suggestion.apply(entry) if suggestion is not None else entry


def _new_entry(new: polib.POEntry, candidates: list[polib.POEntry], suggest: Suggest | None,
               used: set[tuple[str | None, str]]) -> polib.POEntry:
    """A message new to this catalog: a reviewed exact match from the memory, else the most
    similar old translation of this catalog (fuzzy), else a near match from the memory."""
    suggestion = suggest(new) if suggest is not None and not new.msgid_plural else None
    if suggestion is not None and suggestion.reviewed:
        return suggestion.apply(_copy(new))
    entry, source = _fuzzy_or_empty(new, candidates)
    if source is not None:
        used.add(key(source))
        return entry
    return suggestion.apply(entry) if suggestion is not None else entry


def _carried(entries: Iterable[polib.POEntry]) -> dict[tuple[str | None, str], polib.POEntry]:
    """Fuzzy entries that carry an old message's translation (``#|``), by that old
    message's key."""
    return {(e.previous_msgctxt or None, e.previous_msgid): e for e in entries
            if "fuzzy" in e.flags and e.previous_msgid and _translated_text(e)}


def _restored(new: polib.POEntry, carrier: polib.POEntry | None) -> polib.POEntry | None:
    """The source went back to an old text that a fuzzy entry still carries: its translation
    returns, fuzzy (whether it was reviewed then is not recorded), with nothing lost."""
    if carrier is None:
        return None
    flags = [f for f in carrier.flags if f != "fuzzy"] + ["fuzzy"]
    return _copy(new, msgstr=carrier.msgstr, msgstr_plural=dict(carrier.msgstr_plural),
                 tcomment=carrier.tcomment, flags=flags)


def _obsolete(entry: polib.POEntry) -> polib.POEntry:
    copy = _copy(entry, occurrences=[])
    copy.obsolete = True
    return copy


def _translated_text(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr or any(entry.msgstr_plural.values()))


def _fuzzy_or_empty(new: polib.POEntry, candidates: list[polib.POEntry]
                    ) -> tuple[polib.POEntry, polib.POEntry | None]:
    """``new`` with the most similar old translation as fuzzy, and that old entry; or
    ``new`` untranslated and None."""
    pool = [c for c in candidates
            if _translated_text(c) and is_disclaimer(c) == is_disclaimer(new)
            and (c.msgctxt or None) == (new.msgctxt or None)]
    best = process.extractOne(new.msgid, [c.msgid for c in pool], scorer=fuzz.ratio,
                              score_cutoff=FUZZY_CUTOFF) if pool else None
    if best is None:
        return _copy(new), None
    old = pool[best[2]]
    flags = [f for f in old.flags if f != "fuzzy"] + ["fuzzy"]
    return _copy(new, msgstr=old.msgstr, msgstr_plural=dict(old.msgstr_plural),
                 tcomment=old.tcomment, flags=flags, previous_msgid=old.previous_msgid or old.msgid,
                 previous_msgctxt=old.msgctxt if old.msgctxt else None), old


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


def check_header(po: polib.POFile, language: Language, path: str) -> None:
    """A catalog's Language and number of plural forms must be those of its folder's locale."""
    lines = getattr(po, "field_lines", {})
    declared = po.metadata.get("Language", "").strip()
    if declared and declared.replace("-", "_").lower() != language.code.replace("-", "_").lower():
        raise PipelineError(f"the header says 'Language: {declared}' but the catalog is in the "
                            f"folder of '{language.code}'", path=path, line=lines.get("Language"),
                            code="header-language")
    try:
        plurals.formula(po.metadata.get("Plural-Forms", ""))
    except ValueError as error:
        raise PipelineError(str(error), path=path, line=lines.get("Plural-Forms"),
                            code="header-plural-forms") from None
    declared = plurals.count(po.metadata.get("Plural-Forms", ""))
    if declared is not None and declared not in language.plural_counts:
        raise PipelineError(f"the header declares {declared} plural forms; {language.english_name} "
                            f"has {_either(language.plural_counts)} (`pipeline init` writes "
                            f"'{language.plural_forms}')", path=path,
                            line=lines.get("Plural-Forms"), code="header-plural-forms")


def _either(counts: tuple[int, ...]) -> str:
    return " or ".join(map(str, counts))


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


def purge_obsolete(po: polib.POFile) -> polib.POFile:
    """The catalog without its obsolete ``#~`` entries (only on a maintainer's explicit request)."""
    for entry in po.obsolete_entries():
        po.remove(entry)
    return po


def _same_but_dates(old: str, new: str) -> bool:
    return _DATE_LINE.sub("", old) == _DATE_LINE.sub("", new)


# --- statistics -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Counts:
    """Segments (or entries: :func:`entry_counts`) and words by state; disclaimers counted
    apart as well."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0
    disclaimers: int = 0
    disclaimers_done: int = 0

    @property
    def segments(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def total_words(self) -> int:
        return self.translated_words + self.fuzzy_words + self.untranslated_words

    @property
    def completeness(self) -> float:
        return self.translated_words / self.total_words if self.total_words else 1.0


def entry_counts(wanted: Iterable[polib.POEntry], po: polib.POFile | None,
                 used: set[tuple[str | None, str]]) -> Counts:
    """Counts by catalog entry, as ``msgfmt --statistics`` counts: one per message of the
    template (``wanted``, disclaimers marked by their comment), whatever the number of
    places it is used; translated only if its translation is ``used`` (not refused)."""
    entries = {key(e): e for e in po or [] if not e.obsolete}
    values = dict.fromkeys(Counts.__slots__, 0)
    for message in wanted:
        entry = entries.get(key(message))
        state = ("translated" if key(message) in used else
                 "fuzzy" if entry is not None and "fuzzy" in entry.flags else "untranslated")
        values[state] += 1
        values[f"{state}_words"] += words(message.msgid)
        if is_disclaimer(message):
            values["disclaimers"] += 1
            values["disclaimers_done"] += state == "translated"
    return Counts(**values)


@lru_cache(maxsize=1 << 14)
def words(text: str) -> int:
    """Words a reader sees: link and autolink addresses do not count (cached: every
    locale counts the same source segments)."""
    return len(_WORD.findall(_LINK_TARGET.sub(" ", text)))
