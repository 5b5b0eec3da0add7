"""One writer at a time per project: ``update``, ``build`` and friends take ``.pipeline.lock``.

An advisory ``flock`` on a file in the project root: the kernel releases it
when the process ends, however it ends, so a killed build never leaves a
stale lock behind.  A second run fails at once with a clear message instead
of interleaving its writes with the first one's.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator

from .errors import PipelineError

NAME = ".pipeline.lock"


@contextlib.contextmanager
def project_lock(root: str) -> Iterator[None]:
    path = os.path.join(root, NAME)
    handle = open(path, "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise PipelineError(f"another pipeline command is writing this project ({holder}); "
                                "wait for it to finish and run again", path=path, code="locked") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()
