"""Writing files so that a crash never leaves half of one: temp file in the same folder, then rename."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable

from pipeline.diagnostics import PipelineError


class ChangedMeanwhile(PipelineError):
    """The file changed on disk after it was read (a translator saved it): merge again."""


def stamp(path: str) -> tuple[int, int] | None:
    """What identifies a file's version on disk: (mtime in ns, size), or None if absent."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return (info.st_mtime_ns, info.st_size)


def write_atomic(path: str, text: str | bytes, unchanged_since: object = ...,
                 durable: bool = True) -> None:
    """Replace ``path`` with ``text`` (UTF-8, ``\\n`` line ends) or bytes in one rename.

    With ``unchanged_since`` (a :func:`stamp`), refuse with :class:`ChangedMeanwhile`
    if the file is no longer that version just before the rename.  ``durable``
    flushes the data to disk first, so it survives a power cut too: catalogs hold
    translators' work; generated pages can skip it (a kill still leaves old or new).
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    mode = _mode(path)
    fd, temp = _create_temp(path)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if mode is not None:
                os.fchmod(fd, mode)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        if unchanged_since is not ... and stamp(path) != unchanged_since:
            raise ChangedMeanwhile("the file changed while it was being updated", path=path,
                                   code="changed-meanwhile")
        os.replace(temp, path)
    except BaseException as error:
        if os.path.exists(temp):
            os.unlink(temp)
        if isinstance(error, OSError):  # a full disk, a permission denied: say which file
            raise PipelineError(f"cannot write the file: {error.strerror or error}", path=path,
                                code="os") from None
        raise


_TEMP_NUMBERS = itertools.count()


def _create_temp(path: str) -> tuple[int, str]:
    """A new hidden file beside ``path`` (the same file system, so the rename is atomic),
    created with the usual 0666 & ~umask as a new ``path`` would be (mkstemp's 0600
    would hide published pages from a web server)."""
    folder, name = os.path.split(path)
    while True:
        temp = os.path.join(folder, f".{name}.{os.getpid()}-{next(_TEMP_NUMBERS)}.tmp")
        try:
            return os.open(temp, _CREATE, 0o666), temp
        except FileExistsError:  # left by a killed process that had the same number
            continue
        except FileNotFoundError:  # the folder is new (checked only then: thousands of pages share one)
            os.makedirs(folder or ".", exist_ok=True)


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)


def _mode(path: str) -> int | None:
    """An existing file's permissions, which its new version keeps; None if it is new."""
    try:
        return os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        return None


def read_text(path: str) -> str:
    """A UTF-8 text file; anything else is a PipelineError naming the file and line."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise PipelineError(f"cannot read: {error.strerror}", path=path, code="io") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PipelineError(f"not valid UTF-8 (byte 0x{data[error.start]:02x})", path=path,
                            line=line, code="encoding") from None


def write_if_changed(path: str, text: str, same: Callable[[str, str], bool] = str.__eq__,
                     unchanged_since: object = ..., durable: bool = True) -> bool:
    """Write ``text`` unless the file already holds the ``same`` content; True if written."""
    try:
        with open(path, encoding="utf-8") as handle:
            if same(handle.read(), text):
                return False
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(path, text, unchanged_since, durable)
    return True


def remove(path: str) -> bool:
    """Delete ``path`` if it exists; True if something was removed."""
    try:
        os.unlink(path)
        return True
    except FileNotFoundError:
        return False


_TEMP_NAME = re.compile(r"\.(?P<name>.+)\.(?P<pid>[0-9]+)-[0-9]+\.tmp")


def remove_stale_temps(top: str) -> list[str]:
    """Remove the temporary files that killed runs left under ``top`` (those of a live
    process, a worker of this run or another, are kept); returns what was removed."""
    removed = []
    for folder, _folders, names in os.walk(top):
        for name in names:
            match = _TEMP_NAME.fullmatch(name)
            if match and not _alive(int(match["pid"])) and remove(os.path.join(folder, name)):
                removed.append(os.path.join(folder, name))
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # Windows' os.kill(pid, 0) would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True
