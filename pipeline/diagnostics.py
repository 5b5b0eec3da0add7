"""The project's one error type: a problem with a position, caught once at the CLI edge."""

from __future__ import annotations


class PipelineError(Exception):
    """Unusable input or a failed operation, with the file and line it concerns.

    ``path`` and ``line`` are data, not text inside the message, so a caller can
    point an editor at them; ``code`` is a short stable name a user can search for.
    The library raises it without a path when it parses text it was given
    directly; the layer that read the file fills the path in with :meth:`at`.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 code: str = "error") -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.code = code

    def at(self, path: str, line_offset: int = 0) -> PipelineError:
        """The same error located in ``path`` (line shifted by ``line_offset``)."""
        line = None if self.line is None else self.line + line_offset
        return PipelineError(self.message, path=path, line=line, code=self.code)

    def __str__(self) -> str:
        where = self.path or "<text>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: error: {self.code}: {self.message}"
