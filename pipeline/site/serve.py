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
from urllib.parse import unquote, urlsplit

import watchfiles

from pipeline.commands.build import Outcome, build
from pipeline.diagnostics import PipelineError
from pipeline.session import Session

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")


HOSTS = frozenset({"127.0.0.1", "localhost"})


class SiteHandler(SimpleHTTPRequestHandler):
    """The built site and nothing else: no folder listings, no file whose name starts with a
    dot (the manifest, temporary files), no request for another host (a DNS-rebinding page
    would name its own), and 400 for a malformed address."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        host = (self.headers.get("Host") or "").strip().lower()
        host = host[1:].partition("]")[0] if host.startswith("[") else host.rpartition(":")[0] or host
        if host not in HOSTS:
            self.send_error(421, "this preview answers for 127.0.0.1 and localhost only")
            return None
        path = unquote(urlsplit(self.path).path)
        if "\0" in path or "\\" in path:
            self.send_error(400, "malformed address")
            return None
        if any(part.startswith(".") for part in path.split("/")):
            self.send_error(404)
            return None
        return super().send_head()

    def list_directory(self, path):  # type: ignore[no-untyped-def]  # noqa: ARG002
        self.send_error(404)
        return None


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
    handler = functools.partial(SiteHandler, directory=config.output)
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
