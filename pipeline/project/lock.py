"""One writer at a time per project: ``update``, ``build`` and friends take ``.pipeline.lock``.

The lock is :mod:`filelock`'s: an OS lock (``flock`` on POSIX, ``msvcrt`` on Windows)
that the system releases when the process ends, however it ends, so a killed build
never leaves a stale lock behind; from filelock 4 the file is opened with
``O_NOFOLLOW``, so a lock file committed as a symlink cannot make a run write
elsewhere.  A second run fails at once with a clear message instead of
interleaving its writes with the first one's.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator

import filelock

from pipeline.diagnostics import PipelineError
from pipeline.project.files import remove_stale_temps

NAME = ".pipeline.lock"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


@contextlib.contextmanager
def project_lock(root: str, sweep: Iterable[str] = ()) -> Iterator[None]:
    """Hold the project's lock; then remove the temporary files killed runs left in the
    folders ``sweep`` (the run holding the lock is the only writer)."""
    path = os.path.join(root, NAME)
    if os.path.islink(path):
        raise PipelineError("the lock file is a symbolic link; remove it and run again",
                            path=path, code="unsafe-path")
    lock = filelock.FileLock(path)
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        raise PipelineError(f"another pipeline command is writing this project ({_holder(path)}); "
                            "wait for it to finish and run again", path=path, code="locked") from None
    except OSError as error:
        raise PipelineError(f"cannot take the project lock: {error.strerror}", path=path,
                            code="locked") from None
    try:
        _write_holder(path)
        for folder in sweep:
            remove_stale_temps(folder)
        yield
    finally:
        lock.release()


def _write_holder(path: str) -> None:
    """Say who holds the lock, for the message a second run prints (where the system lets
    a second handle write a locked file: not on Windows, whose message is then vaguer)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC | _NOFOLLOW)
    except OSError:
        return
    try:
        os.write(fd, f"pid {os.getpid()}\n".encode())
    except OSError:
        pass
    finally:
        os.close(fd)


def _holder(path: str) -> str:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return "another process"
    try:
        return os.read(fd, 100).decode("utf-8", "replace").strip() or "another process"
    finally:
        os.close(fd)
