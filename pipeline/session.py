"""One run of a command: the configuration, what is costly to load, and the worker pool.

A :class:`Session` is made per command run (``pipeline serve`` makes one per
rebuild) and owns every piece of state that outlives a single function call: the
page chrome (each language's checked translations in its Jinja2 environment), the
checks to run (the built-in ones and those installed as entry points), the output
folders already checked, and the process pool.  Nothing else in the package
keeps state across calls (the remaining caches are pure functions of their
arguments: parsers, Babel's locale data, text escapes, the language model, verdicts
on a disclaimer translation, the page templates compiled from their source), so a
long-running ``serve`` and the tests never see stale state.

A worker process receives a copy of the session once, when it starts, and keeps
its own loads for the rest of the run.
"""

from __future__ import annotations

import os
from importlib import metadata
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from itertools import repeat
from typing import Any, TypeVar

import polib

from pipeline.checks import chrome as chrome_checks
from pipeline.checks import disclaimers, quality, registry
from pipeline.languages import is_pseudo, language
from pipeline.site import chrome
from pipeline.project.config import Config
from pipeline.diagnostics import PipelineError
from pipeline.po import glossary, memory
from pipeline.project import memories
from pipeline.project.layout import catalog_path, load_catalog, load_glossary

T = TypeVar("T")

# Fewer tasks than this run in the calling process: starting workers costs more.
MIN_TASKS_FOR_POOL = 4


class Session:
    """The state one command run shares between its steps (and with its workers)."""

    def __init__(self, config: Config, jobs: int | None = None, advise: bool = False,
                 memories: tuple[str, ...] = ()) -> None:
        self.config = config
        self.jobs = jobs or os.cpu_count() or 1
        self.advise = advise  # also the checks only `pipeline check` runs (each segment's language)
        self.memories = memories  # external memories (TMX, compendium) given to `update`
        self._memory: dict[str, memory.Memory] = {}
        self._glossary: dict[str, glossary.Glossary | PipelineError | None] = {}
        self._chrome: dict[str, tuple[chrome.Chrome, chrome_checks.Review]] = {}
        self._chrome_template: polib.POFile | None = None
        self._safe_folders: set[str] = set()
        self._pool: ProcessPoolExecutor | None = None
        self._options: quality.Options | None = None

    def __getstate__(self) -> dict:
        """What a worker receives: the settings, none of the loads or the pool."""
        return {"config": self.config, "jobs": self.jobs, "advise": self.advise,
                "memories": self.memories}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["config"], state["jobs"], state["advise"],  # type: ignore[misc]
                      state["memories"])

    # --- what is loaded once per run ------------------------------------------------------

    def chrome(self, code: str) -> chrome.Chrome:
        """One language's page chrome (its checked translations in a Jinja2 environment),
        read and checked once per run."""
        return self._chrome_of(code)[0]

    def chrome_review(self, code: str) -> chrome_checks.Review:
        """What the checks said of a language's chrome translations (refused, withheld)."""
        return self._chrome_of(code)[1]

    def _chrome_of(self, code: str) -> tuple[chrome.Chrome, chrome_checks.Review]:
        found = self._chrome.get(code)
        if found is None:
            found = (chrome.chrome(None, [], None), chrome_checks.Review())
            if code != self.config.source_language:
                found = self._load_chrome(code)
            self._chrome[code] = found
        return found

    def _load_chrome(self, code: str) -> tuple[chrome.Chrome, chrome_checks.Review]:
        config = self.config
        if self._chrome_template is None:
            self._chrome_template = chrome.template()
        try:
            po = load_catalog(config, code, chrome.DOMAIN)
        except PipelineError as error:  # this language's pages only: the others are built
            review = chrome_checks.Review(diagnostics=[error.diagnostic],
                                          blocking=[error.diagnostic], unusable=True)
            return chrome.chrome(None, [], language(config.source_language)), review
        path = os.path.relpath(catalog_path(config, code, chrome.DOMAIN), config.root)
        review = chrome_checks.review(self._chrome_template, po, path,
                                      self.disclaimer_context(code), self.options)
        return chrome.chrome(po, review.accepted, language(config.source_language)), review

    def memory(self, code: str) -> memory.Memory:
        """``code``'s translation memory: the reviewed translations of its article catalogs as
        they are on disk when first asked (read once per run, and only if an entry needs it),
        and the external memories' units for the language."""
        found = self._memory.get(code)
        if found is None:
            found = memory.Memory(memories.project_units(self.config, code))
            found.add(self.external_units(code))
            self._memory[code] = found
        return found

    def glossary(self, code: str) -> glossary.Glossary | None:
        """``code``'s terminology base (``locales/<code>/glossary.po``), read once per run;
        None if it has none.  A glossary that cannot be read raises its PipelineError at
        every call, so that each of the language's pages reports it."""
        if code not in self._glossary:
            try:
                self._glossary[code] = load_glossary(self.config, code)
            except PipelineError as error:
                self._glossary[code] = error
        found = self._glossary[code]
        if isinstance(found, PipelineError):
            raise found
        return found

    def external_units(self, code: str) -> list[memory.Unit]:
        """The units the external memories hold for ``code`` (each file read when asked)."""
        config = self.config
        return [unit for path in self.memories
                for unit in memories.external_units(path, config.source_language, code,
                                                    os.path.relpath(path, config.root))]

    @property
    def options(self) -> quality.Options:
        """What the quality checks take from the configuration, and the checks to run (the
        built-in ones and those installed as entry points, loaded once per run)."""
        if self._options is None:
            checks = registry.with_entry_points(quality.BUILTIN)
            self._options = quality.Options(frozenset(self.config.keep_as_is), tuple(checks))
        return self._options

    def disclaimer_context(self, code: str) -> disclaimers.Context:
        """What the disclaimer checks know of a catalog in ``code``: the languages it could
        mistakenly be in (the source's, the configured ones), and whether it is a pseudo-locale."""
        config = self.config
        return disclaimers.Context(code, (config.source_language, *config.locales), is_pseudo(code))

    def output_path(self, code: str, name: str) -> str:
        """``output/<code>/<name>``, refusing any path that would land outside ``output/``
        (a ``..`` or a separator in a name, an absolute path, a symlinked folder pointing
        elsewhere).  Each folder is resolved once per run, not once per page (a dozen
        stat calls).  A symlink in place of the file itself is harmless: pages replace it."""
        config = self.config
        if name in ("", ".", "..") or "/" in name or os.sep in name:
            raise PipelineError(f"unsafe file name {name!r}",
                                path=os.path.relpath(config.output, config.root), code="unsafe-path")
        if code not in self._safe_folders:
            _check_folder(config.root, config.output, code)
            self._safe_folders.add(code)
        return os.path.join(config.output, code, name)

    # --- the worker pool -------------------------------------------------------------------

    @contextmanager
    def workers(self, tasks: int) -> Iterator[None]:
        """Within this block, :meth:`map` uses a process pool if there is work enough to share."""
        if self._pool is not None or self.jobs <= 1 or tasks < MIN_TASKS_FOR_POOL:
            yield
            return
        with ProcessPoolExecutor(max_workers=self.jobs, initializer=_start_worker,
                                 initargs=(self,)) as pool:
            self._pool = pool
            try:
                yield
            finally:
                self._pool = None

    def map(self, function: Callable[..., T], *arguments: Iterable[Any],
            chunksize: int = 1) -> Iterator[T]:
        """``function(session, *args)`` for each set of arguments, in order; in the pool's
        workers (each with its own copy of this session) when :meth:`workers` started one."""
        if self._pool is None:
            return map(lambda *args: function(self, *args), *arguments)
        return self._pool.map(_call_in_worker, repeat(function), *arguments, chunksize=chunksize)


def _check_folder(root: str, output: str, code: str) -> None:
    real_output = os.path.realpath(output)
    folder = os.path.join(output, code)
    if os.path.commonpath([real_output, os.path.realpath(folder)]) != real_output:
        raise PipelineError(f"refusing to write outside {os.path.relpath(output, root)}/: {code}/",
                            path=os.path.relpath(folder, root), code="unsafe-path")


_worker_session: Session | None = None


def _start_worker(session: Session) -> None:
    global _worker_session
    _worker_session = session


def _call_in_worker(function: Callable[..., T], *args: Any) -> T:
    assert _worker_session is not None, "started by Session.workers"
    return function(_worker_session, *args)


def pipeline_version() -> str:
    """The installed release: part of every page's key, and of an exported memory's header."""
    try:
        return metadata.version("health-pipeline")
    except metadata.PackageNotFoundError:
        return "unknown"
