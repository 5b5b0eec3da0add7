"""``pipeline build``: pages for every document × language, incremental and in parallel.

A document is the unit of work: its source is parsed once, each locale's
catalog of it loaded once, and all its language versions are decided,
localized and rendered together (a page's language switcher depends on which
of its siblings are published).  Documents go to a process pool.

A manifest (``output/.manifest.json``) records, per input file, its size,
modification time and content hash, and per document the hash of everything
its pages depend on (pipeline version, configuration, templates, chrome
catalogs, source, catalogs) with the outcome of the last build.  A document
whose hash did not change is not even parsed: its pages stay as they are and
its recorded diagnostics are reported again.  A document new to the manifest is
hashed by its worker.  The index pages and the sitemap are rendered (in the
pool) only when what they show changed: which pages are published, with which
titles and descriptions.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field

from pipeline.site import chrome
from pipeline.diagnostics import ERROR, Diagnostic, PipelineError
from pipeline.project.config import Config
from pipeline.project.files import remove, write_atomic, write_if_changed
from pipeline.languages import Language, language
from pipeline.project.layout import catalog_path, glossary_path, documents, read_document, relative, source_path
from pipeline.project.lock import project_lock
from pipeline.site.render import choice, front_matter, index_html, page_html, root_html, sitemap_xml
from pipeline.session import Session, pipeline_version
from pipeline.site.model import Site
from pipeline.checks.quality import SourceFindings
from pipeline.commands.check import Run, localize_page

MANIFEST = ".manifest.json"
PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # pipeline/: code and templates
TEMPLATES = os.path.join(PACKAGE, "site", "templates")
FORMAT = 2
Progress = Callable[[int, int], None]


@dataclass
class PageState:
    """One document in one language after a build (fresh or recorded in the manifest)."""

    doc: str
    language: Language
    published: bool
    diagnostics: list[Diagnostic] = field(default_factory=list)
    title: str = ""
    description: str = ""
    unusable: bool = False  # an input of this page could not be read


@dataclass
class DocResult:
    doc: str
    key: str
    pages: list[PageState]
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    files: dict[str, list] = field(default_factory=dict)  # input hashes made by the worker


@dataclass(frozen=True)
class Missing:
    """A page a build did not publish, and why."""

    errors: list[Diagnostic]
    unusable: bool  # an input could not be read (else the checks withheld it)


@dataclass
class Outcome(Run):
    """What ``build`` did; ``pages`` (:class:`PageState`) excludes the source language."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)
    # The HTML pages this build did not publish (the source language's included, and the index
    # of a language with no page left), under output/, each with the errors that withheld it:
    # what `pipeline serve` shows in their place.
    missing: dict[str, Missing] = field(default_factory=dict)


def build(session: Session, *, force: bool = False, progress: Progress | None = None,
          html: bool = True) -> Outcome:
    """Bring ``output/`` up to date with the sources and catalogs.

    ``html=False`` writes the localized Markdown only (for a static-site generator of
    the publisher's own, which reads the source language from ``source/``), after the
    same checks; HTML pages, the site around them and source-language copies are then
    removed rather than left stale.
    """
    with project_lock(session.config.root, [session.config.output]):
        return _build(session, force, progress, html)


def _build(session: Session, force: bool, progress: Progress | None, html: bool) -> Outcome:
    config = session.config
    for folder in (config.source_language, *config.locales, "assets", ""):
        session.output_path(folder, "index.html")  # refuse an unsafe output/ first
    previous = _load_manifest(config)  # with --force, only to remove what is no longer published
    manifest = {} if force else previous
    hashes = _FileHashes(manifest.get("files", {}))
    settings = _settings_key(config, hashes, html)
    docs = documents(config)
    recorded = manifest.get("docs", {})
    # A document built before is rebuilt if its key changed (cheap: the manifest's hashes
    # are reused while size and mtime match); a new one is built anyway, and its worker
    # hashes its inputs.
    keys = {doc: _doc_key(config, doc, settings, hashes) for doc in docs if doc in recorded}
    todo = [doc for doc in docs if doc not in keys or recorded[doc].get("key") != keys[doc]
            or not _outputs_exist(config, recorded[doc], html)]
    outcome = Outcome(rebuilt=todo)
    results = {doc: _from_manifest(doc, recorded[doc]) for doc in docs if doc not in todo}
    source = language(config.source_language)
    with session.workers(len(todo)):
        for result in _run(session, todo, keys, settings, progress, html):
            results[result.doc] = result
            hashes.known.update(result.files)
            outcome.written += result.written
            outcome.removed += result.removed
        outcome.removed += _remove_stale(session, previous.get("docs", {}), results)
        for doc in docs:
            outcome.pages += [p for p in results[doc].pages if p.language != source]
        outcome.missing = _missing([results[doc] for doc in docs])
        site_key = _site_key(settings, [results[doc] for doc in docs])
        if not html:
            outcome.removed += _remove_site(session)
        elif site_key != manifest.get("site") or outcome.removed or not _site_exists(session):
            _write_site(session, outcome, [results[doc] for doc in docs], source)
        elif not config.base_url:
            outcome.notes.append(_no_base_url(config))
    _save_manifest(config, hashes.known, results, site_key)
    return outcome


# --- the work on one document -----------------------------------------------------------------


def _run(session: Session, docs: list[str], keys: dict[str, str], settings: str,
         progress: Progress | None, html: bool) -> Iterator[DocResult]:
    total = len(docs)
    # Small chunks: the last one of a big build must not keep one worker busy alone
    # while the others are idle (32 documents x 10 locales took 1.6 s).
    done_in_order = session.map(publish_document, docs, [keys.get(doc) for doc in docs],
                                [settings] * total, [html] * total,
                                chunksize=max(1, min(4, total // (session.jobs * 8))))
    for done, result in enumerate(done_in_order, 1):
        yield result
        if progress:
            progress(done, total)


def publish_document(session: Session, doc: str, key: str | None, settings: str,
                     html: bool = True) -> DocResult:
    """Decide, localize, render and write every language version of one document.

    ``key`` None: the document is new to the manifest, and its inputs are hashed here
    (in a worker process, in parallel with the others)."""
    config = session.config
    files: dict[str, list] = {}
    if key is None:
        hashes = _FileHashes({})
        key, files = _doc_key(config, doc, settings, hashes), hashes.known
    source_lang = language(config.source_language)
    try:
        parsed = read_document(config, doc)
    except PipelineError as error:  # this document only: the rest of the site is built
        return _unreadable(session, doc, key, files, error)
    states = [PageState(doc, source_lang, True)]
    site = Site(config.base_url)
    site.add(doc, source_lang, parsed.text, None, parsed.parsed)
    findings = SourceFindings(parsed)  # what the checks read of the source, for every locale
    for code in config.locales:
        localized = localize_page(session, doc, parsed, language(code), findings)
        states.append(PageState(doc, localized.language, localized.published,
                                list(localized.report.diagnostics), unusable=localized.unusable))
        if localized.published:
            site.add(doc, localized.language, localized.markdown, localized.report, localized.parsed)
    result = DocResult(doc, key, states, files=files)
    for version in site.versions():
        if not html and version.language == source_lang:
            continue  # Markdown only: the source language's Markdown is source/ itself
        _write(session, result, version.language.code, f"{doc}.md", version.markdown)
        if not html:
            continue
        meta = front_matter(version.parsed)
        state = next(s for s in states if s.language == version.language)
        state.title, state.description = str(meta.get("title") or doc), str(meta.get("description") or "")
        page = site.page(version, source_lang)
        _write(session, result, version.language.code, f"{doc}.html",
               page_html(page, session.chrome(version.language.code)))
    for state in states:
        result.removed += _remove_outputs(session, state.language.code,
                                          _unwanted(doc, state, html, source_lang))
    return result


def _missing(results: list[DocResult]) -> dict[str, Missing]:
    """The pages of ``results`` not published, and the indexes of languages left with none
    (by path under output/), with why."""
    missing: dict[str, Missing] = {}
    indexes: dict[str, Missing | None] = {}  # None: the language has a page
    for result in results:
        for state in result.pages:
            code = state.language.code
            if state.published:
                indexes[code] = None
                continue
            page = Missing([d for d in state.diagnostics if d.severity == ERROR], state.unusable)
            missing[f"{code}/{result.doc}.html"] = page
            index = indexes.get(code, Missing([], False))
            if index is not None:
                indexes[code] = Missing(list(dict.fromkeys([*index.errors, *page.errors])),
                                        index.unusable or page.unusable)
    missing.update({f"{code}/index.html": index for code, index in indexes.items() if index})
    return missing


def _unreadable(session: Session, doc: str, key: str, files: dict, error: PipelineError) -> DocResult:
    """A source that cannot be read: none of its pages is published (earlier ones removed)."""
    config = session.config
    states = [PageState(doc, language(code), False, [error.diagnostic], unusable=True)
              for code in (config.source_language, *config.locales)]
    result = DocResult(doc, key, states, files=files)
    for state in states:
        result.removed += _remove_outputs(session, state.language.code, [f"{doc}.md", f"{doc}.html"])
    return result


def _unwanted(doc: str, state: PageState, html: bool, source: Language) -> list[str]:
    """The files of ``state``'s page this build must not leave in output/: a withheld
    page's, and with Markdown only, HTML pages and the source language's copy."""
    if not state.published or (not html and state.language == source):
        return [f"{doc}.md", f"{doc}.html"]
    return [] if html else [f"{doc}.html"]


def _write(session: Session, result: DocResult, code: str, name: str, text: str) -> None:
    written = _write_output(session, code, name, text)
    if written:
        result.written.append(written)


def _write_output(session: Session, code: str, name: str, text: str) -> str | None:
    """Write ``output/<code>/<name>`` unless it already holds ``text``; its path if written."""
    path = session.output_path(code, name)
    if write_if_changed(path, text, durable=False):  # generated: regenerable, no fsync
        return relative(session.config, path)
    return None


def _remove_outputs(session: Session, code: str, names: list[str]) -> list[str]:
    """Delete those of ``output/<code>/<names>`` that exist; their paths."""
    removed = []
    for name in names:
        path = session.output_path(code, name)
        if remove(path):
            removed.append(relative(session.config, path))
    return removed


# --- the site around the pages ----------------------------------------------------------------


def _write_site(session: Session, outcome: Outcome, results: list[DocResult],
                source: Language) -> None:
    """Index pages, the root page, the sitemap and the stylesheet, rendered in the pool."""
    config = session.config
    site = Site(config.base_url, order=(config.source_language, *config.locales))
    for result in results:
        for state in result.pages:
            if state.published:
                site.add(result.doc, state.language, "", None, None, state.title, state.description)
    pages: list[tuple[str, str, Callable[..., str], tuple]] = [
        (lang.code, "index.html", _index_page, (lang, articles, site.language_links(lang)))
        for lang, articles in site.indexes()]
    pages.append(("", "index.html", _root_page, (source, site.language_links(None),
                                                 site.negotiation())))
    if config.base_url:
        pages.append(("", "sitemap.xml", _sitemap, (site.sitemap(),)))
    else:
        outcome.notes.append(_no_base_url(config))
    pages.append(("assets", "site.css", _stylesheet, ()))
    written = session.map(_write_site_page, *zip(*pages))
    outcome.written += [path for path in written if path]
    indexed = {code for code, name, *_rest in pages if name == "index.html"}
    for code in (config.source_language, *config.locales):  # a language with no page left
        if code not in indexed:  # must not keep an index that links withheld pages
            outcome.removed += _remove_outputs(session, code, ["index.html"])


def _write_site_page(session: Session, code: str, name: str, make: Callable[..., str],
                     args: tuple) -> str | None:
    """Render one page of the site and write it if it changed; its path if written."""
    return _write_output(session, code, name, make(session, *args))


def _index_page(session: Session, lang: Language, articles: list[dict], links: list) -> str:
    return index_html(lang, articles, links, session.chrome(lang.code))


def _root_page(session: Session, source: Language, links: list, negotiation: dict) -> str:
    """The front page: each language offered in its own words (its own chrome's)."""
    choices = [choice(link, session.chrome(link.language.code)) for link in links]
    return root_html(source, choices, negotiation, session.chrome(source.code))


def _sitemap(_session: Session, entries: list[dict]) -> str:
    return sitemap_xml(entries)


def _stylesheet(_session: Session) -> str:
    with open(os.path.join(TEMPLATES, "site.css"), encoding="utf-8") as css:
        return css.read()


def _no_base_url(config: Config) -> Diagnostic:
    return Diagnostic(relative(config, config.path("pyproject.toml")), None, "warning",
                      "no-base-url", "set base-url in [tool.pipeline] to write sitemap.xml and "
                      "absolute hreflang links")


def _remove_site(session: Session) -> list[str]:
    """The pages around the articles, when only Markdown is built (else they would be stale)."""
    config = session.config
    removed = _remove_outputs(session, "", ["index.html", "sitemap.xml"])
    removed += _remove_outputs(session, "assets", ["site.css"])
    for code in (config.source_language, *config.locales):
        removed += _remove_outputs(session, code, ["index.html"])
    for folder in ("assets", config.source_language):
        try:
            os.rmdir(os.path.join(config.output, folder))
        except OSError:
            pass  # not there, or not empty: something of the publisher's own
    return removed


def _site_exists(session: Session) -> bool:
    """The pages around the articles are all there (else they are written again)."""
    return all(os.path.exists(session.output_path(folder, name)) for folder, name in
               (("", "index.html"), ("assets", "site.css"),
                (session.config.source_language, "index.html")))


def _remove_stale(session: Session, recorded: dict, results: dict[str, DocResult]) -> list[str]:
    """Pages of documents or languages that are gone since the last build."""
    removed = []
    for doc, entry in recorded.items():
        current = {p.language.code for p in results[doc].pages} if doc in results else set()
        for page in entry.get("pages", []):
            if page["lang"] not in current:
                removed += _remove_outputs(session, page["lang"], [f"{doc}.md", f"{doc}.html"])
    return removed


# --- the manifest -----------------------------------------------------------------------------


class _FileHashes:
    """Content hashes of input files, reusing the manifest's when size and mtime match."""

    def __init__(self, previous: dict) -> None:
        self.previous = previous
        self.known: dict[str, list] = {}

    def __call__(self, path: str) -> str:
        if path in self.known:
            return self.known[path][2]
        try:
            info = os.stat(path)
        except FileNotFoundError:
            return "missing"
        old = self.previous.get(path)
        if old and old[0] == info.st_mtime_ns and old[1] == info.st_size:
            digest = old[2]
        else:
            with open(path, "rb") as handle:
                digest = hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
        self.known[path] = [info.st_mtime_ns, info.st_size, digest]
        return digest


def _settings_key(config: Config, hashes: _FileHashes, html: bool) -> str:
    """What every page depends on: code, configuration, templates, chrome catalogs,
    glossaries, and whether HTML is built."""
    parts = [str(FORMAT), pipeline_version(), repr(sorted(asdict(config).items())), str(html)]
    for folder, _subfolders, names in sorted(os.walk(PACKAGE)):
        parts += [hashes(os.path.join(folder, name)) for name in sorted(names)
                  if name.endswith((".py", ".html", ".css", ".xml"))]
    parts += [hashes(catalog_path(config, code, chrome.DOMAIN)) for code in config.locales]
    parts += [hashes(glossary_path(config, code)) for code in config.locales]  # it can withhold pages
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def _site_key(settings: str, results: list[DocResult]) -> str:
    """What the index pages and the sitemap show: which pages are published, with their
    titles and descriptions (an edit inside an article does not change them)."""
    parts = [settings] + [f"{r.doc}\0{p.language.code}\0{p.published}\0{p.title}\0{p.description}"
                          for r in results for p in r.pages]
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def _doc_key(config: Config, doc: str, settings: str, hashes: _FileHashes) -> str:
    parts = [settings, hashes(source_path(config, doc))]
    parts += [hashes(catalog_path(config, code, doc)) for code in config.locales]
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def _outputs_exist(config: Config, entry: dict, html: bool) -> bool:
    names = (f"{entry['doc']}.md", f"{entry['doc']}.html") if html else (f"{entry['doc']}.md",)
    return all(os.path.exists(os.path.join(config.output, p["lang"], name))  # a check: no realpath
               for p in entry.get("pages", []) if p["published"]
               and (html or p["lang"] != config.source_language) for name in names)


def _from_manifest(doc: str, entry: dict) -> DocResult:
    pages = [PageState(doc, language(p["lang"]), p["published"],
                       [Diagnostic(*d) for d in p["diagnostics"]], p["title"], p["description"],
                       p.get("unusable", False))
             for p in entry["pages"]]
    return DocResult(doc, entry["key"], pages)


def _manifest_path(config: Config) -> str:
    return os.path.join(config.output, MANIFEST)


def _load_manifest(config: Config) -> dict:
    try:
        with open(_manifest_path(config), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("format") == FORMAT else {}


def _save_manifest(config: Config, files: dict, results: dict[str, DocResult], site: str) -> None:
    docs = {doc: {"doc": doc, "key": result.key, "pages": [
        {"lang": p.language.code, "published": p.published, "title": p.title,
         "description": p.description, "unusable": p.unusable,
         "diagnostics": [[d.path, d.line, d.severity, d.code, d.message] for d in p.diagnostics]}
        for p in result.pages]} for doc, result in sorted(results.items())}
    text = json.dumps({"format": FORMAT, "site": site, "files": files, "docs": docs}, ensure_ascii=False)
    write_atomic(_manifest_path(config), text)
