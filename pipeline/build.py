"""The orchestrating layer for catalogs and checks: documents × locales, files in and out.

Everything else in the package is a pure function over text and plain objects;
this module (and :mod:`pipeline.publish`, which builds the site on top of it)
decides which files to read and write.  Each source is parsed once and each
catalog loaded once per run.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache

import polib

from . import catalogs, chrome, quality
from .checks import Diagnostic, PageReport, assess
from .config import Config
from .errors import PipelineError
from .files import ChangedMeanwhile, read_text, stamp, write_atomic
from .lock import project_lock
from .languages import Language, language
from .markdown import Parsed
from .segments import Document, read

# --- where things are -------------------------------------------------------------------------


def documents(config: Config) -> list[str]:
    """Names of the source documents (``source/<doc>.md``; ``_*.md`` are not articles)."""
    if not os.path.isdir(config.source):
        raise PipelineError("source folder not found", path=config.source, code="config")
    names = sorted(name[:-3] for name in os.listdir(config.source)
                   if name.endswith(".md") and not name.startswith(("_", ".")))
    for name in names:
        _safe_name(name, config.source)
    return names


def _safe_name(name: str, where: str) -> str:
    if not name or name in (".", "..") or "/" in name or "\\" in name or name.startswith("."):
        raise PipelineError(f"unsafe name {name!r}", path=where, code="unsafe-name")
    return name


def source_path(config: Config, doc: str) -> str:
    return os.path.join(config.source, f"{doc}.md")


def template_path(config: Config, domain: str) -> str:
    return os.path.join(config.locales_root, "templates", f"{domain}.pot")


def catalog_path(config: Config, code: str, domain: str) -> str:
    return os.path.join(config.locales_root, code, "LC_MESSAGES", f"{domain}.po")


def relative(config: Config, path: str) -> str:
    """Paths in messages and ``#:`` references are relative to the project root."""
    return os.path.relpath(path, config.root)


# --- reading ----------------------------------------------------------------------------------


def read_document(config: Config, doc: str, inline: bool = True) -> Document:
    path = source_path(config, doc)
    try:
        return read(read_text(path), config.front_matter, inline)
    except PipelineError as error:
        raise error.at(relative(config, path)) if error.path is None else error


def load_catalog(config: Config, code: str, domain: str) -> polib.POFile | None:
    """A locale's catalog, or None if it has none; its header must match its folder."""
    path = catalog_path(config, code, domain)
    if not os.path.exists(path):
        return None
    shown = relative(config, path)
    try:
        po = catalogs.load(path)
    except PipelineError as error:
        raise PipelineError(error.message, path=shown, line=error.line, code=error.code) from None
    catalogs.check_header(po, language(code), shown)
    return po


# --- extract, init, update --------------------------------------------------------------------


def templates(config: Config) -> dict[str, polib.POFile]:
    """The current template of every document, plus the page chrome's."""
    return {domain: template(config, domain) for domain in [*documents(config), chrome.DOMAIN]}


def template(config: Config, domain: str) -> polib.POFile:
    """One document's template (from its source), or the page chrome's."""
    if domain == chrome.DOMAIN:
        return chrome.template()
    return catalogs.template(domain, relative(config, source_path(config, domain)),
                             read_document(config, domain, inline=False).segments)


def extract(config: Config, jobs: int | None = None) -> list[str]:
    """Write ``locales/templates/<doc>.pot``; returns the paths actually rewritten."""
    with project_lock(config.root):
        return _refresh_all(config, (), False, jobs)


def _write_templates(config: Config, pots: dict[str, polib.POFile]) -> list[str]:
    return [path for domain, pot in pots.items() for path in _write_template(config, domain, pot)]


def _write_template(config: Config, domain: str, pot: polib.POFile) -> list[str]:
    path = template_path(config, domain)
    try:
        old = catalogs.load(path) if os.path.exists(path) else None
    except PipelineError:
        old = None  # a template is generated: a broken one is simply replaced
    return [relative(config, path)] if catalogs.save(pot, path, old=old) else []


def _refresh_all(config: Config, codes: tuple[str, ...], purge: bool, jobs: int | None) -> list[str]:
    """Extract every domain's template and merge it into the catalogs of ``codes``,
    one domain per task, in a process pool when there are many documents."""
    domains = [*documents(config), chrome.DOMAIN]
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(domains) < 16:
        results = [_refresh_domain(config, domain, codes, purge) for domain in domains]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_refresh_domain, [config] * len(domains), domains,
                                    [codes] * len(domains), [purge] * len(domains),
                                    chunksize=max(1, len(domains) // (jobs * 8))))
    return [path for paths in results for path in paths]


def _refresh_domain(config: Config, domain: str, codes: tuple[str, ...], purge: bool) -> list[str]:
    """One document's (or the chrome's) template, written, then merged into each locale."""
    pot = template(config, domain)
    written = _write_template(config, domain, pot)
    for code in codes:
        if _update_one(config, code, domain, pot, purge):
            written.append(relative(config, catalog_path(config, code, domain)))
    return written


def init(config: Config, codes: list[str]) -> list[str]:
    """Create the catalogs of ``codes`` from the templates; existing catalogs are left alone."""
    languages = [language(code) for code in codes]
    with project_lock(config.root):
        pots = templates(config)
        _write_templates(config, pots)
        created = []
        for lang in languages:
            for domain, pot in pots.items():
                path = catalog_path(config, lang.code, domain)
                if not os.path.exists(path):
                    catalogs.save(catalogs.new_catalog(pot, lang), path)
                    created.append(relative(config, path))
        return created


def update(config: Config, purge: bool = False, jobs: int | None = None) -> list[str]:
    """Re-extract, then merge each template into every configured locale's catalog.

    A translator may save a catalog while this runs: each catalog is merged from
    what is on disk and replaced only if the file did not change meanwhile;
    otherwise it is merged again from the translator's newer file.
    """
    for code in config.locales:
        language(code)  # an unknown locale stops the run before anything is written
    with project_lock(config.root):
        written = _refresh_all(config, tuple(config.locales), purge, jobs)
    return [path for path in written if not path.endswith(".pot")]


def _update_one(config: Config, code: str, domain: str, pot: polib.POFile, purge: bool,
                attempts: int = 5) -> bool:
    path = catalog_path(config, code, domain)
    for _ in range(attempts):
        before = stamp(path)
        old = load_catalog(config, code, domain)
        new = catalogs.new_catalog(pot, language(code)) if old is None else catalogs.update(old, pot)
        if purge:
            catalogs.purge_obsolete(new)
        try:
            return catalogs.save(new, path, unchanged_since=before, old=old)
        except ChangedMeanwhile:
            continue
    raise PipelineError("the catalog keeps changing while it is being updated; "
                        "save your edits and run `pipeline update` again",
                        path=relative(config, path), code="changed-meanwhile")


def pseudo(config: Config, code: str) -> list[str]:
    """Write complete pseudo-translated catalogs for ``code`` (e.g. en-XA) from the templates,
    so layout problems and untranslatable text show before real translations arrive."""
    from .pseudo import pseudolocalize

    lang = language(code)
    with project_lock(config.root):
        pots = templates(config)
        _write_templates(config, pots)
        written = []
        for domain, pot in pots.items():
            po = catalogs.new_catalog(pot, lang)
            for entry in po:
                if entry.msgid_plural:
                    entry.msgstr_plural = {i: pseudolocalize(entry.msgid if i == 0 else entry.msgid_plural)
                                           for i in entry.msgstr_plural}
                else:
                    entry.msgstr = pseudolocalize(entry.msgid)
            path = catalog_path(config, code, domain)
            if catalogs.save(po, path):
                written.append(relative(config, path))
        return written


def compile_catalogs(config: Config) -> list[str]:
    """Write a ``.mo`` beside every configured locale's ``.po`` (fuzzy entries left out)."""
    with project_lock(config.root):
        return _compile(config)


def _compile(config: Config) -> list[str]:
    written = []
    for code in config.locales:
        folder = os.path.join(config.locales_root, code, "LC_MESSAGES")
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(".po"):
                po = load_catalog(config, code, name[:-3])
                path = os.path.join(folder, name[:-3] + ".mo")
                write_atomic(path, po.to_binary())
                written.append(relative(config, path))
    return written


# --- check, stats, build ----------------------------------------------------------------------


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
        return [d for page in self.pages for d in page.diagnostics] + self.notes

    @property
    def blocked(self) -> bool:
        """True when a page is withheld or a translation was refused: CI should fail."""
        return any(d.severity == "error" for d in self.diagnostics)

    @property
    def withheld(self) -> list:
        return [page for page in self.pages if not page.published]


def localize_all(config: Config) -> Run:
    """Assess and localize every document in every configured locale (nothing is written)."""
    run = Run()
    docs = {doc: read_document(config, doc) for doc in documents(config)}
    for code in config.locales:
        lang = language(code)
        for doc, parsed in docs.items():
            run.pages.append(localize_page(config, doc, parsed, lang))
    return run


def localize_page(config: Config, doc: str, parsed: Document, lang: Language) -> Localized:
    """One document in one language: assessed against its catalog and, if publishable, localized."""
    po = load_catalog(config, lang.code, doc)
    po_path = relative(config, catalog_path(config, lang.code, doc))
    src_path = relative(config, source_path(config, doc))
    report = assess(parsed, po, catalog_path=po_path, source_path=src_path,
                    min_completeness=config.min_completeness,
                    options=quality.Options(frozenset(config.keep_as_is)))
    if not report.publishable:
        return Localized(doc, lang, report)
    result = report.localization
    return Localized(doc, lang, report, result.markdown, result.parsed)


def check(config: Config) -> Run:
    return localize_all(config)


def stats(config: Config) -> list[tuple[str, str, catalogs.Counts]]:
    """(locale, document, counts) for every configured locale and document."""
    return [(page.language.code, page.doc, page.report.counts) for page in localize_all(config).pages]


def output_path(config: Config, code: str, name: str) -> str:
    """``output/<code>/<name>``, refusing any path that would land outside ``output/``
    (a ``..`` or a separator in a name, an absolute path, a symlinked folder pointing
    elsewhere).  A symlink in place of the file itself is harmless: pages replace it."""
    if name in ("", ".", "..") or "/" in name or os.sep in name:
        raise PipelineError(f"unsafe file name {name!r}", path=relative(config, config.output),
                            code="unsafe-path")
    _check_folder(config.root, config.output, code)
    return os.path.join(config.output, code, name)


def forget_output_folders() -> None:
    """Check the output folders again (a long-running ``serve`` builds many times)."""
    _check_folder.cache_clear()


@lru_cache(maxsize=256)
def _check_folder(root: str, output: str, code: str) -> None:
    """Resolve each output folder once per process, not once per page (a dozen stat calls)."""
    real_output = os.path.realpath(output)
    folder = os.path.join(output, code)
    if os.path.commonpath([real_output, os.path.realpath(folder)]) != real_output:
        raise PipelineError(f"refusing to write outside {os.path.relpath(output, root)}/: {code}/",
                            path=os.path.relpath(folder, root), code="unsafe-path")
