"""The per-translation checks, in order and by name, open to third-party checks.

A check is a small function ``check(msgid, msgstr, source, translation, options)``
returning problems as ``(severity, code, message)``; ``source``/``translation`` are what
the inline parse found in each (:class:`pipeline.checks.quality.Inline`).  Each check is
registered under a name a translator uses to silence its warnings on one entry
(``# no-<name>-check: why``); errors cannot be silenced.

The registry is ordered and named like markdown-it's ``Ruler`` (``push``, ``before``,
``after``).  Other packages add checks as Babel's ``babel.checkers`` do, through an entry
point of the group :data:`GROUP`, named after the check::

    [project.entry-points."health_pipeline.checks"]
    shouting = "my_checks:shouting"

The :class:`~pipeline.session.Session` loads them once per run (:func:`with_entry_points`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

from pipeline.diagnostics import PipelineError

GROUP = "health_pipeline.checks"

Problem = tuple[str, str, str]
CheckFunction = Callable[[str, str, Any, Any, Any], list[Problem]]


@dataclass(frozen=True, slots=True)
class Check:
    """A named check; ``markup``: it compares only what the inline parse found, so it is
    skipped when the source's and the translation's findings are equal."""

    name: str
    function: CheckFunction
    markup: bool = False


class Registry:
    """An ordered list of named checks (names are unique)."""

    def __init__(self, checks: Iterable[Check] = ()) -> None:
        self._checks: list[Check] = []
        for check in checks:
            self.push(check.name, check.function, markup=check.markup)

    def __iter__(self) -> Iterator[Check]:
        return iter(self._checks)

    def __len__(self) -> int:
        return len(self._checks)

    def names(self) -> list[str]:
        return [check.name for check in self._checks]

    def push(self, name: str, function: CheckFunction, *, markup: bool = False) -> None:
        """Add a check at the end."""
        self._insert(len(self._checks), Check(name, function, markup))

    def before(self, anchor: str, name: str, function: CheckFunction, *, markup: bool = False) -> None:
        """Add a check right before the check named ``anchor``."""
        self._insert(self._index(anchor), Check(name, function, markup))

    def after(self, anchor: str, name: str, function: CheckFunction, *, markup: bool = False) -> None:
        """Add a check right after the check named ``anchor``."""
        self._insert(self._index(anchor) + 1, Check(name, function, markup))

    def copy(self) -> Registry:
        return Registry(self._checks)

    def _index(self, name: str) -> int:
        for index, check in enumerate(self._checks):
            if check.name == name:
                return index
        raise KeyError(f"no check named {name!r}")

    def _insert(self, index: int, check: Check) -> None:
        if check.name in self.names():
            raise ValueError(f"a check named {check.name!r} is already registered")
        self._checks.insert(index, check)


def with_entry_points(registry: Registry) -> Registry:
    """``registry`` and, after it, every check installed under the entry-point group
    :data:`GROUP` (in name order, so a run does not depend on installation order).  A check
    that cannot be loaded is an error naming it: a project that relies on a check must
    not be checked silently without it."""
    loaded = registry.copy()
    for point in sorted(entry_points(group=GROUP), key=lambda point: point.name):
        try:
            function = point.load()
            if not callable(function):
                raise TypeError(f"{point.value} is not a function")
            loaded.push(point.name, function)
        except Exception as error:  # noqa: BLE001 - any failure of third-party code is reported
            raise PipelineError(f"cannot load the check {point.name!r} ({point.value}) of the "
                                f"entry-point group {GROUP}: {type(error).__name__}: {error}",
                                code="check-plugin") from None
    return loaded
