"""How much of a catalog is translated: entries and words by state, as ``msgfmt --statistics``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import polib

from pipeline.po.catalogs import is_disclaimer, key

_WORD = re.compile(r"\w+")
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<[a-z][a-z0-9+.-]*:[^>]*>", re.IGNORECASE)


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
