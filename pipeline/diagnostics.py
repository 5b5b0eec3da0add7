"""What the pipeline tells its users: one :class:`Diagnostic` type, and its renderers.

A diagnostic prints like a compiler's, ``path:line: severity: code: message``
(:func:`as_text`), or as JSON for CI (:func:`as_json`), or as GitHub Actions
annotations (:func:`as_github`).  ``code`` is a short stable name a user can
search for and, for warnings, silence.  :class:`PipelineError` is the one
exception type: unusable input, carrying the error diagnostic it prints as.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    """An error blocks publishing (exit status 1 or 2); a warning is advice."""

    ERROR = "error"
    WARNING = "warning"


ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about a file (and line, when known)."""

    path: str | None
    line: int | None
    severity: Severity
    code: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "severity", Severity(self.severity))  # from JSON, a plain str

    def __str__(self) -> str:
        return as_text(self)


def as_text(diagnostic: Diagnostic) -> str:
    """``path:line: severity: code: message`` (``pipeline:`` when no file is concerned)."""
    where = diagnostic.path or "pipeline"
    if diagnostic.path and diagnostic.line:
        where = f"{where}:{diagnostic.line}"
    return f"{where}: {diagnostic.severity}: {diagnostic.code}: {diagnostic.message}"


def as_github(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command, shown as an annotation on the file and line."""
    def escape(text: str, extra: str = "") -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        for ch in extra:
            text = text.replace(ch, {":": "%3A", ",": "%2C"}[ch])
        return text
    where = f"file={escape(diagnostic.path or '', ':,')}"
    if diagnostic.line:
        where += f",line={diagnostic.line}"
    return f"::{diagnostic.severity} {where},title={escape(diagnostic.code, ':,')}::{escape(diagnostic.message)}"


def as_dict(diagnostic: Diagnostic) -> dict:
    return {**asdict(diagnostic), "severity": str(diagnostic.severity)}


def as_json(diagnostics: list[Diagnostic], pages: list[dict] | None = None) -> str:
    """``{"pages": [...], "diagnostics": [...]}``: each page's status, then every finding."""
    return json.dumps({"pages": pages or [], "diagnostics": [as_dict(d) for d in diagnostics]},
                      ensure_ascii=False, indent=2)


class PipelineError(Exception):
    """Unusable input or a failed operation, with the file and line it concerns.

    ``path`` and ``line`` are data, not text inside the message, so a caller can
    point an editor at them.  The library raises it without a path when it parses
    text it was given directly; the layer that read the file fills the path in with
    :meth:`at`.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 code: str = "error") -> None:
        super().__init__(message)
        self.diagnostic = Diagnostic(path, line, ERROR, code, message)

    @property
    def message(self) -> str:
        return self.diagnostic.message

    @property
    def path(self) -> str | None:
        return self.diagnostic.path

    @property
    def line(self) -> int | None:
        return self.diagnostic.line

    @property
    def code(self) -> str:
        return self.diagnostic.code

    def at(self, path: str, line_offset: int = 0) -> PipelineError:
        """The same error located in ``path`` (line shifted by ``line_offset``)."""
        line = None if self.line is None else self.line + line_offset
        return PipelineError(self.message, path=path, line=line, code=self.code)

    def __str__(self) -> str:
        return as_text(self.diagnostic)
