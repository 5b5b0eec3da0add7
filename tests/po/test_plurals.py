"""A catalog's Plural-Forms gets the same verdict whichever Babel release is installed.

Babel 2.19 (CLDR 46+) gives Spanish, French, Italian, Portuguese and Catalan a third
plural form that Babel 2.18, GNU gettext's msginit, Poedit and Weblate do not.  The
two releases' tables are in ``tests/fixtures/babel-plurals/`` (copied from
``babel/messages/plurals.py`` of each wheel, BSD licence), and each test runs under both.
"""

from __future__ import annotations

import json
import subprocess
import shutil
from pathlib import Path

import polib
import pytest
from babel import Locale

from pipeline.po import catalogs, header, plurals
from pipeline.diagnostics import PipelineError
from pipeline.languages import language

from conftest import ARTICLE, ROOT

TABLES = Path(__file__).parents[1] / "fixtures" / "babel-plurals"
RELEASES = ("2.18.0", "2.19.0")


@pytest.fixture(params=RELEASES)
def babel_release(request, monkeypatch) -> str:
    """Run the test with the plural table of one Babel release in place of the installed one."""
    table = {code: tuple(value) for code, value in
             json.loads((TABLES / f"babel-{request.param}.json").read_text("utf-8")).items()}

    def get_plural(locale: Locale) -> _Plural:
        found = table.get(str(locale)) or table.get(locale.language) or (2, "(n != 1)")
        return _Plural(*found)

    monkeypatch.setattr(plurals, "get_plural", get_plural)
    language.cache_clear()
    yield request.param
    language.cache_clear()


class _Plural:
    def __init__(self, num_plurals: int, plural_expr: str) -> None:
        self.num_plurals, self.plural_expr = num_plurals, plural_expr


def _catalog(plural_forms: str, code: str) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Language": code, "Plural-Forms": plural_forms}
    return po


def _verdict(plural_forms: str, code: str) -> str | None:
    try:
        header.check_header(_catalog(plural_forms, code), language(code), "x.po")
    except PipelineError as error:
        return error.code
    return None


@pytest.mark.parametrize("code", sorted(plurals.GETTEXT_PLURAL_FORMS))
def test_what_msginit_writes_is_accepted_under_every_babel(babel_release: str, code: str) -> None:
    assert _verdict(plurals.GETTEXT_PLURAL_FORMS[code], code) is None


@pytest.mark.parametrize("code", ["es", "fr", "pt", "it", "ca", "de", "ar", "he", "pl"])
def test_a_count_neither_authority_gives_is_refused_under_every_babel(babel_release: str,
                                                                     code: str) -> None:
    assert _verdict("nplurals=7; plural=(n > 6 ? 6 : n);", code) == "header-plural-forms"


@pytest.mark.parametrize("code", ["es", "fr", "de", "pt_BR", "ja", "he"])
def test_init_writes_the_same_header_under_every_babel(babel_release: str, code: str) -> None:
    """``init`` writes gettext's formula where gettext has one: no Babel release changes it."""
    expected = plurals.GETTEXT_PLURAL_FORMS.get(code) or plurals.GETTEXT_PLURAL_FORMS[code[:2]]
    assert language(code).plural_forms == expected


def test_init_writes_cldr_where_gettext_has_no_formula(babel_release: str) -> None:
    """Arabic: msginit leaves Plural-Forms out; the installed Babel's CLDR rule is written,
    whose six forms every release agrees on."""
    assert plurals.count(language("ar").plural_forms) == 6


def test_the_shipped_catalogs_pass_under_every_babel(babel_release: str) -> None:
    for path in sorted((ROOT / "locales").glob("*/LC_MESSAGES/*.po")):
        code = path.parent.parent.name
        po = catalogs.load(str(path))
        header.check_header(po, language(code), str(path))  # raises on a refused header


def test_a_header_with_three_spanish_forms_is_accepted_too(babel_release: str) -> None:
    """What a Babel-2.19-based tool writes (CLDR's ``many``) is not refused under 2.18 either:
    the count matches CLDR's for the installed release or gettext's, and 3 is CLDR 46's."""
    verdict = _verdict("nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);", "es")
    assert verdict == (None if babel_release >= "2.19" else "header-plural-forms")


def test_the_refusal_names_the_line_and_the_accepted_counts(project: Path, cli) -> None:
    path = project / "locales/es/LC_MESSAGES" / f"{ARTICLE}.po"
    text = path.read_text("utf-8").replace("nplurals=2; plural=(n != 1);", "nplurals=5; plural=(n);")
    path.write_text(text, "utf-8")
    result = cli(project, "check")
    assert result.code == 2
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith('"Plural-Forms'))
    assert (f"locales/es/LC_MESSAGES/{ARTICLE}.po:{line}: error: header-plural-forms: the header "
            "declares 5 plural forms; Spanish has 2") in result.err


@pytest.mark.skipif(shutil.which("msginit") is None, reason="GNU gettext's msginit is not installed")
@pytest.mark.parametrize("code", ["es", "fr", "de", "pt_BR", "pl"])
def test_the_table_is_what_msginit_writes(tmp_path: Path, code: str) -> None:
    """GNU gettext's own msginit is the yardstick for the copied table."""
    pot = tmp_path / "x.pot"
    pot.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                   'msgid "a"\nmsgstr ""\n', "utf-8")
    subprocess.run(["msginit", "--no-translator", "-l", f"{code}.UTF-8", "-i", str(pot),
                    "-o", str(tmp_path / "x.po")], check=True, capture_output=True)
    header = polib.pofile(str(tmp_path / "x.po")).metadata["Plural-Forms"]
    assert header.strip() == plurals.GETTEXT_PLURAL_FORMS[code]
