"""Incremental and parallel builds: work in proportion to the change, never a stale page."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from conftest import ARTICLE

ES_PO = Path("locales/es/LC_MESSAGES") / f"{ARTICLE}.po"


def _mtimes(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def _add_documents(project: Path, count: int) -> None:
    """Copies of the article under other names, with their catalogs."""
    for n in range(count):
        shutil.copy(project / "source" / f"{ARTICLE}.md", project / "source" / f"copy-{n}.md")
        for po in (project / "locales").glob(f"*/LC_MESSAGES/{ARTICLE}.po"):
            shutil.copy(po, po.with_name(f"copy-{n}.po"))


def test_a_no_op_rebuild_touches_no_file(project, cli):
    assert cli(project, "build").code == 0
    before = _mtimes(project / "output")
    result = cli(project, "build")
    assert result.code == 0
    assert "0 document(s) rebuilt, 0 file(s) written" in result.out
    after = _mtimes(project / "output")
    after.pop(project / "output/.manifest.json")
    before.pop(project / "output/.manifest.json")
    assert after == before


def test_a_changed_catalog_rebuilds_only_its_document(project, cli):
    _add_documents(project, 3)
    assert cli(project, "build", "--jobs", "2").code == 0
    po = polib.pofile(str(project / ES_PO))
    po.find("Conclusion").msgstr = "Conclusiones"
    po.save(str(project / ES_PO))
    result = cli(project, "build", "--jobs", "2")
    assert "1 document(s) rebuilt" in result.out
    assert "<h2>Conclusiones</h2>" in (project / "output/es" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert "<h2>Conclusión</h2>" in (project / "output/es/copy-0.html").read_text(encoding="utf-8")


def test_force_rebuilds_everything_and_parallel_equals_serial(project, cli):
    _add_documents(project, 4)
    assert cli(project, "build", "--jobs", "1").code == 0
    serial = {p: p.read_bytes() for p in (project / "output").rglob("*.html")}
    result = cli(project, "build", "--force", "--jobs", "2")
    assert "5 document(s) rebuilt" in result.out
    assert {p: p.read_bytes() for p in (project / "output").rglob("*.html")} == serial


def test_recorded_problems_are_reported_again_without_rebuilding(project, cli):
    po = polib.pofile(str(project / ES_PO))
    next(e for e in po if e.msgid.startswith("If you are struggling")).flags.append("fuzzy")
    po.save(str(project / ES_PO))
    first = cli(project, "build")
    second = cli(project, "build")
    assert first.code == second.code == 1
    assert "0 document(s) rebuilt" in second.out
    assert "disclaimer-fuzzy" in second.err and "es/ketamine-for-anxiety: WITHHELD" in second.err


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_pages_no_longer_published_are_removed(project, cli, force):
    _add_documents(project, 1)
    cli(project, "build")
    assert (project / "output/de/copy-0.html").exists()
    (project / "source/copy-0.md").unlink()
    config = project / "pyproject.toml"
    config.write_text(config.read_text().replace('"fr", "ar"]', '"fr"]'))
    result = cli(project, "build", *force)
    assert result.code == 0
    assert not (project / "output/de/copy-0.html").exists()
    assert not (project / "output/ar" / f"{ARTICLE}.html").exists()
    assert 'hreflang="ar"' not in (project / "output/de" / f"{ARTICLE}.html").read_text(encoding="utf-8")


def test_a_deleted_output_page_is_rebuilt(project, cli):
    cli(project, "build")
    (project / "output/fr" / f"{ARTICLE}.html").unlink()
    cli(project, "build")
    assert (project / "output/fr" / f"{ARTICLE}.html").exists()


def test_markdown_only_writes_the_same_markdown_and_no_html(project, cli):
    assert cli(project, "build").code == 0
    full = {p.relative_to(project): p.read_bytes() for p in (project / "output").rglob("*.md")}
    result = cli(project, "build", "--markdown-only")
    assert result.code == 0, result.err
    markdown = {p.relative_to(project): p.read_bytes() for p in (project / "output").rglob("*.md")}
    translated = {path: text for path, text in full.items() if path.parts[1] != "en"}
    assert markdown == translated  # the same localized Markdown, byte for byte
    left = [p.name for p in (project / "output").rglob("*") if p.suffix in (".html", ".xml")]
    assert left == []  # no page, index or sitemap left stale beside fresh Markdown
    assert not (project / "output/en" / f"{ARTICLE}.md").exists()  # English is source/ itself
    assert cli(project, "build").code == 0  # and back: the HTML is built again
    assert (project / "output/es" / f"{ARTICLE}.html").is_file()


def test_markdown_only_still_withholds_a_page_with_a_fuzzy_disclaimer(project, cli):
    po = polib.pofile(str(project / ES_PO))
    next(e for e in po if "While ketamine can be effective" in e.msgid).flags.append("fuzzy")
    po.save(str(project / ES_PO))
    result = cli(project, "build", "--markdown-only")
    assert result.code == 1
    assert "disclaimer-fuzzy" in result.err
    assert not (project / "output/es" / f"{ARTICLE}.md").exists()
    assert (project / "output/de" / f"{ARTICLE}.md").is_file()


def test_index_pages_follow_a_title_change_and_ignore_a_paragraph_change(project, cli):
    assert cli(project, "build").code == 0
    index = project / "output/es/index.html"
    before = index.stat().st_mtime_ns
    po = polib.pofile(str(project / ES_PO))
    po.find("Conclusion").msgstr = "Conclusiones"
    po.save(str(project / ES_PO))
    assert cli(project, "build").code == 0
    assert index.stat().st_mtime_ns == before  # the article changed, its entry in the index did not

    title = next(e for e in po if e.msgctxt == "front matter: title")
    title.msgstr = "La ketamina y la ansiedad"
    po.save(str(project / ES_PO))
    assert cli(project, "build").code == 0
    assert ">La ketamina y la ansiedad</a>" in index.read_text(encoding="utf-8")


def test_one_process_sees_a_chrome_edit_between_two_builds(project, cli):
    """As `pipeline serve` does on a small site (no worker pool): build, a translator edits
    _site.po, build again in the same process: the page shows the new string."""
    assert cli(project, "build").code == 0
    page = project / "output/es" / f"{ARTICLE}.html"
    assert "Aviso médico" in page.read_text("utf-8")
    site_po = project / "locales/es/LC_MESSAGES/_site.po"
    site_po.write_text(site_po.read_text("utf-8").replace('msgstr "Aviso médico"',
                                                          'msgstr "Advertencia médica"'), "utf-8")
    assert cli(project, "build").code == 0
    html = page.read_text("utf-8")
    assert "Advertencia médica" in html and "Aviso médico" not in html


def test_a_language_whose_last_page_is_withheld_loses_its_index_page(project, cli):
    """The index stayed and linked the deleted page, also after build --force."""
    assert cli(project, "build").code == 0
    assert (project / "output/es/index.html").exists()
    po = polib.pofile(str(project / ES_PO))
    next(e for e in po if e.msgid.startswith("If you are struggling")).flags.append("fuzzy")
    po.save(str(project / ES_PO))
    for args in (("build",), ("build", "--force")):
        assert cli(project, *args).code == 1
        assert not (project / "output/es/index.html").exists()
        assert not (project / "output/es" / f"{ARTICLE}.html").exists()
        assert (project / "output/de/index.html").exists()
        root = (project / "output/index.html").read_text("utf-8")
        assert 'href="es/' not in root
