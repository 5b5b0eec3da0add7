"""``extract``, ``init``, ``update``, ``pseudo``, ``compile``: templates and catalogs on disk.

Each document (and the page chrome) is one task: its template is extracted from
the source, written if it changed, and merged into each locale's catalog, in the
session's worker pool when there are many.  A source or catalog that cannot be read
is reported and left as it is; every other document and catalog is still done.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import polib

from pipeline.po import catalogs, merge
from pipeline.site import chrome
from pipeline.project.config import Config
from pipeline.diagnostics import Diagnostic, PipelineError
from pipeline.project.files import ChangedMeanwhile, stamp, write_atomic
from pipeline.languages import PSEUDO, is_pseudo, language
from pipeline.project.layout import (catalog_path, documents, inside, load_catalog, read_document, relative,
                                     source_path, template_path, unconfigured_catalogs)
from pipeline.project.lock import project_lock
from pipeline.pseudo import pseudolocalize
from pipeline.session import Session


def templates(config: Config) -> dict[str, polib.POFile]:
    """The current template of every document, plus the page chrome's."""
    return {domain: template(config, domain) for domain in [*documents(config), chrome.DOMAIN]}


def template(config: Config, domain: str) -> polib.POFile:
    """One document's template (from its source), or the page chrome's."""
    if domain == chrome.DOMAIN:
        return chrome.template()
    return catalogs.template(domain, relative(config, source_path(config, domain)),
                             read_document(config, domain, inline=False).segments)


@dataclass
class Refreshed:
    """What ``extract`` or ``update`` did: the files rewritten, and the sources or
    catalogs it had to leave alone because they cannot be read."""

    written: list[str] = field(default_factory=list)
    failed: list[Diagnostic] = field(default_factory=list)
    notes: list[Diagnostic] = field(default_factory=list)  # warnings: nothing is wrong yet

    def add(self, other: Refreshed) -> None:
        self.written += other.written
        self.failed += other.failed


def extract(session: Session) -> Refreshed:
    """Write ``locales/templates/<doc>.pot`` of every readable source."""
    with project_lock(session.config.root, [session.config.locales_root]):
        return _refresh_all(session, (), False)


def _write_templates(config: Config, pots: dict[str, polib.POFile]) -> list[str]:
    return [path for domain, pot in pots.items() for path in _write_template(config, domain, pot)]


def _write_template(config: Config, domain: str, pot: polib.POFile) -> list[str]:
    path = inside(config, template_path(config, domain))
    try:
        old = catalogs.load(path) if os.path.exists(path) else None
    except PipelineError:
        old = None  # a template is generated: a broken one is simply replaced
    return [relative(config, path)] if catalogs.save(pot, path, old=old) else []


def _refresh_all(session: Session, codes: tuple[str, ...], purge: bool) -> Refreshed:
    """Extract every domain's template and merge it into the catalogs of ``codes``,
    one domain per task."""
    domains = [*documents(session.config), chrome.DOMAIN]
    total = len(domains)
    done = Refreshed()
    with session.workers(total):
        for result in session.map(_refresh_domain, domains, [codes] * total, [purge] * total,
                                  chunksize=max(1, total // (session.jobs * 8))):
            done.add(result)
    return done


def _refresh_domain(session: Session, domain: str, codes: tuple[str, ...], purge: bool) -> Refreshed:
    """One document's (or the chrome's) template, written, then merged into each locale.

    A source that cannot be read leaves its template and catalogs as they are (an
    update from a broken source would make every translation of it obsolete)."""
    config = session.config
    done = Refreshed()
    try:
        pot = template(config, domain)
    except PipelineError as error:
        done.failed.append(error.diagnostic)
        return done
    done.written += _write_template(config, domain, pot)
    for code in codes:
        try:
            if _update_one(session, code, domain, pot, purge):
                done.written.append(relative(config, catalog_path(config, code, domain)))
        except PipelineError as error:  # this catalog only: the translator must fix it first
            done.failed.append(error.diagnostic)
    return done


def init(session: Session, codes: list[str]) -> list[str]:
    """Create the catalogs of ``codes`` from the templates; existing catalogs are left alone."""
    config = session.config
    languages = [language(code) for code in codes]
    with project_lock(config.root, [config.locales_root]):
        pots = templates(config)
        _write_templates(config, pots)
        created = []
        for lang in languages:
            for domain, pot in pots.items():
                path = inside(config, catalog_path(config, lang.code, domain))
                if not os.path.exists(path):
                    catalogs.save(catalogs.new_catalog(pot, lang), path)
                    created.append(relative(config, path))
        return created


def update(session: Session, purge: bool = False) -> Refreshed:
    """Re-extract, then merge each template into every configured locale's catalog.

    A translator may save a catalog while this runs: each catalog is merged from
    what is on disk and replaced only if the file did not change meanwhile;
    otherwise it is merged again from the translator's newer file.
    """
    config = session.config
    for code in config.locales:
        language(code)  # an unknown locale stops the run before anything is written
    for code in config.locales:  # a bad external memory stops the run before anything is written
        session.external_units(code)
    with project_lock(config.root, [config.locales_root]):
        _read_memory_for_new_catalogs(session)
        done = _refresh_all(session, tuple(config.locales), purge)
    done.written = [path for path in done.written if not path.endswith(".pot")]
    done.notes += unconfigured_catalogs(config)
    return done


def _read_memory_for_new_catalogs(session: Session) -> None:
    """Read the memory of a language that will need it (a document has no catalog in it yet)
    before the worker pool starts: forked workers share it instead of each reading every
    catalog of the language again.  Other needs are met when they arise, in each worker."""
    config = session.config
    docs = documents(config)
    for code in config.locales:
        if not is_pseudo(code) and any(not os.path.exists(catalog_path(config, code, doc)) for doc in docs):
            session.memory(code)


def _update_one(session: Session, code: str, domain: str, pot: polib.POFile, purge: bool,
                attempts: int = 5) -> bool:
    config = session.config
    path = catalog_path(config, code, domain)
    suggest = _suggest(session, code, domain)
    for _ in range(attempts):
        before = stamp(path)
        old = load_catalog(config, code, domain)
        base = catalogs.new_catalog(pot, language(code)) if old is None else old
        new = merge.update(base, pot, suggest)
        if purge:
            merge.purge_obsolete(new)
        try:
            return catalogs.save(new, path, unchanged_since=before, old=old)
        except ChangedMeanwhile:
            continue
    raise PipelineError("the catalog keeps changing while it is being updated; "
                        "save your edits and run `pipeline update` again",
                        path=relative(config, path), code="changed-meanwhile")


def _suggest(session: Session, code: str, domain: str) -> merge.Suggest | None:
    """The memory's suggestions for one catalog (not the page chrome's, nor a pseudo-locale's);
    the memory is read only when a first entry asks."""
    if domain == chrome.DOMAIN or is_pseudo(code):
        return None
    return lambda entry: session.memory(code).suggest(entry, domain)


def pseudo(session: Session, code: str) -> list[str]:
    """Write complete pseudo-translated catalogs for ``code`` (e.g. en-XA) from the templates,
    so layout problems and untranslatable text show before real translations arrive."""
    config = session.config
    lang = language(code)
    if not is_pseudo(code):
        raise PipelineError(f"'{code}' is a real language: pseudo writes pseudo-locales only "
                            f"({', '.join(sorted(c.replace('_', '-') for c in PSEUDO))}), "
                            "never over a translator's catalogs", code="not-pseudo")
    with project_lock(config.root, [config.locales_root]):
        pots = templates(config)
        _write_templates(config, pots)
        written = []
        for domain, pot in pots.items():
            _refuse_real_work(config, code, domain)
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


def _refuse_real_work(config: Config, code: str, domain: str) -> None:
    """A pseudo-locale's existing catalog is replaced only if it holds pseudo-translations."""
    po = load_catalog(config, code, domain)
    for entry in po or []:
        if entry.msgstr and not entry.obsolete and entry.msgstr != pseudolocalize(entry.msgid):
            raise PipelineError(f"this catalog holds a translation that pseudo did not write "
                                f"({entry.msgid[:40]!r}); move it away to regenerate it",
                                path=relative(config, catalog_path(config, code, domain)),
                                line=entry.linenum, code="not-pseudo")


def compile_catalogs(session: Session) -> list[str]:
    """Write a ``.mo`` beside every configured locale's ``.po`` (fuzzy entries left out)."""
    with project_lock(session.config.root, [session.config.locales_root]):
        return _compile(session.config)


def _compile(config: Config) -> list[str]:
    written = []
    for code in config.locales:
        folder = os.path.join(config.locales_root, code, "LC_MESSAGES")
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(".po"):
                po = load_catalog(config, code, name[:-3])
                if po is None:  # a dangling symlink
                    continue
                path = os.path.join(folder, name[:-3] + ".mo")
                write_atomic(path, po.to_binary())
                written.append(relative(config, path))
    return written
