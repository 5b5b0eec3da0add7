"""The checks registry: ordered and named, and open to other packages' checks through the
``health_pipeline.checks`` entry-point group, as Babel's ``babel.checkers`` are."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from conftest import ARTICLE
from pipeline.checks.quality import BUILTIN, Check
from pipeline.checks.registry import GROUP, Registry

ES_PO = Path("locales/es/LC_MESSAGES") / f"{ARTICLE}.po"

PLUGIN = '''
def shouting(msgid, msgstr, source, translation, options):
    """A translation written in capitals where the source is not."""
    def capitals(text):
        letters = [c for c in text if c.isalpha()]
        return len(letters) > 3 and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    if capitals(msgstr) and not capitals(msgid):
        return [("warning", "shouting", "the translation is in capitals, the source is not")]
    return []
'''


def _install(where: Path, entry_point: str = "shouting = shouting_check:shouting") -> None:
    """A tiny installed distribution: its module, and a dist-info with METADATA and
    entry_points.txt, as pip would leave them."""
    where.mkdir(parents=True)
    (where / "shouting_check.py").write_text(PLUGIN, "utf-8")
    info = where / "shouting_check-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: shouting-check\nVersion: 1.0\n", "utf-8")
    (info / "entry_points.txt").write_text(f"[{GROUP}]\n{entry_point}\n", "utf-8")


def _shout(project: Path, comment: str = "") -> None:
    po = polib.pofile(str(project / ES_PO))
    entry = next(e for e in po if e.msgid == "Conclusion")
    entry.msgstr, entry.tcomment = "CONCLUSIÓN", comment
    po.save(str(project / ES_PO))


def test_a_check_installed_as_an_entry_point_reports_through_check(project, cli, tmp_path, monkeypatch):
    _shout(project)
    assert "shouting" not in (lambda r: r.out + r.err)(cli(project, "check"))
    _install(tmp_path / "site")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    result = cli(project, "check")
    assert result.code == 0, result.err  # a warning
    assert re.search(rf"^{re.escape(str(ES_PO))}:\d+: warning: shouting: the translation is in "
                     r"capitals, the source is not \(source source/", result.err, re.MULTILINE), result.err
    _shout(project, comment="no-shouting-check: an acronym in Spanish")
    assert "shouting" not in (lambda r: r.out + r.err)(cli(project, "check"))


def test_a_check_that_cannot_be_loaded_is_one_line_and_exit_2(project, cli, tmp_path, monkeypatch):
    _install(tmp_path / "site", "shouting = shouting_check:no_such_function")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    result = cli(project, "check")
    assert result.code == 2
    assert "Traceback" not in result.err
    assert re.search(r"^pipeline: error: check-plugin: cannot load the check 'shouting' "
                     r"\(shouting_check:no_such_function\)", result.err, re.MULTILINE), result.err


def test_the_registry_is_ordered_and_named():
    registry = BUILTIN.copy()
    registry.before("unchanged", "first", lambda *args: [])
    registry.after("punctuation", "last", lambda *args: [])
    names = registry.names()
    assert names.index("first") == names.index("unchanged") - 1 and names[-1] == "last"
    assert BUILTIN.names()[-1] == "punctuation"  # the copy, not the built-ins, changed
    with pytest.raises(ValueError):
        registry.push("link", lambda *args: [])
    assert [c.name for c in Registry([Check("a", print), Check("b", print)])] == ["a", "b"]
