"""The maintainer's view: the shipped project through the ``pipeline`` command."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from conftest import ARTICLE, ROOT, po_entry_line

LOCALES = ["es", "de", "fr", "ar"]
ES_PO = Path("locales/es/LC_MESSAGES") / f"{ARTICLE}.po"
SAFETY = "While ketamine can be effective"


def test_build_publishes_the_article_in_five_languages(project, cli):
    result = cli(project, "build")
    assert result.code == 0, result.err
    for lang in ["en", *LOCALES]:
        for ext in ("md", "html"):
            assert (project / "output" / lang / f"{ARTICLE}.{ext}").is_file()
    assert (project / "output" / "index.html").is_file()
    arabic = (project / "output/ar" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "الكيتامين" in arabic  # the article is really in Arabic


def test_pages_link_every_published_language_in_its_own_name(project, cli):
    cli(project, "build")
    spanish = (project / "output/es" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    for tag in ["en", *LOCALES]:
        assert f'<link rel="alternate" hreflang="{tag}" href="https://health.example.org/{tag}/{ARTICLE}.html">' in spanish
        assert f'<a href="../{tag}/{ARTICLE}.html" lang="{tag}" hreflang="{tag}"' in spanish
    for name in ["English", "Español", "Deutsch", "Français", "العربية"]:
        assert f">{name}</a>" in spanish
    assert "<title>Ketamina para la ansiedad" in spanish
    assert '<meta name="description" content="Cómo actúa la ketamina' in spanish


def test_disclaimers_render_as_visible_asides_in_the_reader_language(project, cli):
    cli(project, "build")
    german = (project / "output/de" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    asides = re.findall(r'<aside class="disclaimer"[^>]*>(.*?)</aside>', german, re.S)
    assert len(asides) == 3  # top box, the marked paragraph, the closing container
    assert "Medizinischer Hinweis" in asides[0]
    assert "ausgebildetem medizinischem Fachpersonal" in asides[1]
    assert "English" not in "".join(asides)


def test_check_passes_on_the_shipped_project(project, cli):
    result = cli(project, "check")
    assert result.code == 0, result.out + result.err
    assert " error: " not in result.out + result.err


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext msgfmt not installed")
def test_msgfmt_accepts_every_shipped_catalog():
    catalogs = sorted((ROOT / "locales").glob("*/LC_MESSAGES/*.po"))
    documents = len(list((ROOT / "source").glob("*.md")))
    assert len(catalogs) == (documents + 1) * len(LOCALES)  # each article's, and the chrome's
    for path in catalogs:
        done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                              capture_output=True, text=True)
        assert done.returncode == 0, f"{path}: {done.stderr}"


def _edit_entry(po_path: Path, msgid_start: str, change) -> None:
    po = polib.pofile(str(po_path))
    for entry in po:
        if entry.msgid.startswith(msgid_start):
            change(entry)
    po.save(str(po_path))


@pytest.mark.parametrize("breakage, code", [
    (lambda e: e.flags.append("fuzzy"), "disclaimer-fuzzy"),
    (lambda e: setattr(e, "msgstr", ""), "disclaimer-untranslated"),
    (lambda e: setattr(e, "msgstr", e.msgid), "disclaimer-unchanged"),
])
def test_a_broken_disclaimer_withholds_the_page_and_names_the_line(project, cli, breakage, code):
    assert cli(project, "build").code == 0
    _edit_entry(project / ES_PO, SAFETY, breakage)
    line = po_entry_line(project / ES_PO, SAFETY)

    checked = cli(project, "check")
    assert checked.code == 1
    expected = f"{ES_PO}:{line}: error: {code}: "
    assert expected in checked.err
    assert f"source/{ARTICLE}.md:85" in checked.err

    built = cli(project, "build")
    assert built.code == 1
    assert expected in built.err
    assert not (project / "output/es" / f"{ARTICLE}.html").exists()  # the earlier copy is gone
    assert not (project / "output/es" / f"{ARTICLE}.md").exists()
    for lang in ["en", "de", "fr", "ar"]:
        assert (project / "output" / lang / f"{ARTICLE}.html").exists()
    others = (project / "output/de" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert 'hreflang="es"' not in others  # no link to the withheld page


def test_check_json_lists_the_blocking_diagnostic(project, cli):
    import json

    _edit_entry(project / ES_PO, SAFETY, lambda e: e.flags.append("fuzzy"))
    result = cli(project, "check", "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    found = report["diagnostics"]
    assert {d["code"] for d in found} == {"disclaimer-fuzzy"}
    assert found[0]["path"] == str(ES_PO) and found[0]["severity"] == "error"
    pages = {(p["locale"], p["document"]): p for p in report["pages"]}
    assert pages[("es", ARTICLE)] == {"document": ARTICLE, "locale": "es", "status": "withheld",
                                      "withheld_by": ["disclaimer-fuzzy"]}
    assert pages[("de", ARTICLE)]["status"] == "published"


def test_a_page_below_the_completeness_threshold_is_withheld(project, cli):
    po = polib.pofile(str(project / ES_PO))
    for entry in po:
        if entry.comment.startswith(("Heading", "List item")) or not entry.comment:
            entry.msgstr = ""
    po.save(str(project / ES_PO))
    result = cli(project, "build")
    assert result.code == 1
    assert re.search(rf"{ES_PO}: error: incomplete: \d+% of the words are translated", result.err)
    assert not (project / "output/es" / f"{ARTICLE}.html").exists()


def test_partly_translated_page_falls_back_to_source_and_says_so(project, cli):
    _edit_entry(project / ES_PO, "Ketamine can also promote", lambda e: setattr(e, "msgstr", ""))
    assert cli(project, "build").code == 0
    page = (project / "output/es" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert "Ketamine can also promote the growth of new brain cells" in page
    assert "1 de sus 43 fragmentos sigue en inglés" in page


def test_stats_reports_entries_words_and_disclaimers(project, cli):
    """Catalog entries, not segments: the 43 segments are 41 entries (two texts repeat)."""
    _edit_entry(project / ES_PO, SAFETY, lambda e: e.flags.append("fuzzy"))
    result = cli(project, "stats")
    assert result.code == 0
    spanish = next(line for line in result.out.splitlines() if line.startswith("es "))
    assert " 40 (" in spanish and " 1 (" in spanish and "1 of 4 NOT done" in spanish
    german = next(line for line in result.out.splitlines() if line.startswith("de "))
    assert " 41 (" in german and "all done" in german


def test_update_keeps_translations_across_source_edits(project, cli):
    source = project / "source" / f"{ARTICLE}.md"
    text = source.read_text(encoding="utf-8")
    edited = text.replace("Anxiety can also lead to other mental health disorders, such as depression.",
                          "Anxiety can also lead to other mental health disorders, such as major depression.")
    removed = edited.replace("Ketamine can also promote the growth of new brain cells, which can help improve\n"
                             "mood and reduce symptoms of anxiety.\n\n", "")
    assert removed != edited != text
    source.write_text(removed, encoding="utf-8")
    assert cli(project, "update").code == 0

    po = polib.pofile(str(project / ES_PO))
    changed = po.find("Anxiety can also lead to other mental health disorders, such as major depression.")
    assert changed is not None and "fuzzy" in changed.flags
    assert changed.msgstr.startswith("La ansiedad también puede")
    assert changed.previous_msgid == "Anxiety can also lead to other mental health disorders, such as depression."
    gone = [e for e in po.obsolete_entries() if e.msgid.startswith("Ketamine can also promote")]
    assert gone and gone[0].msgstr

    source.write_text(text, encoding="utf-8")  # restore the paragraph
    assert cli(project, "update").code == 0
    po = polib.pofile(str(project / ES_PO))
    back = next(e for e in po if e.msgid.startswith("Ketamine can also promote") and not e.obsolete)
    assert back.msgstr and "fuzzy" not in back.flags
    assert cli(project, "check").code == 0


def test_update_of_a_disclaimer_makes_it_fuzzy_and_blocks_publication(project, cli):
    source = project / "source" / f"{ARTICLE}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("seek help from a mental health professional",
                                   "seek help from a qualified mental health professional"), encoding="utf-8")
    assert cli(project, "update").code == 0
    result = cli(project, "build")
    assert result.code == 1
    assert "disclaimer-fuzzy" in result.err
    assert not (project / "output/fr" / f"{ARTICLE}.html").exists()


def test_update_is_idempotent_and_rewrites_nothing(project, cli):
    before = {p: p.read_bytes() for p in (project / "locales").rglob("*.po*")}
    result = cli(project, "update")
    assert result.code == 0
    assert {p: p.read_bytes() for p in (project / "locales").rglob("*.po*")} == before


def test_update_in_worker_processes_writes_what_one_process_writes(project, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # both runs date their catalogs alike
    for n in range(20):  # enough documents for update to share them out to a process pool
        shutil.copy(project / "source" / f"{ARTICLE}.md", project / "source" / f"copy-{n}.md")
        for po in (project / "locales").glob(f"*/LC_MESSAGES/{ARTICLE}.po"):
            shutil.copy(po, po.with_name(f"copy-{n}.po"))
    serial = tmp_path / "serial"
    shutil.copytree(project, serial)
    assert cli(serial, "update", "--jobs", "1").code == 0
    assert cli(project, "update", "-j", "2").code == 0
    catalogs = sorted(p.relative_to(serial) for p in (serial / "locales").rglob("*.po*"))
    assert catalogs == sorted(p.relative_to(project) for p in (project / "locales").rglob("*.po*"))
    for path in catalogs:
        assert (project / path).read_bytes() == (serial / path).read_bytes(), path
    copy = polib.pofile(str(project / "locales/es/LC_MESSAGES/copy-19.po"))
    assert copy.find("Conclusion").msgstr == "Conclusión"  # the translations were kept
    assert "source/copy-19.md" in copy.find("Conclusion").occurrences[0][0]


def test_update_creates_catalogs_for_a_newly_configured_locale(project, cli):
    config = project / "pyproject.toml"
    config.write_text(config.read_text().replace('"ar"]', '"ar", "pt_BR"]'))
    assert cli(project, "update").code == 0
    created = polib.pofile(str(project / "locales/pt_BR/LC_MESSAGES" / f"{ARTICLE}.po"))
    assert created.metadata["Language"] == "pt_BR"
    assert created.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert cli(project, "build").code == 1  # untranslated: withheld, the others still built
    assert (project / "output/es" / f"{ARTICLE}.html").exists()


def test_a_project_with_only_locales_configured_works(tmp_path, cli):
    (tmp_path / "source").mkdir()
    (tmp_path / "source/hello.md").write_text("---\ntitle: Hello\n---\n\n# Hello\n\nWorld.\n")
    (tmp_path / "pyproject.toml").write_text('[tool.pipeline]\nlocales = ["de"]\n')
    assert cli(tmp_path, "extract").code == 0
    pot = polib.pofile(str(tmp_path / "locales/templates/hello.pot"))
    assert [e.msgid for e in pot] == ["Hello", "Hello", "World."]
    assert cli(tmp_path, "init", "de").code == 0
    po_path = tmp_path / "locales/de/LC_MESSAGES/hello.po"
    po = polib.pofile(str(po_path))
    for entry, text in zip(po, ["Hallo", "Hallo", "Welt."]):
        entry.msgstr = text
    po.save(str(po_path))
    result = cli(tmp_path, "build")  # the page chrome's safety texts are not translated yet
    assert result.code == 1 and "de/hello: WITHHELD" in result.err
    assert "_site.po:" in result.err and "error: disclaimer-untranslated: the page chrome's safety text" in result.err
    site_path = tmp_path / "locales/de/LC_MESSAGES/_site.po"
    site = polib.pofile(str(site_path))
    site.find("Medical disclaimer").msgstr = "Medizinischer Hinweis"
    site.find("This article is for general information and does not replace advice from a health "
              "professional.").msgstr = ("Dieser Artikel dient der allgemeinen Information und ersetzt "
                                          "nicht den Rat einer medizinischen Fachperson.")
    site.save(str(site_path))
    assert cli(tmp_path, "build").code == 0
    page = (tmp_path / "output/de/hello.html").read_text()
    assert "<h1>Hallo</h1>" in page
    assert '<span lang="en" dir="ltr">Skip to content</span>' in page  # untranslated chrome: English, marked


def test_init_refuses_an_unknown_locale(project, cli):
    for code in ("xx", "e$", "../etc"):
        result = cli(project, "init", code)
        assert result.code == 2
        assert "error: unknown-locale:" in result.err and code in result.err
        assert "Traceback" not in result.err


@pytest.mark.parametrize("setting, message", [
    ("colour = 1", "unknown key 'colour'"),
    ("min-completeness = \"high\"", "'min-completeness' must be a number from 0 to 1"),
    ("locales = \"es\"", "'locales' must be a list"),
    ("locales = [\"es\", \"zz\"]", "unknown locale code 'zz'"),
])
def test_configuration_errors_name_the_key_and_line(tmp_path, cli, setting, message):
    (tmp_path / "source").mkdir()
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "x"\n\n[tool.pipeline]\n{setting}\n')
    result = cli(tmp_path, "check")
    assert result.code == 2
    assert f"pyproject.toml:5: error: config: " in result.err
    assert message in result.err


def test_python_dash_m_and_dash_C_from_elsewhere(project, tmp_path):
    done = subprocess.run([sys.executable, "-m", "pipeline", "-C", str(project), "check"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"es/{ARTICLE}: publishable" in done.stdout


@pytest.mark.parametrize("pyproject, message", [
    ('[tool.pipline]\nlocales = ["es"]\n',
     "pyproject.toml: error: config: no [tool.pipeline] table (did you mean [tool.pipeline], not "
     "[tool.pipline]?)"),
    ('[project]\nname = "x"\n', "pyproject.toml: error: config: no [tool.pipeline] table; "),
    ('[tool.pipeline]\nlocales = ["pt-BR", "pt_BR"]\n',
     "pyproject.toml:2: error: config: 'locales' lists a locale twice: 'pt_BR' is 'pt-BR'"),
    ('[tool.pipeline]\nlocales = ["es", "EN"]\n',
     "pyproject.toml:2: error: config: 'locales' lists the source language: 'EN' is 'en'"),
])
def test_a_misconfigured_project_is_refused_not_emptied(project, cli, pyproject, message):
    """With [tool.pipline] (a typo) check printed nothing and build removed every page."""
    assert cli(project, "build").code == 0
    (project / "pyproject.toml").write_text(pyproject, "utf-8")
    for command in ("check", "build"):
        result = cli(project, command)
        assert result.code == 2 and message in result.err, result.err
    assert (project / "output/es" / f"{ARTICLE}.html").exists()


def test_commands_find_the_project_from_a_folder_inside_it(project, cli):
    result = cli(project / "source", "check")
    assert result.code == 0, result.err
    assert "es/ketamine-for-anxiety: publishable" in result.out


def test_a_missing_folder_is_one_line(tmp_path, cli):
    result = cli(tmp_path / "missing", "build")
    assert result.code == 2
    assert result.err.strip().endswith("missing: error: config: no such folder")


def test_init_says_to_add_the_locale_to_the_configuration(project, cli):
    result = cli(project, "init", "he")
    assert result.code == 0
    assert 'add he to `locales` in [tool.pipeline] of pyproject.toml to check, update and publish ' \
           'it: locales = ["es", "de", "fr", "ar", "he"]' in result.out
    assert "add" not in cli(project, "init", "es").out


def test_warnings_and_errors_go_to_the_same_stream(project, cli):
    """Warnings went to stdout and errors to stderr: `check 2>/dev/null` hid what blocks."""
    po_path = project / "locales/es/LC_MESSAGES" / f"{ARTICLE}.po"
    _edit_entry(po_path, "Conclusion", lambda e: setattr(e, "msgstr", "Conclusion"))  # a warning
    _edit_entry(po_path, "If you are struggling", lambda e: e.flags.append("fuzzy"))  # an error
    result = cli(project, "check")
    assert ": warning: unchanged:" in result.err and ": error: disclaimer-fuzzy:" in result.err
    assert ": warning:" not in result.out and ": error:" not in result.out
