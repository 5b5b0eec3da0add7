"""The terminology base (``locales/<lang>/glossary.po``), through the CLI: a disclaimer that
drops a required term withholds its page (check and build agree) and the diagnostic names
the term, its approved translations, the catalog's file and line; an ordinary translation
gets a warning; inflected forms count; the shipped glossaries are valid gettext files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from conftest import ROOT, copy_project, po_entry_line
from pipeline.po.glossary import Term

SESSION = "ketamine-treatment-session"
PREGNANCY = ("Esketamine should not be used during pregnancy or while breastfeeding, and it is "
             "not known whether it is safe and effective in children (4).")


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A private copy of the shipped project, glossaries included."""
    return copy_project(ROOT, tmp_path)


def _edit(path: Path, msgid: str, old: str, new: str) -> None:
    po = polib.pofile(str(path))
    entry = po.find(msgid)
    assert old in entry.msgstr
    entry.msgstr = entry.msgstr.replace(old, new)
    po.save()


def test_a_disclaimer_without_a_required_term_withholds_its_page_naming_term_file_and_line(shipped, cli):
    catalog = shipped / "locales/es/LC_MESSAGES" / f"{SESSION}.po"
    _edit(catalog, PREGNANCY, "La esketamina no debe", "Este medicamento no debe")
    line = po_entry_line(catalog, PREGNANCY)
    glossary_line = po_entry_line(shipped / "locales/es/glossary.po", "esketamine")
    result = cli(shipped, "check")
    assert result.code == 1
    expected = (f"locales/es/LC_MESSAGES/{SESSION}.po:{line}: error: glossary: the medical disclaimer "
                f"(source source/{SESSION}.md:47) does not use an approved translation of 'esketamine' "
                f"(esketamina; locales/es/glossary.po:{glossary_line}); page withheld (a required term)")
    assert expected in result.err.splitlines()
    assert f"es/{SESSION}: WITHHELD" in result.err
    assert cli(shipped, "build").code == 1
    assert not (shipped / "output/es" / f"{SESSION}.html").exists()
    assert (shipped / "output/de" / f"{SESSION}.html").is_file()


def test_an_ordinary_translation_without_a_term_is_a_warning_and_the_page_is_published(shipped, cli):
    catalog = shipped / "locales/de/LC_MESSAGES" / f"{SESSION}.po"
    msgid = next(e.msgid for e in polib.pofile(str(catalog))
                 if e.msgid.startswith("For depression, esketamine is usually given"))
    _edit(catalog, msgid, "Esketamin", "das Mittel")
    result = cli(shipped, "check")
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if ": warning: glossary: " in line]
    assert len(warnings) == 1 and "'esketamine' (Esketamin; locales/de/glossary.po:" in warnings[0]
    assert warnings[0].startswith(f"locales/de/LC_MESSAGES/{SESSION}.po:{po_entry_line(catalog, msgid)}: ")


def test_required_as_a_translator_comment_survives_msgcat_and_counts(shipped, cli, tmp_path):
    path = shipped / "locales/es/glossary.po"
    po = polib.pofile(str(path))
    for entry in po:
        if "required" in entry.flags:
            entry.flags.remove("required")
            entry.tcomment = "required: a disclaimer must use it\n" + entry.tcomment
    po.save()
    if shutil.which("msgcat"):
        catted = subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout
        path.write_bytes(catted)
    catalog = shipped / "locales/es/LC_MESSAGES" / f"{SESSION}.po"
    _edit(catalog, PREGNANCY, "La esketamina no debe", "Este medicamento no debe")
    result = cli(shipped, "check")
    assert result.code == 1 and "error: glossary: " in result.err and "'esketamine'" in result.err


def test_a_build_notices_a_glossary_change(shipped, cli):
    assert cli(shipped, "build").code == 0
    glossary = shipped / "locales/fr/glossary.po"
    po = polib.pofile(str(glossary))
    po.find("esketamine").msgstr = "esketaminum"  # now no French disclaimer renders it as approved
    po.save()
    assert cli(shipped, "build").code == 1
    assert not (shipped / "output/fr" / f"{SESSION}.html").exists()


@pytest.mark.parametrize("term, forms, code, translation, found", [
    ("ketamine", "Ketamin", "de", "Die Wirkung des Ketamins hält an.", True),
    ("ketamine", "Ketamin", "de", "Eine Ketamininfusion dauert 40 Minuten.", True),
    ("ketamine", "Ketamin", "de", "Esketamin ist ein Nasenspray.", False),  # another medicine
    ("generalized anxiety disorder", "generalisierte Angststörung", "de",
     "bei generalisierter Angststörung", True),
    ("infusion", "perfusión|perfusiones", "es", "seis perfusiones", True),
    ("anxiety", "القلق", "ar", "يعاني من القلق", True),
    ("anxiety", "القلق", "ar", "مصاب بالقلق", True),
    ("anxiety", "القلق", "ar", "علاج للقلق", True),
    ("blood pressure", "ضغط الدم", "ar", "يُقاس ضغط دمك قبل الجرعة", True),
    ("ketamine", "الكيتامين", "ar", "الإسكيتامين", False),
    ("ketamine", "kétamine", "fr", "la KÉTAMINE", True),
    ("ketamine", "kétamine", "fr", "la ketamine", False),  # an accent a reader sees is missing
])
def test_inflected_forms_count_and_other_words_do_not(term, forms, code, translation, found):
    assert Term(term, tuple(forms.split("|")), "", True, 1).rendered_in(translation, code) is found


def test_a_cited_title_left_in_english_is_not_a_rendering_problem():
    term = Term("anxiety", ("ansiedad",), "", False, 1)
    source = "Tully J. Ketamine treatment for refractory anxiety: a systematic review. 2022."
    assert term.quoted_in(source, "Tully J. Ketamine treatment for refractory anxiety: a systematic review. 2022.")
    assert not term.quoted_in("It helps with anxiety.", "Ayuda con la anxiety.")


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext tools not installed")
@pytest.mark.parametrize("code", ["es", "de", "fr", "ar"])
def test_the_shipped_glossaries_are_valid_gettext_files_with_required_terms(code):
    path = ROOT / "locales" / code / "glossary.po"
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)
    po = polib.pofile(str(path))
    assert po.metadata["Language"] == code
    required = {e.msgid for e in po if "required" in e.flags}
    assert {"ketamine", "esketamine", "dissociation", "blood pressure"} <= required
    assert all(e.msgstr and e.tcomment for e in po)


def test_glossary_init_writes_candidates_and_no_other_step_takes_it_for_an_article(project, cli):
    result = cli(project, "glossary", "init", "es")
    assert result.code == 0 and "wrote locales/es/glossary.po" in result.out
    path = project / "locales/es/glossary.po"
    po = polib.pofile(str(path))
    terms = {e.msgid: e for e in po}
    assert terms["NMDA"].msgstr == "NMDA"  # keep-as-is: the same in every language
    assert "ketamine" in terms and terms["ketamine"].msgstr == ""  # a candidate, to approve
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)
    before = path.read_bytes()
    assert "already exists" in cli(project, "glossary", "init", "es").out
    for command in ("extract", "update", "check", "stats", "build"):
        result = cli(project, command)
        assert "glossary" not in result.out + result.err, command
    assert path.read_bytes() == before
    assert not (project / "locales/es/LC_MESSAGES/glossary.po").exists()
    assert not (project / "output/es/glossary.html").exists()


def test_a_broken_glossary_is_one_line_and_withholds_only_its_language(shipped, cli):
    path = shipped / "locales/fr/glossary.po"
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "x"\nmsgstr "unterminated\n', encoding="utf-8")
    result = cli(shipped, "build")
    assert result.code == 2
    errors = {line for line in result.err.splitlines() if ": error: " in line}
    assert len(errors) == 1 and next(iter(errors)).startswith("locales/fr/glossary.po:")
    assert "Traceback" not in result.err
    assert not (shipped / "output/fr" / f"{SESSION}.html").exists()
    assert (shipped / "output/es" / f"{SESSION}.html").is_file()
