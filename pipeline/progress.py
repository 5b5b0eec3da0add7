"""Progress on long builds: a bar on a terminal, plain lines in CI logs, nothing when quiet."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator

import click


@contextlib.contextmanager
def progress_reporter(quiet: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A ``progress(done, total)`` callback suited to where the output goes."""
    if quiet:
        yield None
        return
    if sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = None

            def on_terminal(done: int, total: int) -> None:
                nonlocal task
                if task is None:
                    task = bar.add_task("building", total=total)
                bar.update(task, completed=done)

            yield on_terminal
        return
    last = [0.0]

    def in_log(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last[0] >= 5:  # a line every 5 s at most
            last[0] = now
            click.echo(f"built {done}/{total} documents", err=True)

    yield in_log
