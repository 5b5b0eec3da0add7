"""``pipeline serve``: build, serve ``output/`` on 127.0.0.1, rebuild when an input changes.

A translator saves a ``.po`` file and sees the page change on reload within a
second or two: watchfiles (inotify under the hood) reports the save, and the
build rewrites only the files whose content changed.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import watchfiles

from pipeline.commands.build import Outcome, build
from pipeline.diagnostics import PipelineError
from pipeline.session import Session

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


def _relevant(change: watchfiles.Change, path: str) -> bool:
    """Sources, catalogs, templates and the configuration; not our own temp files or .mo."""
    name = os.path.basename(path)
    return not name.startswith(".") and name.endswith((".md", ".po", ".pot", ".html", ".css", ".xml", ".toml"))


def serve(start: Callable[[], Session], port: int,
          report: Callable[[Outcome | PipelineError], None], stop: threading.Event | None = None) -> None:
    """Serve until ``stop`` is set (or forever); ``report`` hears of every build.

    ``start`` makes a new session (configuration read again) for every rebuild, so that
    nothing loaded for one build is taken for the next."""
    config = start().config
    _build(start, report)
    os.makedirs(config.output, exist_ok=True)
    handler = functools.partial(_QuietHandler, directory=config.output)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    watched = [p for p in (config.source, config.locales_root, TEMPLATES, config.path("pyproject.toml"))
               if os.path.exists(p)]
    try:
        for _changes in watchfiles.watch(*watched, watch_filter=_relevant, stop_event=stop,
                                         debounce=200, step=50):
            _build(start, report)
    finally:
        server.shutdown()
        server.server_close()


def _build(start: Callable[[], Session], report: Callable[[Outcome | PipelineError], None]) -> None:
    try:
        report(build(start()))
    except PipelineError as error:  # a half-edited file: say so, keep serving the last good pages
        report(error)
