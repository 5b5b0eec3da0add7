"""Translation memory: what a language's catalogs (and external memories) already say.

A :class:`Memory` holds translation units (msgid, msgstr, context, kind, disclaimer flag,
origin ``file:line``) and answers one question for an entry with no translation: is
there an exact reviewed match (taken as reviewed), or a near one (offered as fuzzy)?

The rules a health site needs (issue #18):

* an exact match needs the same msgid, context, kind and disclaimer flag, and a
  *reviewed* unit from the project; units from outside (TMX, compendium) are only
  ever offered as fuzzy;
* a disclaimer takes only an exact match of a disclaimer, never a near one; an
  ordinary entry never takes a disclaimer's translation, nor the reverse;
* two reviewed translations of one msgid that disagree are a :class:`Conflict`:
  neither is taken, and ``pipeline check`` reports both.

Lookups are indexed: a dict by key for exact matches; for near matches, the units that
share one of the query's rarest pairs of consecutive words and whose length allows the
cutoff, then rapidfuzz on those few only.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import polib
from rapidfuzz import fuzz, process

from pipeline.po.catalogs import is_disclaimer

NEAR_CUTOFF = 75.0  # similarity (0–100) from which a near match is worth offering (CAT tools: 70–75)
RARE_KEYS = 6  # a near match shares one of the query's this many rarest word pairs
MAX_POSTING = 1000  # a word pair found in more units than this tells nothing: not used
MAX_CANDIDATES = 100  # scored with rapidfuzz at most: the ones sharing the most rare pairs
MEMORY_NOTE = "memory:"  # the translator comment that says where a filled translation came from
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Unit:
    """One translation the memory knows, and where it came from."""

    msgid: str
    msgstr: str
    msgctxt: str | None
    kind: str
    disclaimer: bool
    origin: str  # "path:line", shown to the translator
    reviewed: bool  # a reviewed (not fuzzy) translation in the project's own catalogs
    document: str = ""  # the catalog it came from (a catalog never fills itself)
    flags: tuple[str, ...] = ()
    tcomment: str = ""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What the memory offers one entry: a reviewed exact match or a fuzzy near one."""

    unit: Unit
    score: float  # 100 for an exact match
    reviewed: bool

    def note(self) -> str:
        """The translator comment that names the origin (``pipeline stats`` counts these)."""
        how = "exact match, reviewed there" if self.reviewed else f"{self.score:.0f}% match, fuzzy"
        return f"{MEMORY_NOTE} {self.unit.origin} ({how})"

    def apply(self, entry: polib.POEntry) -> polib.POEntry:
        """``entry`` with this translation, the origin as a translator comment, the unit's
        flags (its silencers hold for the same text), and ``fuzzy`` unless reviewed."""
        unit = self.unit
        entry.msgstr = unit.msgstr
        entry.tcomment = "\n".join(part for part in (self.note(), unit.tcomment) if part)
        flags = [f for f in entry.flags if f not in unit.flags and f != "fuzzy"] + list(unit.flags)
        entry.flags = flags if self.reviewed else [*flags, "fuzzy"]
        entry.previous_msgid = None if self.reviewed or unit.msgid == entry.msgid else unit.msgid
        entry.previous_msgctxt = None
        return entry


@dataclass(frozen=True, slots=True)
class Conflict:
    """Reviewed translations of one message that disagree: none of them is taken."""

    msgid: str
    msgctxt: str | None
    units: tuple[Unit, ...]


def kind(entry: polib.POEntry) -> str:
    """An entry's kind from its extracted comment (``Heading, level 2`` → ``heading``,
    ``Front matter: title (…)`` → ``front matter: title``); ``paragraph`` if none."""
    for line in (entry.comment or "").split("\n"):
        if not line or line.startswith(("MEDICAL DISCLAIMER", "Contains ")):
            continue
        if line.startswith("Front matter:"):
            return line.split(" (")[0].casefold()
        return line.split(",")[0].split(" (")[0].casefold()
    return "paragraph"


def units_of(po: polib.POFile, path: str, *, reviewed: bool, document: str = "") -> list[Unit]:
    """The translated, non-obsolete entries of a catalog as units (fuzzy ones only when
    ``reviewed`` is False: an external compendium's suggestions)."""
    found = []
    for entry in po:
        if entry.obsolete or entry.msgid_plural or not entry.msgid or not entry.msgstr.strip():
            continue
        fuzzy = "fuzzy" in entry.flags
        if reviewed and fuzzy:
            continue
        found.append(Unit(entry.msgid, entry.msgstr, entry.msgctxt or None, kind(entry),
                          is_disclaimer(entry), f"{path}:{entry.linenum}", reviewed and not fuzzy,
                          document, tuple(f for f in entry.flags if f != "fuzzy"),
                          _without_memory_note(entry.tcomment or "")))
    return found


def _without_memory_note(tcomment: str) -> str:
    return "\n".join(line for line in tcomment.split("\n") if not line.startswith(MEMORY_NOTE))


class Memory:
    """An index of units for one language: exact by key, near by rare words and length."""

    def __init__(self, units: Iterable[Unit] = ()) -> None:
        self._exact: dict[tuple[str | None, str], list[Unit]] = defaultdict(list)
        self._near: list[Unit] = []  # ordinary units only: a disclaimer is never a near match
        self._lengths: list[int] = []
        self._by_key: dict[str, list[int]] | None = None  # built at the first near lookup
        self.add(units)

    def add(self, units: Iterable[Unit]) -> None:
        for unit in units:
            same = self._exact[(unit.msgctxt, unit.msgid)]
            if any(u.msgstr == unit.msgstr and u.kind == unit.kind and u.reviewed == unit.reviewed
                   and u.disclaimer == unit.disclaimer for u in same):
                continue  # the same translation again (a shared sentence): one unit is enough
            same.append(unit)
            if not unit.disclaimer:
                self._near.append(unit)
                self._lengths.append(len(unit.msgid))
                self._by_key = None

    def __len__(self) -> int:
        return sum(len(units) for units in self._exact.values())

    def units(self) -> list[Unit]:
        return [unit for units in self._exact.values() for unit in units]

    def suggest(self, entry: polib.POEntry, document: str = "") -> Suggestion | None:
        """The best suggestion for an untranslated ``entry`` of ``document``'s catalog, or None."""
        if entry.msgid_plural or not entry.msgid:
            return None
        disclaimer, entry_kind = is_disclaimer(entry), kind(entry)
        exact = [u for u in self._exact.get((entry.msgctxt or None, entry.msgid), ())
                 if u.disclaimer == disclaimer and (u.document != document or not document)]
        reviewed = [u for u in exact if u.reviewed and u.kind == entry_kind]
        if reviewed:
            if len({_seen(u.msgstr) for u in reviewed}) > 1:
                return None  # a conflict: reported by `check`, never resolved by guessing
            return Suggestion(reviewed[0], 100.0, True)
        if exact:  # from outside, or reviewed as another kind: a suggestion, if they agree
            if len({_seen(u.msgstr) for u in exact}) > 1:
                return None
            return Suggestion(exact[0], 100.0, False)
        if disclaimer:
            return None  # a disclaimer takes no near match
        return self._near_match(entry, document)

    def _near_match(self, entry: polib.POEntry, document: str) -> Suggestion | None:
        candidates = self._candidates(entry.msgid)
        pool = [u for u in candidates if (u.msgctxt or None) == (entry.msgctxt or None)
                and (u.document != document or not document)]
        if not pool:
            return None
        best = process.extractOne(entry.msgid, [u.msgid for u in pool], scorer=fuzz.ratio,
                                  score_cutoff=NEAR_CUTOFF)
        if best is None:
            return None
        return Suggestion(pool[best[2]], best[1], False)

    def _candidates(self, msgid: str) -> list[Unit]:
        """Units sharing one of the query's rarest word pairs, with a length that allows the
        cutoff (ratio = 2·matches / total length, so the shorter is at least c/(200-c) of
        the longer): the few rapidfuzz then scores."""
        by_key = self._near_index()
        postings = [by_key[found] for found in _keys(msgid) if found in by_key]
        postings = sorted((p for p in postings if len(p) <= MAX_POSTING), key=len)[:RARE_KEYS]
        shared: dict[int, int] = defaultdict(int)
        for posting in postings:
            for index in posting:
                shared[index] += 1
        low = NEAR_CUTOFF / (200 - NEAR_CUTOFF)
        size, lengths = len(msgid), self._lengths
        fitting = [i for i in shared if low * size <= lengths[i] <= size / low]
        fitting.sort(key=lambda i: -shared[i])
        return [self._near[i] for i in fitting[:MAX_CANDIDATES]]

    def _near_index(self) -> dict[str, list[int]]:
        """Word pair → ordinary units, made when first needed (exact lookups and conflicts
        never need it)."""
        if self._by_key is None:
            self._by_key = defaultdict(list)
            for index, unit in enumerate(self._near):
                for found in _keys(unit.msgid):
                    self._by_key[found].append(index)
        return self._by_key

    def conflicts(self) -> list[Conflict]:
        """Messages with reviewed translations that disagree (same kind and disclaimer flag)."""
        found = []
        for (msgctxt, msgid), units in self._exact.items():
            groups: dict[tuple[str, bool], list[Unit]] = defaultdict(list)
            for unit in units:
                if unit.reviewed:
                    groups[(unit.kind, unit.disclaimer)].append(unit)
            for group in groups.values():
                if len({_seen(u.msgstr) for u in group}) > 1:
                    found.append(Conflict(msgid, msgctxt, tuple(group)))
        return found


def _keys(text: str) -> set[str]:
    """What the near-match index files a text under: its pairs of consecutive words (its
    one word, for a one-word text)."""
    words = _WORD.findall(text.casefold())
    return {f"{a} {b}" for a, b in zip(words, words[1:])} or set(words)


def _seen(text: str) -> str:
    """Two translations that differ only in Unicode form or spacing are not a conflict."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def filled_by_memory(entry: polib.POEntry) -> str | None:
    """``reviewed`` or ``fuzzy`` if the memory filled this entry (its translator comment says
    so), else None."""
    for line in (entry.tcomment or "").split("\n"):
        if line.startswith(MEMORY_NOTE):
            return "reviewed" if line.endswith("reviewed there)") else "fuzzy"
    return None
