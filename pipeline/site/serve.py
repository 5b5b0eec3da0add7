"""``pipeline serve``: build, serve ``output/`` on 127.0.0.1, rebuild when an input changes.

A translator saves a ``.po`` file and sees the page change on reload within a
second or two: watchfiles (inotify under the hood) reports the save, and the
build rewrites only the files whose content changed.  A rebuild that fails (a
broken catalog, source or front matter, a configuration error, a bug) never stops
the server: as documentation servers do, the pages it concerns are answered by an
error page showing the one-line diagnostics (which the terminal shows too), and
every other page is served from the last good build.
"""

from __future__ import annotations

import functools
import io
import os
import posixpath
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import watchfiles

from pipeline.commands.build import Outcome, build
from pipeline.diagnostics import PipelineError
from pipeline.session import Session
from pipeline.site.render import error_html

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")


HOSTS = frozenset({"127.0.0.1", "localhost"})


@dataclass(frozen=True)
class Failures:
    """What the last build could not publish: by page (its path under ``output/``), the
    lines saying why; ``everything``: the build itself failed, and every page says so."""

    pages: dict[str, list[str]] = field(default_factory=dict)
    withheld: frozenset[str] = frozenset()  # of ``pages``: withheld by the checks, inputs fine
    everything: list[str] = field(default_factory=list)

    def of(self, page: str) -> list[str]:
        """The lines to show in place of ``page`` (empty: serve the page as built)."""
        if self.everything and page.endswith(".html"):
            return self.everything
        return self.pages.get(page, [])

    @classmethod
    def of_outcome(cls, outcome: Outcome) -> Failures:
        pages = {path: [str(d) for d in why.errors] for path, why in outcome.missing.items()}
        return cls(pages, frozenset(p for p, why in outcome.missing.items() if not why.unusable))


class Preview:
    """What the server shows besides ``output/``: the failures of the last build.  Owned
    by :func:`serve`, replaced as a whole after every build, read by each request."""

    def __init__(self) -> None:
        self.failures = Failures()


class SiteHandler(SimpleHTTPRequestHandler):
    """The built site and nothing else: no folder listings, no file whose name starts with a
    dot (the manifest, temporary files), no request for another host (a DNS-rebinding page
    would name its own), and 400 for a malformed address."""

    def __init__(self, *args: object, preview: Preview | None = None, **kwargs: object) -> None:
        self.preview = preview or Preview()  # before the base class, which answers the request
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

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
        page = posixpath.normpath(path).lstrip("/")
        if path.endswith("/") or page in ("", "."):
            page = posixpath.join(page if page != "." else "", "index.html")
        failures = self.preview.failures
        lines = failures.of(page)
        if lines:
            return self._error_page(page, lines, withheld=page in failures.withheld)
        return super().send_head()

    def _error_page(self, page: str, lines: list[str], withheld: bool) -> io.BytesIO:
        """The page that stands in for ``page``: why it is not there (the build's lines)."""
        body = error_html(page, lines, withheld).encode("utf-8")
        self.send_response(404 if withheld else 500)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(body)

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
    preview = Preview()
    _build(start, report, preview)
    os.makedirs(config.output, exist_ok=True)
    handler = functools.partial(SiteHandler, directory=config.output, preview=preview)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    watched = [p for p in (config.source, config.locales_root, TEMPLATES, config.path("pyproject.toml"))
               if os.path.exists(p)]
    try:
        for _changes in watchfiles.watch(*watched, watch_filter=_relevant, stop_event=stop,
                                         debounce=200, step=50):
            _build(start, report, preview)
    finally:
        server.shutdown()
        server.server_close()


def _build(start: Callable[[], Session], report: Callable[[Outcome | PipelineError], None],
           preview: Preview) -> None:
    """One rebuild: its outcome (or its failure) reported, and shown by the server."""
    try:
        outcome = build(start())
    except PipelineError as error:  # a half-edited file: say so, keep serving the last good pages
        failure = error
    except OSError as error:  # a full disk, a permission denied
        failure = PipelineError(f"cannot write the file: {error.strerror or error}",
                                path=error.filename, code="os")
    except Exception as error:  # noqa: BLE001 - a bug must not stop the preview either
        failure = PipelineError(f"{type(error).__name__}: {error}", code="internal")
    else:
        preview.failures = Failures.of_outcome(outcome)
        report(outcome)
        return
    preview.failures = Failures(everything=[str(failure)])
    report(failure)
