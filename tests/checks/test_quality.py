"""Translation quality checks: each fails on a bad translation and passes on a good one."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest

from conftest import ARTICLE
from pipeline.checks.quality import Options, problems

ES_PO = Path("locales/es/LC_MESSAGES") / f"{ARTICLE}.po"


def codes(msgid: str, msgstr: str, flags=(), **kwargs) -> set[str]:
    return {code for _severity, code, _message in problems(msgid, msgstr, list(flags), **kwargs)}


@pytest.mark.parametrize("msgid, bad, good, code", [
    ("Read [the leaflet](https://ema.europa.eu/leaflet).",
     "Lea [el prospecto](https://evil.example/leaflet).",
     "Lea [el prospecto](https://ema.europa.eu/leaflet).", "link-added"),
    ("See <https://who.int>.", "Véase el sitio de la OMS.", "Véase <https://who.int>.", "link-missing"),
    ("![A chart](chart.png) shows it.", "![Un gráfico](other.png) lo muestra.",
     "![Un gráfico](chart.png) lo muestra.", "link-added"),
    ("See [the study][trial].", "Véase [el estudio][otro].", "Véase [el estudio][trial].", "link-label"),
    ("Take `0.5 mg/kg` once.", "Tome 0,5 mg/kg una vez.", "Tome `0.5 mg/kg` una vez.", "code-span"),
    ("A claim.[^1]", "Una afirmación.", "Una afirmación.[^1]", "footnote-reference"),
    ("Published %(date)s", "Publicado %(fecha)s", "Publicado el %(date)s", "placeholder"),
    ("Call a doctor.", "Llame a un <b>médico</b>.", "Llame a un **médico**.", "raw-html"),
    ("It is *not* a cure.", "*No es una cura.", "*No* es una cura.", "emphasis-unbalanced"),
    ("It is *not* a cure.", "No es una cura.", "*No* es una cura.", "emphasis-count"),
    ("Nausea", "Nausea", "Náuseas", "unchanged"),
    ("Stop now.", " Pare ahora.", "Pare ahora.", "whitespace"),
    ("Is it safe?", "¿Es seguro.", "¿Es seguro?", "punctuation"),
    ("Conclusion", "Conclusión.", "Conclusión", "punctuation"),
])
def test_each_check_fails_on_a_bad_translation_and_passes_a_good_one(msgid, bad, good, code):
    assert code in codes(msgid, bad)
    assert code not in codes(msgid, good)


def test_equivalent_punctuation_of_other_scripts_is_accepted():
    assert not codes("Is it safe?", "هل هو آمن؟")
    assert not codes("Note:", "Remarque :")
    assert not codes("It must be **supervised.**", "Debe estar **supervisado**.")


def test_unchanged_is_fine_without_letters_or_for_words_kept_as_is():
    assert not codes("2026", "2026")
    assert not codes("NMDA mTOR", "NMDA mTOR", options=Options(frozenset({"NMDA", "mTOR"})))


def test_a_flag_silences_a_warning_on_one_entry_but_never_an_error():
    assert "unchanged" not in codes("Confusion", "Confusion", ["no-unchanged-check"])
    dropped = ("See [this](https://a.org).", "Véalo.")
    assert "link-missing" in codes(*dropped)
    assert "link-missing" not in codes(*dropped, ["no-link-check"])
    injected = ("See [this](https://a.org).", "Vea [esto](https://b.org).")
    assert "link-added" in codes(*injected, ["no-link-check"])
    assert "link-added" in codes(*injected, ["no-link-check"], disclaimer=True)
    assert "raw-html" in codes("Stop.", "Pare<script>alert(1)</script>.", ["no-html-check"])


def _set_msgstr(project: Path, start: str, msgstr: str) -> None:
    po = polib.pofile(str(project / ES_PO))
    entry = next(e for e in po if e.msgid.startswith(start))
    entry.msgstr = msgstr
    po.save(str(project / ES_PO))


def test_a_translation_that_adds_a_link_fails_check_and_is_not_published(project, cli):
    _set_msgstr(project, "Ketamine can also promote",
                "La ketamina también puede [favorecer](https://pills.example/buy) nuevas neuronas.")
    result = cli(project, "check")
    assert result.code == 1
    assert f"{ES_PO}:" in result.err and "error: link-added:" in result.err
    assert "https://pills.example/buy" in result.err
    cli(project, "build")
    page = (project / "output/es" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert "pills.example" not in page  # the source sentence is shown instead
    assert "Ketamine can also promote the growth" in page


def test_a_link_injected_into_a_disclaimer_withholds_the_page(project, cli):
    _set_msgstr(project, "If you are struggling",
                "Si tiene ansiedad, [compre aquí](https://pills.example) su tratamiento.")
    result = cli(project, "build")
    assert result.code == 1
    assert "page withheld (medical disclaimer)" in result.err
    assert not (project / "output/es" / f"{ARTICLE}.html").exists()


def test_github_and_json_formats(project, cli):
    _set_msgstr(project, "Conclusion", "Conclusión.")
    github = cli(project, "check", "--format", "github")
    assert github.code == 0  # a warning does not fail the run
    assert f"::warning file={ES_PO},line=" in github.out and ",title=punctuation::" in github.out
    found = json.loads(cli(project, "check", "--format", "json").out)["diagnostics"]
    assert [d["code"] for d in found] == ["punctuation"]
