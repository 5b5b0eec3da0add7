"""Updating a catalog from a new template the way ``msgmerge --previous`` does, losing nothing.

Pure functions over ``polib`` catalogs: exact matches keep their translation, changed
source text gets the most similar old translation as a fuzzy entry (rapidfuzz), and
removed text becomes obsolete; the translation memory (:mod:`pipeline.po.memory`) is
asked for what is still untranslated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

import polib
from rapidfuzz import fuzz, process

from pipeline.po.catalogs import copy_entry, is_disclaimer, key, now_stamp

if TYPE_CHECKING:
    from pipeline.po.memory import Suggestion

FUZZY_CUTOFF = 60.0  # similarity (0–100) below which an old translation is no help


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
            entry = copy_entry(old, occurrences=list(new.occurrences), comment=new.comment)
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
        return suggestion.apply(copy_entry(new))
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
    return copy_entry(new, msgstr=carrier.msgstr, msgstr_plural=dict(carrier.msgstr_plural),
                 tcomment=carrier.tcomment, flags=flags)


def _obsolete(entry: polib.POEntry) -> polib.POEntry:
    copy = copy_entry(entry, occurrences=[])
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
        return copy_entry(new), None
    old = pool[best[2]]
    flags = [f for f in old.flags if f != "fuzzy"] + ["fuzzy"]
    return copy_entry(new, msgstr=old.msgstr, msgstr_plural=dict(old.msgstr_plural),
                 tcomment=old.tcomment, flags=flags, previous_msgid=old.previous_msgid or old.msgid,
                 previous_msgctxt=old.msgctxt if old.msgctxt else None), old


def purge_obsolete(po: polib.POFile) -> polib.POFile:
    """The catalog without its obsolete ``#~`` entries (only on a maintainer's explicit request)."""
    for entry in po.obsolete_entries():
        po.remove(entry)
    return po
