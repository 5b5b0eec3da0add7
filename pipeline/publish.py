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
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import metadata

from . import build as project
from . import chrome
from .checks import Diagnostic
from .config import Config
from .files import remove, write_atomic, write_if_changed
from .languages import Language, language
from .lock import project_lock
from .render import front_matter, index_html, page_html, root_html, sitemap_xml
from .site import Site

MANIFEST = ".manifest.json"
FORMAT = 1
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


@dataclass
class DocResult:
    doc: str
    key: str
    pages: list[PageState]
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    files: dict[str, list] = field(default_factory=dict)  # input hashes made by the worker


@dataclass
class Outcome(project.Run):
    """What ``build`` did; ``pages`` (:class:`PageState`) excludes the source language."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)


def build(config: Config, *, force: bool = False, jobs: int | None = None,
          progress: Progress | None = None, html: bool = True) -> Outcome:
    """Bring ``output/`` up to date with the sources and catalogs.

    ``html=False`` writes the localized Markdown only (for a static-site generator of
    the publisher's own, which reads the source language from ``source/``), after the
    same checks; HTML pages, the site around them and source-language copies are then
    removed rather than left stale.
    """
    with project_lock(config.root):
        return _build(config, force, jobs or os.cpu_count() or 1, progress, html)


def _build(config: Config, force: bool, jobs: int, progress: Progress | None, html: bool) -> Outcome:
    project.forget_output_folders()
    for folder in (config.source_language, *config.locales, "assets", ""):
        project.output_path(config, folder, "index.html")  # refuse an unsafe output/ first
    previous = _load_manifest(config)  # with --force, only to remove what is no longer published
    manifest = {} if force else previous
    hashes = _FileHashes(manifest.get("files", {}))
    settings = _settings_key(config, hashes, html)
    docs = project.documents(config)
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
    with _workers(jobs, len(todo)) as pool:
        for result in _run(pool, jobs, config, todo, keys, settings, progress, html):
            results[result.doc] = result
            hashes.known.update(result.files)
            outcome.written += result.written
            outcome.removed += result.removed
        outcome.removed += _remove_stale(config, previous.get("docs", {}), results)
        for doc in docs:
            outcome.pages += [p for p in results[doc].pages if p.language != source]
        site_key = _site_key(settings, [results[doc] for doc in docs])
        if not html:
            outcome.removed += _remove_site(config)
        elif site_key != manifest.get("site") or outcome.removed or not _site_exists(config):
            _write_site(pool, config, outcome, [results[doc] for doc in docs], source)
        elif not config.base_url:
            outcome.notes.append(_no_base_url(config))
    _save_manifest(config, hashes.known, results, site_key)
    return outcome


# --- the work on one document -----------------------------------------------------------------


@contextmanager
def _workers(jobs: int, tasks: int) -> Iterator[ProcessPoolExecutor | None]:
    """A process pool when there is work enough to share, else None (all in this process)."""
    if jobs <= 1 or tasks < 4:
        yield None
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield pool


def _run(pool: ProcessPoolExecutor | None, jobs: int, config: Config, docs: list[str],
         keys: dict[str, str], settings: str, progress: Progress | None, html: bool):
    total = len(docs)
    tasks = ([config] * total, docs, [keys.get(doc) for doc in docs], [settings] * total, [html] * total)
    if pool is None:
        done_in_order = map(publish_document, *tasks)
    else:
        # Small chunks: the last one of a big build must not keep one worker busy alone
        # while the others are idle (32 documents x 10 locales took 1.6 s).
        done_in_order = pool.map(publish_document, *tasks, chunksize=max(1, min(4, total // (jobs * 8))))
    for done, result in enumerate(done_in_order, 1):
        yield result
        if progress:
            progress(done, total)


def publish_document(config: Config, doc: str, key: str | None, settings: str,
                     html: bool = True) -> DocResult:
    """Decide, localize, render and write every language version of one document.

    ``key`` None: the document is new to the manifest, and its inputs are hashed here
    (in a worker process, in parallel with the others)."""
    files: dict[str, list] = {}
    if key is None:
        hashes = _FileHashes({})
        key, files = _doc_key(config, doc, settings, hashes), hashes.known
    source_lang = language(config.source_language)
    parsed = project.read_document(config, doc)
    states = [PageState(doc, source_lang, True)]
    site = Site(config.base_url)
    site.add(doc, source_lang, parsed.text, None, parsed.parsed)
    for code in config.locales:
        localized = project.localize_page(config, doc, parsed, language(code))
        states.append(PageState(doc, localized.language, localized.published,
                                list(localized.report.diagnostics)))
        if localized.published:
            site.add(doc, localized.language, localized.markdown, localized.report, localized.parsed)
    result = DocResult(doc, key, states, files=files)
    for version in site.versions():
        if not html and version.language == source_lang:
            continue  # Markdown only: the source language's Markdown is source/ itself
        _write(config, result, version.language.code, f"{doc}.md", version.markdown)
        if not html:
            continue
        meta = front_matter(version.parsed)
        state = next(s for s in states if s.language == version.language)
        state.title, state.description = str(meta.get("title") or doc), str(meta.get("description") or "")
        page = site.page(version, source_lang)
        _write(config, result, version.language.code, f"{doc}.html",
               page_html(page, _chrome(config, version.language.code)))
    for state in states:
        result.removed += _remove_outputs(config, state.language.code,
                                          _unwanted(doc, state, html, source_lang))
    return result


def _unwanted(doc: str, state: PageState, html: bool, source: Language) -> list[str]:
    """The files of ``state``'s page this build must not leave in output/: a withheld
    page's, and with Markdown only, HTML pages and the source language's copy."""
    if not state.published or (not html and state.language == source):
        return [f"{doc}.md", f"{doc}.html"]
    return [] if html else [f"{doc}.html"]


@lru_cache(maxsize=None)
def _chrome(config: Config, code: str) -> chrome.Chrome:
    """One language's page chrome, loaded once per process."""
    if code == config.source_language:
        return chrome.Chrome()
    return chrome.chrome(project.load_catalog(config, code, chrome.DOMAIN))


def _write(config: Config, result: DocResult, code: str, name: str, text: str) -> None:
    written = _write_output(config, code, name, text)
    if written:
        result.written.append(written)


def _write_output(config: Config, code: str, name: str, text: str) -> str | None:
    """Write ``output/<code>/<name>`` unless it already holds ``text``; its path if written."""
    path = project.output_path(config, code, name)
    if write_if_changed(path, text, durable=False):  # generated: regenerable, no fsync
        return project.relative(config, path)
    return None


def _remove_outputs(config: Config, code: str, names: list[str]) -> list[str]:
    """Delete those of ``output/<code>/<names>`` that exist; their paths."""
    removed = []
    for name in names:
        path = project.output_path(config, code, name)
        if remove(path):
            removed.append(project.relative(config, path))
    return removed


# --- the site around the pages ----------------------------------------------------------------


def _write_site(pool: ProcessPoolExecutor | None, config: Config, outcome: Outcome,
                results: list[DocResult], source: Language) -> None:
    """Index pages, the root page, the sitemap and the stylesheet, rendered in the pool."""
    site = Site(config.base_url)
    for result in results:
        for state in result.pages:
            if state.published:
                site.add(result.doc, state.language, "", None, None, state.title, state.description)
    pages: list[tuple[str, str, Callable[..., str], tuple]] = [
        (lang.code, "index.html", _index_page, (lang, articles, site.language_links(lang)))
        for lang, articles in site.indexes()]
    pages.append(("", "index.html", _root_page, (source, site.language_links(None))))
    if config.base_url:
        pages.append(("", "sitemap.xml", _sitemap, (site.sitemap(),)))
    else:
        outcome.notes.append(_no_base_url(config))
    pages.append(("assets", "site.css", _stylesheet, ()))
    tasks = ([config] * len(pages), *zip(*pages))
    written = (pool.map if pool is not None else map)(_write_site_page, *tasks)
    outcome.written += [path for path in written if path]


def _write_site_page(config: Config, code: str, name: str, make: Callable[..., str],
                     args: tuple) -> str | None:
    """Render one page of the site and write it if it changed; its path if written."""
    return _write_output(config, code, name, make(config, *args))


def _index_page(config: Config, lang: Language, articles: list[dict], links: list) -> str:
    return index_html(lang, articles, links, _chrome(config, lang.code))


def _root_page(_config: Config, source: Language, links: list) -> str:
    return root_html(source, links)


def _sitemap(_config: Config, entries: list[dict]) -> str:
    return sitemap_xml(entries)


def _stylesheet(_config: Config) -> str:
    with open(os.path.join(os.path.dirname(__file__), "templates", "site.css"), encoding="utf-8") as css:
        return css.read()


def _no_base_url(config: Config) -> Diagnostic:
    return Diagnostic(project.relative(config, config.path("pyproject.toml")), None, "warning",
                      "no-base-url", "set base-url in [tool.pipeline] to write sitemap.xml and "
                      "absolute hreflang links")


def _remove_site(config: Config) -> list[str]:
    """The pages around the articles, when only Markdown is built (else they would be stale)."""
    removed = _remove_outputs(config, "", ["index.html", "sitemap.xml"])
    removed += _remove_outputs(config, "assets", ["site.css"])
    for code in (config.source_language, *config.locales):
        removed += _remove_outputs(config, code, ["index.html"])
    for folder in ("assets", config.source_language):
        try:
            os.rmdir(os.path.join(config.output, folder))
        except OSError:
            pass  # not there, or not empty: something of the publisher's own
    return removed


def _site_exists(config: Config) -> bool:
    """The pages around the articles are all there (else they are written again)."""
    return all(os.path.exists(project.output_path(config, folder, name)) for folder, name in
               (("", "index.html"), ("assets", "site.css"), (config.source_language, "index.html")))


def _remove_stale(config: Config, recorded: dict, results: dict[str, DocResult]) -> list[str]:
    """Pages of documents or languages that are gone since the last build."""
    removed = []
    for doc, entry in recorded.items():
        current = {p.language.code for p in results[doc].pages} if doc in results else set()
        for page in entry.get("pages", []):
            if page["lang"] not in current:
                removed += _remove_outputs(config, page["lang"], [f"{doc}.md", f"{doc}.html"])
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


def _pipeline_version() -> str:
    try:
        return metadata.version("health-pipeline")
    except metadata.PackageNotFoundError:
        return "unknown"


def _settings_key(config: Config, hashes: _FileHashes, html: bool) -> str:
    """What every page depends on: code, configuration, templates, chrome catalogs, and
    whether HTML is built."""
    parts = [str(FORMAT), _pipeline_version(), repr(sorted(asdict(config).items())), str(html)]
    here = os.path.dirname(__file__)
    for folder in (here, os.path.join(here, "templates")):
        parts += [hashes(os.path.join(folder, name)) for name in sorted(os.listdir(folder))
                  if name.endswith((".py", ".html", ".css", ".xml"))]
    parts += [hashes(project.catalog_path(config, code, chrome.DOMAIN)) for code in config.locales]
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def _site_key(settings: str, results: list[DocResult]) -> str:
    """What the index pages and the sitemap show: which pages are published, with their
    titles and descriptions (an edit inside an article does not change them)."""
    parts = [settings] + [f"{r.doc}\0{p.language.code}\0{p.published}\0{p.title}\0{p.description}"
                          for r in results for p in r.pages]
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def _doc_key(config: Config, doc: str, settings: str, hashes: _FileHashes) -> str:
    parts = [settings, hashes(project.source_path(config, doc))]
    parts += [hashes(project.catalog_path(config, code, doc)) for code in config.locales]
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def _outputs_exist(config: Config, entry: dict, html: bool) -> bool:
    names = (f"{entry['doc']}.md", f"{entry['doc']}.html") if html else (f"{entry['doc']}.md",)
    return all(os.path.exists(os.path.join(config.output, p["lang"], name))  # a check: no realpath
               for p in entry.get("pages", []) if p["published"]
               and (html or p["lang"] != config.source_language) for name in names)


def _from_manifest(doc: str, entry: dict) -> DocResult:
    pages = [PageState(doc, language(p["lang"]), p["published"],
                       [Diagnostic(*d) for d in p["diagnostics"]], p["title"], p["description"])
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
         "description": p.description,
         "diagnostics": [[d.path, d.line, d.severity, d.code, d.message] for d in p.diagnostics]}
        for p in result.pages]} for doc, result in sorted(results.items())}
    text = json.dumps({"format": FORMAT, "site": site, "files": files, "docs": docs}, ensure_ascii=False)
    write_atomic(_manifest_path(config), text)
