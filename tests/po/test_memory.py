"""The translation memory, through the CLI: a sentence reviewed once is never translated
twice, a near match is offered as fuzzy with its origin, a disclaimer takes only an exact
reviewed match, conflicts are reported, and the memory leaves and enters as TMX 1.4b
(validated against the standard's DTD with lxml) or as a gettext compendium."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from lxml import etree

from conftest import ARTICLE, ROOT, po_entry_line
from pipeline.po import tmx
from pipeline.po.memory import Memory, units_of

DTD = ROOT / "tests" / "fixtures" / "tmx" / "tmx14.dtd"
GENERAL = ("This article is for general information only and is not medical advice. Do not "
           "start, stop or change any treatment without talking to a qualified health professional.")
NEW_DISCLAIMER = "Ketamine is a powerful drug and should only be given by trained health professionals."
LANGUAGES = ("es", "de", "fr", "ar")


def _catalog(project: Path, code: str, doc: str = "new-article") -> polib.POFile:
    return polib.pofile(str(project / "locales" / code / "LC_MESSAGES" / f"{doc}.po"))


def _shipped(project: Path, code: str) -> polib.POFile:
    return _catalog(project, code, ARTICLE)


def _write_article(project: Path, body: str) -> None:
    (project / "source" / "new-article.md").write_text(
        f'---\ntitle: "Ketamine and Sleep"\n---\n\n{body}\n', encoding="utf-8")


def test_a_new_article_repeating_the_general_disclaimer_arrives_with_it_reviewed(project, cli):
    _write_article(project, f"::: disclaimer\n{GENERAL}\n:::\n\n## Understanding anxiety\n\n"
                            f"- excessive worry, fear and nervousness;\n\n::: disclaimer\n{NEW_DISCLAIMER}\n:::")
    assert cli(project, "update").code == 0
    for code in LANGUAGES:
        entry = _catalog(project, code).find(GENERAL)
        shipped = _shipped(project, code).find(GENERAL)
        assert entry.msgstr == shipped.msgstr and "fuzzy" not in entry.flags, code
        assert entry.tcomment.startswith(f"memory: locales/{code}/LC_MESSAGES/{ARTICLE}.po:"
                                         f"{po_entry_line(project / 'locales' / code / 'LC_MESSAGES' / f'{ARTICLE}.po', GENERAL)} ")
        assert _catalog(project, code).find(NEW_DISCLAIMER).msgstr == ""
    result = cli(project, "check")
    assert "new-article.po" in result.err and "disclaimer-untranslated" in result.err
    assert "general information" not in result.err  # the repeated disclaimer is not what blocks

    spanish = _catalog(project, "es")  # the translator does the rest of the Spanish page
    spanish.find(NEW_DISCLAIMER).msgstr = ("La ketamina es un fármaco potente y solo deben "
                                           "administrarla profesionales sanitarios con formación.")
    spanish.find("Ketamine and Sleep", msgctxt="front matter: title").msgstr = "La ketamina y el sueño"
    spanish.save()
    cli(project, "build")
    assert (project / "output" / "es" / "new-article.html").is_file()
    assert not (project / "output" / "de" / "new-article.html").exists()  # its new disclaimer is not translated


def test_a_near_match_arrives_fuzzy_naming_its_origin(project, cli):
    near = "Physical symptoms such as sweating, a rapid heartbeat or shaking."
    _write_article(project, f"{near}\n")
    assert cli(project, "update").code == 0
    entry = _catalog(project, "es").find(near)
    origin = "physical symptoms such as sweating, a rapid heartbeat and shaking."
    shipped_po = project / "locales/es/LC_MESSAGES" / f"{ARTICLE}.po"
    assert entry.msgstr == _shipped(project, "es").find(origin).msgstr
    assert entry.flags == ["fuzzy"] and entry.previous_msgid == origin
    line = po_entry_line(shipped_po, origin)
    assert entry.tcomment.startswith(f"memory: locales/es/LC_MESSAGES/{ARTICLE}.po:{line} (")
    assert "% match, fuzzy)" in entry.tcomment


def test_a_disclaimer_never_takes_a_near_match_and_ordinary_text_never_a_disclaimer(project, cli):
    near_general = GENERAL.replace("a qualified health professional", "a health professional")
    _write_article(project, f"::: disclaimer\n{near_general}\n:::\n\n{GENERAL}\n")
    assert cli(project, "update").code == 0
    for code in LANGUAGES:
        po = _catalog(project, code)
        assert po.find(near_general).msgstr == "", code  # a near match: never for a disclaimer
        assert po.find(GENERAL).msgstr == "", code  # same text, but ordinary: not a disclaimer's


def test_two_reviewed_translations_that_disagree_are_reported_and_neither_is_taken(project, cli):
    other = project / "locales/es/LC_MESSAGES/other.po"
    _write_article(project, "## Understanding anxiety\n")
    (project / "source" / "other.md").write_text("## Understanding anxiety\n", encoding="utf-8")
    cli(project, "update")
    po = polib.pofile(str(other))
    po.find("Understanding anxiety").msgstr = "Comprender la ansiedad"
    po.save()
    (project / "locales/es/LC_MESSAGES/new-article.po").unlink()
    cli(project, "update")
    assert _catalog(project, "es").find("Understanding anxiety").msgstr == ""
    result = cli(project, "check")
    shipped_line = po_entry_line(project / "locales/es/LC_MESSAGES" / f"{ARTICLE}.po", "Understanding anxiety")
    other_line = po_entry_line(other, "Understanding anxiety")
    conflicts = [line for line in result.err.splitlines() if ": memory-conflict: " in line]
    assert len(conflicts) == 2
    assert any(line.startswith(f"locales/es/LC_MESSAGES/other.po:{other_line}: warning: ")
               and f"locales/es/LC_MESSAGES/{ARTICLE}.po:{shipped_line}" in line for line in conflicts)


def _units(units) -> set:
    return {(u.msgid, u.msgctxt, u.msgstr, u.kind, u.disclaimer) for u in units}


def test_an_exported_tmx_is_valid_tmx_14b_and_imports_back_with_the_same_units(project, cli, tmp_path):
    out = tmp_path / "es.tmx"
    result = cli(project, "memory", "export", "es", "-o", str(out))
    assert result.code == 0, result.err
    dtd = etree.DTD(str(DTD))
    document = etree.parse(str(out))
    assert dtd.validate(document), dtd.error_log.filter_from_errors()
    assert document.getroot().find("header").get("srclang") == "en"
    shipped = units_of(_shipped(project, "es"), "x.po", reviewed=True)
    back = tmx.read(out.read_bytes(), "es.tmx", "en", "es")
    assert _units(back) == _units(Memory(shipped).units()) and len(back) > 30
    assert any(u.disclaimer for u in back) and any(u.msgctxt for u in back)


def test_an_external_tmx_fills_a_new_language_with_fuzzy_suggestions_only(project, cli, tmp_path):
    out = tmp_path / "es.tmx"
    cli(project, "memory", "export", "es", "-o", str(out))
    (project / "locales/es/LC_MESSAGES" / f"{ARTICLE}.po").unlink()  # the translations are lost...
    assert cli(project, "update", "--memory", str(out)).code == 0  # ...but the memory has them
    po = _shipped(project, "es")
    disclaimer = po.find(GENERAL)
    assert disclaimer.msgstr.startswith("Este artículo") and "fuzzy" in disclaimer.flags
    assert disclaimer.tcomment.startswith("memory: ") and "es.tmx:" in disclaimer.tcomment
    assert all("fuzzy" in e.flags for e in po if e.msgstr)  # from outside: always to review
    assert sum(1 for e in po if e.msgstr) > 40


def test_a_gettext_compendium_is_a_memory_for_its_own_language_only(project, cli, tmp_path):
    compendium = tmp_path / "compendium.po"
    shutil.copy(project / "locales/fr/LC_MESSAGES" / f"{ARTICLE}.po", compendium)
    (project / "locales/fr/LC_MESSAGES" / f"{ARTICLE}.po").unlink()
    (project / "locales/de/LC_MESSAGES" / f"{ARTICLE}.po").unlink()
    assert cli(project, "update", "--memory", str(compendium)).code == 0
    assert "fuzzy" in _shipped(project, "fr").find(GENERAL).flags
    assert _shipped(project, "fr").find(GENERAL).msgstr.startswith("Cet article")
    assert all(not e.msgstr for e in _shipped(project, "de"))  # French is no help for German


@pytest.mark.parametrize("content, line, message", [
    (b"<tmx><body><tu>", 1, "not well-formed XML: no element found"),
    (b'<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY a "aaaaaaaa">\n]>\n<tmx/>', 3,
     "entity declarations are not allowed"),
    (b"<xliff/>", 1, "not a TMX file"),
])
def test_a_bad_memory_is_one_line_and_nothing_is_written(project, cli, tmp_path, content, line, message):
    bad = tmp_path / "bad.tmx"
    bad.write_bytes(content)
    catalog = project / "locales/es/LC_MESSAGES" / f"{ARTICLE}.po"
    before = catalog.read_bytes()
    _write_article(project, "A new paragraph.")
    result = cli(project, "update", "--memory", str(bad))
    assert result.code == 2
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert f"bad.tmx:{line}: error: memory: {message}" in result.err
    assert catalog.read_bytes() == before
    assert not (project / "locales/es/LC_MESSAGES/new-article.po").exists()


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext tools not installed")
def test_catalogs_the_memory_filled_pass_msgfmt_check(project, cli):
    _write_article(project, f"::: disclaimer\n{GENERAL}\n:::\n\nPhysical symptoms such as sweating, a rapid heartbeat or shaking.\n")
    cli(project, "update")
    for code in LANGUAGES:
        path = project / "locales" / code / "LC_MESSAGES" / "new-article.po"
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)


def test_stats_shows_what_the_memory_filled(project, cli):
    import json

    _write_article(project, f"::: disclaimer\n{GENERAL}\n:::\n\n## Understanding anxiety\n\n"
                            "Physical symptoms such as sweating, a rapid heartbeat or shaking.\n")
    cli(project, "update")
    rows = json.loads(cli(project, "stats", "--format", "json").out)
    for code in LANGUAGES:
        row = next(r for r in rows if r["locale"] == code and r["document"] == "new-article")
        assert (row["memory_reviewed"], row["memory_fuzzy"]) == (2, 1), code
        assert (row["translated"], row["fuzzy"], row["untranslated"]) == (2, 1, 1), code
    text = cli(project, "stats").out
    assert any(line.startswith("es ") and "new-article" in line and "  2 r   1 f" in line
               for line in text.splitlines())
