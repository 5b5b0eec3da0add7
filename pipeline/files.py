"""Writing files so that a crash never leaves half of one: temp file in the same folder, then rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable

from .errors import PipelineError


def write_atomic(path: str, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, ``\\n`` line ends) in one rename."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


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


def write_if_changed(path: str, text: str,
                     same: Callable[[str, str], bool] = str.__eq__) -> bool:
    """Write ``text`` unless the file already holds the ``same`` content; True if written."""
    try:
        with open(path, encoding="utf-8") as handle:
            if same(handle.read(), text):
                return False
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(path, text)
    return True


def remove(path: str) -> bool:
    """Delete ``path`` if it exists; True if something was removed."""
    try:
        os.unlink(path)
        return True
    except FileNotFoundError:
        return False
