"""Diagnostics, and the decision whether a localized page may be published.

Every check reports a :class:`Diagnostic`; :func:`assess` walks a document's
segments against its catalog once and returns the translations that may be
used, the counts, the diagnostics and whether the page is publishable.  The
rule that matters most: a page is withheld unless every disclaimer segment is
translated, not fuzzy and not left identical to the source.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import polib

from . import quality
from .catalogs import Counts, key, words
from .merge import Rejected
from .segments import Document, Segment

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding, printed like a compiler's: ``path:line: severity: code: message``."""

    path: str
    line: int | None
    severity: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.code}: {self.message}"


def as_github(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command, shown as an annotation on the file and line."""
    def escape(text: str, extra: str = "") -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        for ch in extra:
            text = text.replace(ch, {":": "%3A", ",": "%2C"}[ch])
        return text
    where = f"file={escape(diagnostic.path, ':,')}"
    if diagnostic.line:
        where += f",line={diagnostic.line}"
    return f"::{diagnostic.severity} {where},title={escape(diagnostic.code, ':,')}::{escape(diagnostic.message)}"


def as_json(diagnostics: list[Diagnostic]) -> str:
    return json.dumps([asdict(d) for d in diagnostics], ensure_ascii=False, indent=2)


@dataclass
class PageReport:
    """What the catalog gives one page in one language."""

    translations: dict[tuple[str | None, str], str] = field(default_factory=dict)
    counts: Counts = field(default_factory=Counts)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    withheld_by: list[Diagnostic] = field(default_factory=list)
    untranslated_segments: int = 0
    fallback: set[int] = field(default_factory=set)  # tokens of blocks left in the source language

    @property
    def publishable(self) -> bool:
        return not self.withheld_by

    def withhold(self, diagnostic: Diagnostic) -> None:
        """Report a problem that keeps the whole page from being published."""
        self.diagnostics.append(diagnostic)
        self.withheld_by.append(diagnostic)

    def translate(self, segment: Segment) -> str | None:
        return self.translations.get((segment.msgctxt, segment.msgid))


def assess(doc: Document, po: polib.POFile | None, *, catalog_path: str, source_path: str,
           min_completeness: float, options: quality.Options = quality.Options()) -> PageReport:
    """Decide what of ``po`` a localized page of ``doc`` may use, and whether it may be published."""
    report = PageReport()
    if po is None:
        report.withhold(Diagnostic(catalog_path, None, ERROR, "no-catalog",
                                             "no catalog for this page: run `pipeline update`"))
        po = polib.POFile()
    entries = {key(e): e for e in po if not e.obsolete}
    tally = _Tally()
    checked: dict[tuple[str | None, str], bool] = {}  # entry → refused? (checked once per entry)
    for segment in doc.segments:
        entry = entries.get((segment.msgctxt, segment.msgid))
        state = _state(segment, entry)
        if state == "translated":
            if key(entry) not in checked:
                found = _quality(segment, entry, catalog_path, source_path, options)
                for diagnostic in found:
                    if segment.disclaimer and diagnostic.severity == ERROR:
                        report.withhold(diagnostic)
                    else:
                        report.diagnostics.append(diagnostic)
                checked[key(entry)] = any(d.severity == ERROR for d in found)
            if checked[key(entry)]:
                state = "refused"
        tally.add(segment, state)
        if state == "translated":
            report.translations[(segment.msgctxt, segment.msgid)] = entry.msgstr
        else:
            if segment.token >= 0:
                report.fallback.add(segment.token)
            if segment.disclaimer and state != "refused":
                report.withhold(_disclaimer_problem(segment, entry, state, catalog_path, source_path))
    report.counts = tally.counts()
    report.untranslated_segments = report.counts.fuzzy + report.counts.untranslated
    if tally.missing and entries:
        report.diagnostics.append(Diagnostic(
            catalog_path, None, WARNING, "catalog-outdated",
            f"{tally.missing} segment(s) of {source_path} are not in this catalog: run `pipeline update`"))
    completeness = report.counts.completeness
    if completeness < min_completeness:
        report.withhold(Diagnostic(
            catalog_path, None, ERROR, "incomplete",
            f"{completeness:.0%} of the words are translated; this page is published from "
            f"{min_completeness:.0%} (min-completeness)"))
    return report


def add_rejected(report: PageReport, rejected: list[Rejected], po: polib.POFile,
                 catalog_path: str, source_path: str) -> None:
    """Translations the merge refused: the source text is shown instead, which a disclaimer
    cannot have, so a refused disclaimer withholds the page."""
    entries = {key(e): e for e in po if not e.obsolete}
    for item in rejected:
        entry = entries.get((item.segment.msgctxt, item.segment.msgid))
        outcome = ("page withheld (medical disclaimer)" if item.segment.disclaimer
                   else "the source text is shown instead")
        diagnostic = Diagnostic(catalog_path, entry.linenum if entry else None, ERROR,
                                "markup-structure",
                                f"{item.reason} (source {source_path}:{item.segment.line}); {outcome}")
        if item.segment.disclaimer:
            report.withhold(diagnostic)
        else:
            report.diagnostics.append(diagnostic)
        if item.segment.token >= 0:
            report.fallback.add(item.segment.token)
    report.untranslated_segments += len(rejected)


def _quality(segment: Segment, entry: polib.POEntry, catalog_path: str, source_path: str,
             options: quality.Options) -> list[Diagnostic]:
    """Quality problems of a translation; an error means it is not used (on a disclaimer:
    the page is withheld, because a disclaimer cannot fall back to the source language)."""
    found = []
    for severity, code, message in quality.problems(segment.msgid, entry.msgstr, quality.silencers(entry),
                                                    disclaimer=segment.disclaimer, options=options):
        if code == "unchanged" and segment.disclaimer:
            continue  # reported as disclaimer-unchanged
        consequence = ""
        if severity == ERROR:
            consequence = ("; page withheld (medical disclaimer)" if segment.disclaimer
                           else "; the source text is shown instead")
        found.append(Diagnostic(catalog_path, entry.linenum, severity, code,
                                f"{message} (source {source_path}:{segment.line}){consequence}"))
    return found


def _state(segment: Segment, entry: polib.POEntry | None) -> str:
    if entry is None:
        return "missing"
    if "fuzzy" in entry.flags:
        return "fuzzy"
    if not entry.msgstr.strip():
        return "untranslated"
    if segment.disclaimer and entry.msgstr.strip() == segment.msgid.strip():
        return "unchanged"
    return "translated"


_REASONS = {
    "missing": ("disclaimer-missing", "is not in the catalog: the catalog is outdated, run `pipeline update`"),
    "fuzzy": ("disclaimer-fuzzy", "is fuzzy (its source changed or the translation is unreviewed): review it and remove the fuzzy flag"),
    "untranslated": ("disclaimer-untranslated", "is not translated"),
    "unchanged": ("disclaimer-unchanged", "is left identical to the source text"),
}


def _disclaimer_problem(segment: Segment, entry: polib.POEntry | None, state: str,
                        catalog_path: str, source_path: str) -> Diagnostic:
    code, reason = _REASONS[state]
    excerpt = segment.msgid if len(segment.msgid) <= 60 else segment.msgid[:57] + "..."
    return Diagnostic(catalog_path, entry.linenum if entry else None, ERROR, code,
                      f"medical disclaimer (source {source_path}:{segment.line}) {reason}; "
                      f"page withheld: \"{excerpt}\"")


class _Tally:
    def __init__(self) -> None:
        self.values = dict.fromkeys(Counts.__slots__, 0)
        self.missing = 0

    def add(self, segment: Segment, state: str) -> None:
        self.missing += state == "missing"
        bucket = {"translated": "translated", "fuzzy": "fuzzy"}.get(state, "untranslated")
        self.values[bucket] += 1
        self.values[f"{bucket}_words"] += words(segment.msgid)
        if segment.disclaimer:
            self.values["disclaimers"] += 1
            self.values["disclaimers_done"] += state == "translated"

    def counts(self) -> Counts:
        return Counts(**self.values)
