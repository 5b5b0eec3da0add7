"""The decision whether a localized page may be published.

Every check reports a :class:`~pipeline.diagnostics.Diagnostic`; :func:`assess` walks a document's
segments against its catalog once and returns the translations that may be
used, the localized page (a :class:`~pipeline.merge.LocalizedDocument`), the counts,
the diagnostics and whether the page is publishable.  The
rule that matters most: a page is withheld unless every disclaimer segment is
translated, not fuzzy, and something a reader of the language can read (see
:mod:`.disclaimers`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polib

from pipeline.checks import disclaimers, quality
from pipeline.checks import glossary as terminology
from pipeline.diagnostics import ERROR, WARNING, Diagnostic
from pipeline.document import Document, Segment
from pipeline.merge import LocalizedDocument, PageTooLarge, Rejected, localize_parsed
from pipeline.po.catalogs import key
from pipeline.po.stats import Counts, words
from pipeline.po.glossary import Glossary

# A localized page longer than this many times its source (plus PAGE_SLACK characters) is
# withheld before it is parsed: the shipped pages are at most 1.22 times their English
# source (French; German 1.18, Arabic 0.97), and each translation is already limited
# (quality.MAX_RATIO).
MAX_PAGE_RATIO = 4
PAGE_SLACK = 10_000

@dataclass
class PageReport:
    """What the catalog gives one page in one language."""

    translations: dict[tuple[str | None, str], str] = field(default_factory=dict)
    counts: Counts = field(default_factory=Counts)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    withheld_by: list[Diagnostic] = field(default_factory=list)
    untranslated_segments: int = 0
    localization: LocalizedDocument | None = None  # the page, from the translations used
    unusable: bool = False  # an input (catalog, chrome catalog) could not be read: exit status 2

    @property
    def publishable(self) -> bool:
        return not self.withheld_by

    @property
    def fallback(self) -> frozenset[int]:
        """Tokens of the localized parse whose text is still in the source language."""
        return self.localization.fallback() if self.localization else frozenset()

    def withhold(self, diagnostic: Diagnostic) -> None:
        """Report a problem that keeps the whole page from being published."""
        self.diagnostics.append(diagnostic)
        self.withheld_by.append(diagnostic)

    def translate(self, segment: Segment) -> str | None:
        return self.translations.get((segment.msgctxt, segment.msgid))


def assess(doc: Document, po: polib.POFile | None, *, catalog_path: str, source_path: str,
           min_completeness: float, options: quality.Options = quality.Options(),
           context: disclaimers.Context = disclaimers.Context(""), advise: bool = False,
           glossary: Glossary | None = None,
           findings: quality.SourceFindings | None = None) -> PageReport:
    """Decide what of ``po`` a localized page of ``doc`` may use, localize it, and say
    whether it may be published.

    The page is merged once with every translated entry; the quality checks then compare
    each translation's inline tokens in that parse with the source's, both found through
    the :class:`~pipeline.merge.LocalizedDocument`.  Only a refused translation makes the
    page merge again, without it.  ``findings``: the source's inline findings, kept by the
    caller across the locales of one document.
    """
    report = PageReport()
    if po is None:
        report.withhold(Diagnostic(catalog_path, None, ERROR, "no-catalog",
                                   "no catalog for this page: run `pipeline update`"))
        po = polib.POFile()
    entries = {key(e): e for e in po if not e.obsolete}
    _report_strays(report, doc, entries, catalog_path)
    states = [_state(segment, entries.get((segment.msgctxt, segment.msgid))) for segment in doc.segments]
    refused = _refuse_too_long(report, doc, states, entries, catalog_path, source_path)
    _review_disclaimers(report, doc, states, entries, catalog_path, source_path, context)
    report.translations = {(s.msgctxt, s.msgid): entries[(s.msgctxt, s.msgid)].msgstr
                           for s, state in zip(doc.segments, states) if state == "translated"}
    if glossary is not None:  # terminology (checks/glossary.py): an error withholds the page
        for found in terminology.review(doc, report.translations, entries, glossary,
                                        context.language, catalog_path, source_path):
            report.withhold(found) if found.severity == ERROR else report.diagnostics.append(found)
    limit = MAX_PAGE_RATIO * len(doc.text) + PAGE_SLACK
    try:
        localized = localize_parsed(doc, report.translate, max_size=limit)
    except PageTooLarge as error:  # withheld before it is parsed
        report.withhold(Diagnostic(
            catalog_path, None, ERROR, "page-too-large",
            f"the localized page of {source_path} would have {error.size:,} characters, more "
            f"than {MAX_PAGE_RATIO} times its source's {len(doc.text):,} (limit {limit:,}): "
            "page withheld"))
        return _decide(report, doc, states, entries, catalog_path, source_path, min_completeness)
    refused |= _review(report, localized, entries, catalog_path, source_path, options,
                       findings or quality.SourceFindings(doc))
    if advise:
        _advise(report, doc, entries, catalog_path, source_path, context)
    if refused & report.translations.keys():
        for refused_key in refused & report.translations.keys():
            del report.translations[refused_key]
        localized = localize_parsed(doc, report.translate)  # smaller than the first
    report.localization = localized
    _add_rejected(report, localized.rejected, entries, catalog_path, source_path)
    refused |= {(r.segment.msgctxt, r.segment.msgid) for r in localized.rejected}
    for index, segment in enumerate(doc.segments):
        if (segment.msgctxt, segment.msgid) in refused:
            states[index] = "refused"
    return _decide(report, doc, states, entries, catalog_path, source_path, min_completeness)


def _decide(report: PageReport, doc: Document, states: list[str], entries: dict,
            catalog_path: str, source_path: str, min_completeness: float) -> PageReport:
    """Count the segments by state; withhold the page for an unready disclaimer, or below
    the completeness threshold."""
    tally = _Tally()
    for segment, state in zip(doc.segments, states):
        tally.add(segment, state)
        if state != "translated" and segment.disclaimer and state in _REASONS:
            entry = entries.get((segment.msgctxt, segment.msgid))
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


def _refuse_too_long(report: PageReport, doc: Document, states: list[str], entries: dict,
                     catalog_path: str, source_path: str) -> set:
    """Refuse, before anything reads them, translations past the length limit (``_state``
    found them): the source text is shown instead (a disclaimer's withholds the page)."""
    refused: set = set()
    if "too-long" not in states:
        return refused
    for index, segment in enumerate(doc.segments):
        if states[index] != "too-long":
            continue
        states[index] = "refused"
        entry_key = (segment.msgctxt, segment.msgid)
        if entry_key not in refused:
            refused.add(entry_key)
            entry = entries[entry_key]
            problem = quality.too_long(segment.msgid, entry.msgstr)
            _report(report, segment, entry, problem, catalog_path, source_path)
    return refused


def _review(report: PageReport, localized: LocalizedDocument, entries: dict, catalog_path: str,
            source_path: str, options: quality.Options, findings: quality.SourceFindings) -> set:
    """Run the quality checks once per entry; return the keys of refused translations."""
    rejected = {r.segment.token for r in localized.rejected}
    refused, seen = set(), set()
    for index, segment in enumerate(localized.source.segments):
        entry_key = (segment.msgctxt, segment.msgid)
        if entry_key not in report.translations or entry_key in seen or segment.token in rejected:
            continue
        seen.add(entry_key)
        translated = None
        token = localized.localized_token(index)
        if token is not None:
            translated = quality.inline_from(report.translations[entry_key], token.children or [])
        found = _quality(segment, entries[entry_key], catalog_path, source_path, options,
                         findings.inline(segment), translated)
        for diagnostic in found:
            _file(report, segment, diagnostic)
        if any(d.severity == ERROR for d in found):
            refused.add(entry_key)
    return refused


def _report(report: PageReport, segment: Segment, entry: polib.POEntry, problem: quality.Problem,
            catalog_path: str, source_path: str) -> None:
    severity, code, message = problem
    consequence = ("; page withheld (medical disclaimer)" if segment.disclaimer
                   else "; the source text is shown instead")
    _file(report, segment, Diagnostic(catalog_path, entry.linenum, severity, code,
                                      f"{message} (source {source_path}:{segment.line}){consequence}"))


def _file(report: PageReport, segment: Segment, diagnostic: Diagnostic) -> None:
    """An error on a disclaimer withholds the page; anything else is reported."""
    if segment.disclaimer and diagnostic.severity == ERROR:
        report.withhold(diagnostic)
    else:
        report.diagnostics.append(diagnostic)


def _advise(report: PageReport, doc: Document, entries: dict, catalog_path: str,
            source_path: str, context: disclaimers.Context) -> None:
    """Warnings on ordinary translations' length and language (``pipeline check`` only)."""
    for segment in doc.segments:
        entry_key = (segment.msgctxt, segment.msgid)
        if segment.disclaimer or entry_key not in report.translations:
            continue
        entry = entries[entry_key]
        silenced = quality.silencers(entry)
        for severity, code, message in disclaimers.advice(segment.msgid, entry.msgstr, context):
            if f"no-{code.split('-')[-1]}-check" not in silenced:
                report.diagnostics.append(Diagnostic(catalog_path, entry.linenum, severity, code,
                                                     f"{message} (source {source_path}:{segment.line})"))


def _add_rejected(report: PageReport, rejected: list[Rejected], entries: dict,
                  catalog_path: str, source_path: str) -> None:
    """Translations the merge refused: the source text is shown instead, which a disclaimer
    cannot have, so a refused disclaimer withholds the page."""
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


def _quality(segment: Segment, entry: polib.POEntry, catalog_path: str, source_path: str,
             options: quality.Options, source: quality.Inline | None = None,
             translated: quality.Inline | None = None) -> list[Diagnostic]:
    """Quality problems of a translation; an error means it is not used (on a disclaimer:
    the page is withheld, because a disclaimer cannot fall back to the source language)."""
    found = []
    for severity, code, message in quality.problems(
            segment.msgid, entry.msgstr, quality.silencers(entry), disclaimer=segment.disclaimer,
            options=options, source=source, translation=translated):
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
    if len(entry.msgstr) > quality.SHORTEST_LIMIT and quality.too_long(segment.msgid, entry.msgstr):
        return "too-long"
    return "translated"


def _report_strays(report: PageReport, doc: Document, entries: dict, catalog_path: str) -> None:
    """Entries with an extracted message's msgid but another context (``msgctxt ""`` is not
    no context): never used in its place, and said so, since a reviewer may have edited one."""
    extracted = {(segment.msgctxt, segment.msgid) for segment in doc.segments}
    by_msgid = {msgid for _context, msgid in extracted}
    for (context, msgid), entry in entries.items():
        if msgid in by_msgid and (context, msgid) not in extracted:
            report.diagnostics.append(Diagnostic(
                catalog_path, entry.linenum, WARNING, "stray-entry",
                f"this entry has the msgid of an extracted message but msgctxt {context!r}, which "
                "the source does not give it: it is never used (the extracted entry is)"))


def _review_disclaimers(report: PageReport, doc: Document, states: list[str], entries: dict,
                        catalog_path: str, source_path: str, context: disclaimers.Context) -> None:
    """Judge each translated disclaimer by what a reader will see; a refused one withholds
    the page.  A disclaimer block is the unit: a short segment left as in the source (a
    cognate such as French "Confusion") is a warning a translator can silence when the
    rest of its block is translated, and an error when the whole block is unchanged."""
    verdicts: dict[int, disclaimers.Verdict] = {}
    for index, (segment, state) in enumerate(zip(doc.segments, states)):
        if segment.disclaimer and state == "translated":
            entry = entries[(segment.msgctxt, segment.msgid)]
            verdicts[index] = disclaimers.review(segment.msgid, entry.msgstr, context)
    translated_blocks = {doc.segments[i].block for i, v in verdicts.items() if not v.unchanged}
    for index, verdict in verdicts.items():
        segment = doc.segments[index]
        entry = entries[(segment.msgctxt, segment.msgid)]
        for severity, code, message in verdict.problems:  # the page is withheld; the quality
            report.withhold(Diagnostic(catalog_path, entry.linenum, severity, code,  # checks still
                                       f"medical disclaimer (source {source_path}:{segment.line}): "
                                       f"{message}; page withheld"))  # say what else is wrong
        if not verdict.unchanged:
            continue
        if _cognate(segment) and segment.block in translated_blocks:
            if "no-unchanged-check" not in quality.silencers(entry):
                report.diagnostics.append(Diagnostic(
                    catalog_path, entry.linenum, WARNING, "unchanged",
                    f"identical to the source in a translated disclaimer (source {source_path}:"
                    f"{segment.line}); if it is right in your language (a cognate), say so with "
                    "a translator comment '# no-unchanged-check: <why>'"))
        else:
            states[index] = "unchanged"


def _cognate(segment: Segment) -> bool:
    return len(segment.msgid.split()) <= disclaimers.SHORT_WORDS


_REASONS = {
    "missing": ("disclaimer-missing", "is not in the catalog: the catalog is outdated, run `pipeline update`"),
    "fuzzy": ("disclaimer-fuzzy", "is fuzzy (its source changed or the translation is unreviewed): review it and remove the fuzzy flag"),
    "untranslated": ("disclaimer-untranslated", "is not translated"),
    "unchanged": ("disclaimer-unchanged", "is the source text as a reader sees it (at most "
                  "invisible characters, case, accents, look-alike letters or markup changed)"),
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
        bucket = state if state in ("translated", "fuzzy") else "untranslated"
        self.values[bucket] += 1
        self.values[f"{bucket}_words"] += words(segment.msgid)
        if segment.disclaimer:
            self.values["disclaimers"] += 1
            self.values["disclaimers_done"] += state == "translated"

    def counts(self) -> Counts:
        return Counts(**self.values)
