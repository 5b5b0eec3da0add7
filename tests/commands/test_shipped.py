"""The shipped content itself: every article is published in every configured language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from pipeline.project.config import load

CONFIG = load(str(ROOT))
ARTICLES = sorted(path.stem for path in (ROOT / "source").glob("*.md") if not path.name.startswith("_"))
LANGUAGES = [CONFIG.source_language, *CONFIG.locales]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("shipped")
    for name in ("source", "locales"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def test_check_finds_nothing_to_fix_in_the_shipped_catalogs(shipped, cli):
    result = cli(shipped, "check")
    assert result.code == 0, result.err
    assert ": error: " not in result.out + result.err
    assert ": warning: " not in result.out + result.err, "a warning a translator should look at"


def test_every_article_is_published_in_every_language(shipped, cli):
    assert cli(shipped, "build").code == 0
    for code in LANGUAGES:
        for article in ARTICLES:
            assert (shipped / "output" / code / f"{article}.html").is_file(), f"{code}/{article}"
