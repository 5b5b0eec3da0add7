"""Shared fixtures: a copy of the shipped project, and the CLI run in-process; and the
repository root on ``sys.path``, for ``tools``."""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # tests import tools/, which pip does not install

ARTICLE = "ketamine-for-anxiety"
# A frozen copy of the project as shipped on 2026-12-02 (sources, catalogs, configuration):
# the tests' subject, so that revising the shipped articles never changes what a test means.
# Tests about the shipped content itself read ROOT.
FIXTURE = ROOT / "tests" / "fixtures" / "project"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the test project (sources, catalogs, configuration)."""
    return copy_project(FIXTURE, tmp_path)


def copy_project(project: Path, target: Path) -> Path:
    """``project``'s sources, catalogs and configuration copied into ``target``."""
    for name in ("source", "locales"):
        shutil.copytree(project / name, target / name)
    shutil.copy(project / "pyproject.toml", target / "pyproject.toml")
    return target


@pytest.fixture
def cli(capsys):
    """``cli(dir, *args)`` runs ``pipeline -C dir args`` in-process and returns a :class:`Result`."""

    def run(directory: Path, *args: str) -> Result:
        try:
            main(["-C", str(directory), *args])
            code = 0
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def collapse(html: str) -> str:
    """HTML as a browser shows it: whitespace runs outside <pre> collapse to one space."""
    parts = re.split(r"(<pre[\s\S]*?</pre>)", html)
    return "".join(p if p.startswith("<pre") else re.sub(r"\s+", " ", p) for p in parts).strip()


def po_entry_line(po_path: Path, msgid_start: str) -> int:
    """The line of the ``msgid`` keyword of the entry whose text starts with ``msgid_start``."""
    lines = po_path.read_text(encoding="utf-8").splitlines()
    for number, text in enumerate(lines):
        if text.startswith(("msgid ", '"')) and msgid_start[:30] in text:
            while not lines[number].startswith("msgid "):
                number -= 1
            return number + 1
    raise AssertionError(f"no entry starting with {msgid_start!r}")


def one_article_project(root: Path, source: str) -> Path:
    """A project of one article (``source``) in French, its catalogs made by ``pipeline update``."""
    (root / "source").mkdir()
    (root / "source/article.md").write_text(source, "utf-8")
    (root / "pyproject.toml").write_text('[tool.pipeline]\nlocales = ["fr"]\nmin-completeness = 0.0\n', "utf-8")
    try:
        main(["-C", str(root), "update"])
    except SystemExit as exit:
        assert not exit.code
    return root
