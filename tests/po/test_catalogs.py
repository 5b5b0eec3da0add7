"""Catalog files as translators and gettext tools see them: update without loss, stable files."""

from __future__ import annotations

import gettext
import pytest
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ARTICLE
from pipeline.po import catalogs, merge
from pipeline.diagnostics import PipelineError
from pipeline.languages import language
from pipeline.segments import extract

POT = Path("locales/templates") / f"{ARTICLE}.pot"


def _pot(*paragraphs: str, disclaimer: tuple[int, ...] = ()) -> polib.POFile:
    blocks = [("::: disclaimer\n" + p + "\n:::" if i in disclaimer else p) for i, p in enumerate(paragraphs)]
    return catalogs.template("doc", "source/doc.md", extract("\n\n".join(blocks) + "\n"))


def _translate(po: polib.POFile, prefix: str = "T:") -> polib.POFile:
    for entry in po:
        entry.msgstr = prefix + entry.msgid
    return po


def test_an_edited_sentence_keeps_its_translation_as_fuzzy_with_the_previous_msgid():
    old = _translate(catalogs.new_catalog(_pot("Ketamine is a dissociative anesthetic.", "Unrelated text here."), language("es")))
    old[0].tcomment = "checked with Dr. García"
    merged = merge.update(old, _pot("Ketamine is a dissociative anaesthetic drug.", "Unrelated text here."))
    edited = merged.find("Ketamine is a dissociative anaesthetic drug.")
    assert edited.flags == ["fuzzy"]
    assert edited.msgstr == "T:Ketamine is a dissociative anesthetic."
    assert edited.previous_msgid == "Ketamine is a dissociative anesthetic."
    assert edited.tcomment == "checked with Dr. García"
    assert merged.obsolete_entries() == []  # as msgmerge --previous: the fuzzy entry carries it


def test_fuzzy_matching_never_crosses_between_disclaimers_and_ordinary_text():
    old = _translate(catalogs.new_catalog(
        _pot("Only a trained professional should give ketamine.", "Ketamine is an anesthetic.", disclaimer=(0,)),
        language("de")))
    new = _pot("Only a trained professional should give ketamine, in a clinic.",
               "Only a trained professional should give ketamine!", disclaimer=(0,))
    merged = merge.update(old, new)
    still_disclaimer = merged.find("Only a trained professional should give ketamine, in a clinic.")
    assert still_disclaimer.msgstr == "T:Only a trained professional should give ketamine."
    assert "fuzzy" in still_disclaimer.flags
    ordinary = merged.find("Only a trained professional should give ketamine!")
    assert ordinary.msgstr == ""  # the closer disclaimer text was not offered to ordinary text


def test_flags_and_translator_comments_survive_updates():
    old = _translate(catalogs.new_catalog(_pot("Nausea", "Rare"), language("fr")))
    old[0].flags.append("no-unchanged-check")
    old[1].tcomment = "same word in French"
    merged = merge.update(merge.update(old, _pot("Nausea", "Rare", "New.")), _pot("Nausea", "Rare", "New."))
    assert merged.find("Nausea").flags == ["no-unchanged-check"]
    assert merged.find("Rare").tcomment == "same word in French"


PARAGRAPHS = [f"Paragraph number {n} says something about ketamine." for n in range(4)] + [
    "Completely different words here.", "Zebra crossing at night, slowly.", "A b c",
    "Quite unlike anything else said"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(range(8)), min_size=0, max_size=6, unique=True),
                          st.booleans()), min_size=1, max_size=8))
def test_no_sequence_of_source_edits_updates_and_reviews_loses_a_translation(versions):
    """Any translation ever entered stays in the catalog (live, fuzzy or obsolete); a text
    that comes back gets a translation back; and, as with ``msgmerge --previous``, no
    obsolete copy of an entry the catalog keeps.  The translator fills empty entries and
    sometimes accepts fuzzy ones as Poedit does (flag and ``#|`` removed).  Without the
    obsolete copy, ``[0]`` → ``[3]`` (fuzzy, accepted) → ``[0, 3]`` left paragraph 0 empty:
    an old translation still in use may now seed a new entry, as in msgmerge."""
    po = catalogs.new_catalog(_pot(PARAGRAPHS[0]), language("es"))
    ever: set[str] = set()
    once_translated: set[str] = set()
    for version, review in versions:
        po = merge.update(po, _pot(*(PARAGRAPHS[n] for n in version)) if version else _pot("Only this."))
        live = {e.msgid for e in po if not e.obsolete}
        assert not [e.msgid for e in po if e.obsolete and e.msgid in live]
        for entry in po:
            if entry.obsolete:
                continue
            assert entry.msgstr or entry.msgid not in once_translated, "a restored text came back empty"
            if not entry.msgstr:
                entry.msgstr = "ES " + entry.msgid
                ever.add(entry.msgstr)
            elif review and "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = None
            once_translated.add(entry.msgid)
        assert ever <= {e.msgstr for e in po if e.msgstr}


@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext tools not installed")
def test_update_writes_what_msgmerge_previous_writes(tmp_path):
    """An edited paragraph becomes fuzzy with ``#|`` and no obsolete copy; a removed one
    becomes obsolete: byte for byte what GNU msgmerge --previous writes."""
    old = _translate(catalogs.new_catalog(_pot(
        "Ketamine is a dissociative anesthetic used in hospitals.", "Unrelated text here.",
        "Esketamine is given as a nasal spray.", disclaimer=(2,)), language("es")))
    pot = _pot("Ketamine is a dissociative anaesthetic used in hospitals.",
               "Esketamine is given as a nasal spray.", "A brand new sentence about blood pressure.",
               disclaimer=(1,))
    (tmp_path / "old.po").write_text(catalogs.render(old), encoding="utf-8")
    (tmp_path / "new.pot").write_text(catalogs.render(pot), encoding="utf-8")
    merged = subprocess.run(["msgmerge", "--quiet", "--previous", "-o", "-", str(tmp_path / "old.po"),
                             str(tmp_path / "new.pot")], capture_output=True, text=True, check=True).stdout
    ours = catalogs.render(merge.update(old, pot))
    assert "#| msgid" in ours and "#~ msgid \"Unrelated text here.\"" in ours
    assert "#~ msgid \"Ketamine is a dissociative anesthetic" not in ours
    assert ours == merged


def test_catalog_files_are_stable_and_dated_reproducibly(project, cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    (project / POT).unlink()
    cli(project, "extract")
    assert '"POT-Creation-Date: 2026-01-01 00:00+0000\\n"' in (project / POT).read_text()
    before = os.stat(project / POT).st_mtime_ns
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # a year later, nothing else changed
    result = cli(project, "extract")
    assert "templates are up to date" in result.out
    assert os.stat(project / POT).st_mtime_ns == before


def test_compile_writes_mo_files_gettext_reads_without_fuzzy_entries(project, cli):
    po_path = project / "locales/de/LC_MESSAGES" / f"{ARTICLE}.po"
    po = polib.pofile(str(po_path))
    po.find("Rare").flags.append("fuzzy")
    po.save(str(po_path))
    assert cli(project, "compile").code == 0
    german = gettext.translation(ARTICLE, str(project / "locales"), ["de"])
    assert german.gettext("Conclusion") == "Fazit"
    assert german.gettext("Rare") == "Rare"  # fuzzy: not compiled
    arabic = gettext.translation("_site", str(project / "locales"), ["ar"])
    singular = "This page is partly translated: %(count)d of its %(total)d passages is still in %(language)s."
    plural = "This page is partly translated: %(count)d of its %(total)d passages are still in %(language)s."
    forms = {n: arabic.ngettext(singular, plural, n) for n in (2, 5, 11, 100)}
    assert "مقطعان" in forms[2] and "مقاطع" in forms[5] and "مقطعًا" in forms[11]


def test_pybabel_extract_with_the_entry_point_gives_the_same_messages(project, cli, tmp_path):
    pybabel = shutil.which("pybabel") or str(Path(sys.executable).with_name("pybabel"))
    (project / "babel.cfg").write_text("[markdown: source/**.md]\n")
    out = tmp_path / "babel.pot"
    subprocess.run([pybabel, "extract", "-F", "babel.cfg", "-o", str(out), "."],
                   cwd=project, check=True, capture_output=True)
    ours = polib.pofile(str(project / POT))
    theirs = polib.pofile(str(out))
    assert [(e.msgctxt, e.msgid) for e in theirs] == [(e.msgctxt, e.msgid) for e in ours]
    disclaimer = next(e for e in theirs if e.msgid.startswith("While ketamine"))
    assert "MEDICAL DISCLAIMER" in disclaimer.comment


@pytest.mark.skipif(shutil.which("msgcat") is None or shutil.which("msgmerge") is None,
                    reason="GNU gettext tools not installed")
def test_msgcat_and_msgmerge_leave_every_shipped_catalog_unchanged(tmp_path):
    from conftest import ROOT

    for po in sorted((ROOT / "locales").glob("*/LC_MESSAGES/*.po")):
        original = po.read_bytes()
        catted = subprocess.run(["msgcat", str(po)], capture_output=True, check=True).stdout
        assert catted == original, f"msgcat rewrites {po}"
        copy = tmp_path / po.name
        copy.write_bytes(original)
        template = ROOT / "locales/templates" / (po.stem + ".pot")
        subprocess.run(["msgmerge", "--quiet", "--update", "--previous", "--backup=none",
                        str(copy), str(template)], check=True, capture_output=True)
        assert copy.read_bytes() == original, f"msgmerge --update rewrites {po}"


def test_a_silencing_marker_in_a_translator_comment_survives_gettext_tools(project, cli):
    po_path = project / "locales/fr/LC_MESSAGES" / f"{ARTICLE}.po"
    assert "no-unchanged-check" in polib.pofile(str(po_path)).find("Rare").tcomment
    result = cli(project, "check")
    assert "unchanged" not in result.out


def test_line_and_paragraph_separators_in_a_translation_are_text(tmp_path):
    """msgfmt ends lines at \\n only: a U+2028, U+0085 or form feed pasted into a
    translation is part of the string, not a line end that breaks it in two."""
    path = tmp_path / "es.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    'msgid "One line"\nmsgstr "Una\u2028línea\u0085más\funa"\n', encoding="utf-8")
    assert [e.msgstr for e in catalogs.load(str(path))] == ["Una\u2028línea\u0085más\funa"]
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], check=True)


def test_a_string_after_a_comment_is_refused_not_taken_for_the_whole_msgid(tmp_path):
    """msgfmt calls it a syntax error; reading it as the msgid would drop the text before."""
    path = tmp_path / "es.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    'msgid "Take it "\n#. a comment in the middle\n"with food"\nmsgstr "Tómelo"\n',
                    encoding="utf-8")
    with pytest.raises(PipelineError) as raised:
        catalogs.load(str(path))
    assert raised.value.line == 7


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext tools not installed")
def test_stats_counts_entries_as_msgfmt_statistics_does_and_includes_the_chrome(project, cli):
    """Each row (the page chrome's `_site` included) has the numbers `msgfmt --statistics`
    gives for the same catalog, after a few entries are made fuzzy or emptied."""
    import json
    import re

    po_path = project / "locales/es/LC_MESSAGES" / f"{ARTICLE}.po"
    po = polib.pofile(str(po_path))
    po.find("Conclusion").flags.append("fuzzy")
    po.find("Rare").msgstr = ""
    po.save()
    rows = json.loads(cli(project, "stats", "--format", "json").out)
    assert {row["document"] for row in rows} == {ARTICLE, "_site"}
    for row in rows:
        path = project / "locales" / row["locale"] / "LC_MESSAGES" / f"{row['document']}.po"
        said = subprocess.run(["msgfmt", "--statistics", "-o", os.devnull, str(path)],
                              capture_output=True, text=True, check=True).stderr
        numbers = {kind: int(n) for n, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", said)}
        assert (row["translated"], row["fuzzy"], row["untranslated"]) == (
            numbers.get("translated", 0), numbers.get("fuzzy", 0), numbers.get("untranslated", 0)), path
    spanish = next(row for row in rows if row["locale"] == "es" and row["document"] == ARTICLE)
    assert spanish["fuzzy"] == 1 and spanish["untranslated"] == 1
