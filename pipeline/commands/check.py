"""``check`` and ``stats``: every document in every locale, assessed and localized in memory.

:func:`localize_page` is the one place a page's catalog meets its source; ``build``
uses it too, and writes what it decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polib

from pipeline.commands import memory as memories
from pipeline.commands.catalogs import template
from pipeline.po import memory
from pipeline.po.stats import Counts, entry_counts
from pipeline.po.catalogs import key
from pipeline.site import chrome
from pipeline.diagnostics import Diagnostic, PipelineError
from pipeline.checks.gate import PageReport, assess
from pipeline.checks.quality import SourceFindings
from pipeline.languages import Language, language
from pipeline.project.layout import (catalog_path, documents, load_catalog, read_document, relative, source_path,
                                     unconfigured_catalogs)
from pipeline.markdown import Parsed
from pipeline.segments import Document
from pipeline.session import Session


@dataclass
class Localized:
    """One document in one language: its report and, if publishable, its Markdown."""

    doc: str
    language: Language
    report: PageReport
    markdown: str | None = None
    parsed: Parsed | None = None  # the parse of ``markdown``, for rendering without parsing again

    @property
    def published(self) -> bool:
        return self.markdown is not None

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.report.diagnostics

    @property
    def unusable(self) -> bool:
        return self.report.unusable


@dataclass
class Run:
    """The outcome of check (and, extended, of build): every page's state and diagnostics.

    ``pages`` hold anything with ``published`` and ``diagnostics``: :class:`Localized`
    here, ``publish.PageState`` for a build (which may come from the manifest).
    """

    pages: list = field(default_factory=list)
    notes: list[Diagnostic] = field(default_factory=list)  # about the site, not one page

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Each diagnostic once (one about a language's page chrome concerns all its pages)."""
        found = [d for page in self.pages for d in page.diagnostics] + self.notes
        return list(dict.fromkeys(found))

    @property
    def unusable(self) -> bool:
        """True when an input could not be read (a broken catalog): exit status 2."""
        return any(page.unusable for page in self.pages)

    @property
    def blocked(self) -> bool:
        """True when a page is withheld or a translation was refused: CI should fail."""
        return any(d.severity == "error" for d in self.diagnostics)

    @property
    def withheld(self) -> list:
        return [page for page in self.pages if not page.published]


def localize_all(session: Session) -> Run:
    """Assess and localize every document in every configured locale (nothing is written)."""
    config = session.config
    run = Run()
    docs: dict[str, Document | PipelineError] = {}
    for doc in documents(config):
        try:
            docs[doc] = read_document(config, doc)
        except PipelineError as error:  # this document only: the others are checked
            docs[doc] = error
    findings = {doc: SourceFindings(parsed) for doc, parsed in docs.items()
                if not isinstance(parsed, PipelineError)}  # shared by the locales
    for code in config.locales:
        lang = language(code)
        for doc, parsed in docs.items():
            run.pages.append(_unreadable(doc, lang, parsed) if isinstance(parsed, PipelineError)
                             else localize_page(session, doc, parsed, lang, findings[doc]))
    return run


def _unreadable(doc: str, lang: Language, error: PipelineError) -> Localized:
    report = PageReport(unusable=True)
    report.withhold(error.diagnostic)
    return Localized(doc, lang, report)


def localize_page(session: Session, doc: str, parsed: Document, lang: Language,
                  findings: SourceFindings | None = None) -> Localized:
    """One document in one language: assessed against its catalog and the language's page
    chrome and, if publishable, localized (``findings``: the source's, kept across locales)."""
    config = session.config
    try:
        po = load_catalog(config, lang.code, doc)
    except PipelineError as error:  # this page only: the others are still built
        report = PageReport(unusable=True)
        report.withhold(error.diagnostic)
        return Localized(doc, lang, report)
    try:
        glossary = session.glossary(lang.code)
    except PipelineError as error:  # it guards the disclaimers: this language's pages wait
        report = PageReport(unusable=True)
        report.withhold(error.diagnostic)
        return Localized(doc, lang, report)
    po_path = relative(config, catalog_path(config, lang.code, doc))
    src_path = relative(config, source_path(config, doc))
    report = assess(parsed, po, catalog_path=po_path, source_path=src_path,
                    min_completeness=config.min_completeness,
                    options=session.options, context=session.disclaimer_context(lang.code),
                    advise=session.advise, glossary=glossary, findings=findings)
    chrome = session.chrome_review(lang.code)
    report.diagnostics += chrome.diagnostics
    report.withheld_by += chrome.blocking
    report.unusable = chrome.unusable
    if not report.publishable:
        return Localized(doc, lang, report)
    result = report.localization
    return Localized(doc, lang, report, result.markdown, result.parsed)


def check(session: Session) -> Run:
    run = localize_all(session)
    run.notes += memories.conflicts(session)  # what the translation memory cannot take
    run.notes += unconfigured_catalogs(session.config)
    return run


@dataclass(frozen=True)
class Row:
    """One catalog in ``pipeline stats``: its entries by state, and how many of them the
    translation memory filled (as reviewed, as fuzzy)."""

    locale: str
    document: str
    counts: Counts
    memory_reviewed: int = 0
    memory_fuzzy: int = 0


def stats(session: Session) -> list[Row]:
    """A row per configured locale and document, then the locale's page chrome (``_site``):
    catalog entries as ``msgfmt --statistics`` counts them, a refused translation counted
    as untranslated."""
    config = session.config
    pots: dict[str, polib.POFile] = {}
    rows = []
    for page in localize_all(session).pages:
        row = Row(page.language.code, page.doc, Counts())
        if not page.unusable:
            pot = pots.get(page.doc) or pots.setdefault(page.doc, template(config, page.doc))
            rejected = page.report.localization.rejected if page.report.localization else []
            used = set(page.report.translations) - {(r.segment.msgctxt, r.segment.msgid) for r in rejected}
            row = _row(page.language.code, page.doc, pot, load_catalog(config, page.language.code, page.doc), used)
        rows.append(row)
    for code in config.locales:
        review = session.chrome_review(code)
        if not review.unusable:
            po = load_catalog(config, code, chrome.DOMAIN)
            rows.append(_row(code, chrome.DOMAIN, chrome.template(), po, {key(e) for e in review.accepted}))
    order = {code: index for index, code in enumerate(config.locales)}
    return sorted(rows, key=lambda row: (order[row.locale], row.document == chrome.DOMAIN))


def _row(code: str, domain: str, pot: polib.POFile, po: polib.POFile | None, used: set) -> Row:
    filled = [memory.filled_by_memory(entry) for entry in po or [] if not entry.obsolete]
    return Row(code, domain, entry_counts(pot, po, used),
               filled.count("reviewed"), filled.count("fuzzy"))
