"""The disclaimer gate, tried as a careless or hostile translator would (issue 15).

Each row puts a translation in place of the Spanish translation of a real disclaimer
of the test project and runs the command line: the page must be withheld, with one
``file:line: error: code:`` line and no traceback.  Two Hypothesis properties follow:
any disguise of the English is withheld, and the shipped real translations never are.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ARTICLE, ROOT, one_article_project
from pipeline.checks import disclaimers

ES_PO = Path("locales/es/LC_MESSAGES") / f"{ARTICLE}.po"
# A disclaimer of the test project, with bold markup, and its real Spanish translation.
SOURCE = ("While ketamine can be effective in treating anxiety, it is a powerful drug and "
          "**should only be administered by a trained medical professional**.")
PLAIN = SOURCE.replace("**", "")

DISGUISED_ENGLISH = {
    "a zero-width space inside": SOURCE.replace("ketamine", "keta\u200bmine"),
    "a zero-width space at the end": SOURCE + "\u200b",
    "full stops written \\.": SOURCE.replace(".", "\\."),
    "&#87; for the first letter": "&#87;" + SOURCE[1:],
    "in lower case": SOURCE.lower(),
    "a double space": SOURCE.replace(" can ", "  can "),
    "no-break spaces": SOURCE.replace(" ", "\u00a0"),
    "a Cyrillic о": SOURCE.replace("o", "\u043e"),
    "\\*\\* escapes": SOURCE.replace("**", "\\*\\*"),
    "without its bold": PLAIN,
    "struck through": f"~~{PLAIN}~~",
    "pseudo-accented": "Ŵĥîļé ķéţåɱîñé çåñ ƀé éƒƒéçţîvé îñ ţŕéåţîñĝ åñxîéţý, îţ îš å ƥöŵéŕƒûļ ðŕûĝ "
                       "åñð **šĥöûļð öñļý ƀé åðɱîñîšţéŕéð ƀý å ţŕåîñéð ɱéðîçåļ ƥŕöƒéššîöñåļ**.",
    "one word changed": SOURCE.replace("powerful", "strong"),
}
NOTHING_READABLE = {
    "a full stop": ".", "a backslash": "\\", "U+200B": "\u200b", "U+2060": "\u2060",
    "U+FEFF": "\ufeff", "U+00AD": "\u00ad", "U+3164": "\u3164", "U+2800": "\u2800",
    "combining marks alone": "\u0301\u0308", "&nbsp;": "&nbsp;", "&#8203;": "&#8203;",
    "bold zero-width space": "**\u200b**", "TODO": "TODO", "TBD.": "TBD.", "xxx": "xxx",
    "NUL": "\x00",
}
OTHER_PROBLEMS = {
    "reversed text (U+202E)": ("\u202eoirad otnemacidem nu se animateK", "bidi-control"),
    "French in the Spanish catalog": (
        "Bien que la kétamine puisse être efficace contre l'anxiété, c'est un médicament puissant "
        "qui **ne doit être administré que par un professionnel de santé qualifié**.",
        "disclaimer-wrong-language"),
    "one short sentence for the whole warning": ("Solo con un médico.", "disclaimer-length"),
}
CASES = ([pytest.param(text, "disclaimer-unchanged", id=name) for name, text in DISGUISED_ENGLISH.items()]
         + [pytest.param(text, "disclaimer-untranslated", id=name) for name, text in NOTHING_READABLE.items()]
         + [pytest.param(text, code, id=name) for name, (text, code) in OTHER_PROBLEMS.items()])


def _set(project: Path, msgid_start: str, msgstr: str, comment: str | None = None) -> int:
    po = polib.pofile(str(project / ES_PO))
    entry = next(e for e in po if e.msgid.startswith(msgid_start))
    entry.msgstr = msgstr
    if comment is not None:
        entry.tcomment = comment
    po.save(str(project / ES_PO))
    return entry.linenum


@pytest.mark.parametrize("translation, code", CASES)
def test_a_disguised_or_unreadable_disclaimer_withholds_the_page(project, cli, translation, code):
    _set(project, "While ketamine can be effective", translation)
    result = cli(project, "build")
    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.err
    assert re.search(rf"^{re.escape(str(ES_PO))}:\d+: error: {code}: medical disclaimer", result.err,
                     re.MULTILINE), result.err
    assert "es/ketamine-for-anxiety: WITHHELD" in result.err
    assert not (project / "output/es" / f"{ARTICLE}.html").exists()
    assert (project / "output/de" / f"{ARTICLE}.html").exists()  # one language's slip only


def test_the_real_translation_is_published(project, cli):
    assert cli(project, "build").code == 0
    assert (project / "output/es" / f"{ARTICLE}.html").exists()


def test_a_cognate_in_a_translated_disclaimer_is_a_warning_a_translator_can_silence(tmp_path, cli):
    """French 'Confusion' and 'Possible' are right: in a disclaimer whose other text is
    translated they are a warning, silenced by a translator comment; the page is published."""
    project = one_article_project(tmp_path, "::: disclaimer\nKetamine can cause side effects.\n\n"
                             "| Effect | Likelihood |\n| --- | --- |\n| Confusion | Possible |\n:::\n")
    translations = {"Ketamine can cause side effects.": "La kétamine peut avoir des effets indésirables.",
                    "Effect": "Effet", "Likelihood": "Probabilité", "Confusion": "Confusion",
                    "Possible": "Possible"}
    _translate(project, "fr", translations)
    result = cli(project, "build")
    assert result.code == 0, result.err
    assert re.search(r"fr/LC_MESSAGES/article\.po:\d+: warning: unchanged: identical to the source "
                     r"in a translated disclaimer", result.out + result.err)
    _translate(project, "fr", translations, comment="no-unchanged-check: the same word in French")
    result = cli(project, "build")
    assert result.code == 0 and "unchanged" not in result.out + result.err


def test_a_disclaimer_left_entirely_in_english_is_withheld_even_of_short_cells(tmp_path, cli):
    project = one_article_project(tmp_path, "::: disclaimer\n| Confusion | Possible |\n| --- | --- |\n:::\n")
    _translate(project, "fr", {"Confusion": "Confusion", "Possible": "Possible"})
    result = cli(project, "build")
    assert result.code == 1
    assert "error: disclaimer-unchanged" in result.err


def test_a_stray_entry_with_an_empty_context_is_never_used(project, cli):
    """A fuzzy disclaimer, and a second entry with msgctxt "" and the same msgid: the
    second is reported and never used; the page stays withheld."""
    po = polib.pofile(str(project / ES_PO))
    entry = next(e for e in po if e.msgid.startswith("While ketamine can be effective"))
    entry.flags.append("fuzzy")
    po.append(polib.POEntry(msgid=entry.msgid, msgctxt="", msgstr=entry.msgstr))
    po.save(str(project / ES_PO))
    result = cli(project, "build")
    assert result.code == 1
    assert "error: disclaimer-fuzzy" in result.err
    assert "warning: stray-entry" in result.out + result.err


# --- the source: every disclaimer is offered ----------------------------------------------


@pytest.mark.parametrize("source, line", [
    ("<!-- disclaimer -->\n<div>Do not drive after a dose.</div>\n", 2),
    ("::: disclaimer\n    Do not drive after a dose.\n:::\n", 2),
    ("Text.\n\n::: disclaimer\n:::\n", 3),
])
def test_a_disclaimer_with_nothing_to_translate_is_refused_with_its_line(tmp_path, cli, source, line):
    (tmp_path / "source").mkdir()
    (tmp_path / "source/article.md").write_text(source, "utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.pipeline]\nlocales = ["fr"]\n', "utf-8")
    result = cli(tmp_path, "extract")
    assert result.code == 2
    assert result.err.startswith(f"source/article.md:{line}: error: disclaimer-not-prose: ")


def test_footnotes_are_offered_and_a_footnote_of_a_disclaimer_is_one(tmp_path, cli):
    project = one_article_project(tmp_path, "Studies are small.[^1]\n\n::: disclaimer\nDo not drive.[^2]\n:::\n\n"
                             "[^1]: Tully 2022.\n[^2]: Until the next day after a restful sleep.\n")
    pot = polib.pofile(str(project / "locales/templates/article.pot"))
    notes = {e.msgid: e for e in pot if e.msgid in ("Tully 2022.", "Until the next day after a restful sleep.")}
    assert len(notes) == 2
    assert "MEDICAL DISCLAIMER" in notes["Until the next day after a restful sleep."].comment
    assert "MEDICAL DISCLAIMER" not in notes["Tully 2022."].comment


# --- links cannot move --------------------------------------------------------------------


LINKED = ("See [official guidance][nhs] and the study [1].\n\nFirst paragraph.\n\n"
          "![A chart](chart.png) and [the leaflet](https://ema.europa.eu/leaflet).\n\n"
          "[nhs]: https://www.nhs.uk/\n[1]: https://doi.org/10.1038/npp.2017.194\n")


@pytest.mark.parametrize("translation", [
    "[\nnhs]: https://evil.example/phish\nPrimer párrafo traducido.",
    "[1]: https://evil.example/\nPrimer párrafo traducido.",
    "[NHS]:\nhttps://evil.example/phish\nPrimer párrafo traducido.",
])
def test_a_translation_cannot_define_a_reference_the_page_uses(tmp_path, cli, translation):
    project = one_article_project(tmp_path, LINKED)
    _translate(project, "fr", {"First paragraph.": translation})
    cli(project, "build")
    page = (project / "output/fr/article.html").read_text("utf-8")
    hrefs = re.findall(r'href="([^"]+)"', page.split("<main", 1)[1])
    assert not [h for h in hrefs if "evil" in h]
    assert "https://www.nhs.uk/" in hrefs and "https://doi.org/10.1038/npp.2017.194" in hrefs


def test_swapping_a_link_and_an_image_address_is_refused(tmp_path, cli):
    project = one_article_project(tmp_path, LINKED)
    _translate(project, "fr", {"![A chart](chart.png) and [the leaflet](https://ema.europa.eu/leaflet).":
                               "![Un graphique](https://ema.europa.eu/leaflet) et [la notice](chart.png)."})
    result = cli(project, "check")
    assert re.search(r"article\.po:\d+: error: link-added: the translation has image "
                     r"https://ema\.europa\.eu/leaflet, link chart\.png", result.err), result.err


# --- properties ---------------------------------------------------------------------------


INVISIBLE = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f",
                             "\ufe0f", "\u3164", "\u2800", "\u180e"])
CONFUSABLE = st.sampled_from([("o", "\u043e"), ("a", "\u0430"), ("e", "\u0435"), ("i", "\u0456"),
                              ("c", "\u0441"), ("p", "\u0440"), ("l", "\u04cf"), ("s", "\u0455")])
ENTITY_LETTER = st.sampled_from("Wkatmnpr")


@st.composite
def disguises(draw) -> str:
    """The English disclaimer, disguised any number of ways at once."""
    text = PLAIN
    for old, new in draw(st.lists(CONFUSABLE, max_size=4)):
        text = text.replace(old, new, draw(st.integers(1, 3)))
    letter = draw(ENTITY_LETTER)
    if draw(st.booleans()):
        text = text.replace(letter, f"&#{ord(letter)};", 1)
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(INVISIBLE) + text[at:]
    case = draw(st.sampled_from([str, str.lower, str.upper, str.title]))
    text = case(text)
    if draw(st.booleans()):
        text = text.replace(".", "\\.")
    wrap = draw(st.sampled_from(["{}", "**{}**", "*{}*", "~~{}~~", "_{}_"]))
    return wrap.format(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(translation=disguises())
def test_any_disguise_of_the_english_is_refused(translation):
    verdict = disclaimers.review(SOURCE, translation, disclaimers.Context("es", ("en", "es", "de", "fr", "ar")))
    assert verdict.unchanged or verdict.problems, translation


def _shipped_disclaimers() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted((ROOT / "locales").glob("*/LC_MESSAGES/*.po")):
        for entry in polib.pofile(str(path)):
            if "MEDICAL DISCLAIMER" in (entry.comment or "") and entry.msgstr and not entry.obsolete:
                found.append((path.parent.parent.name, entry.msgid, entry.msgstr))
    return found


SHIPPED = _shipped_disclaimers()


def test_every_shipped_disclaimer_translation_passes():
    """The second property, checked on every case rather than a sample: no real translation
    is refused (no false positives); a short cognate is at most the silenceable warning."""
    assert len(SHIPPED) > 100  # every language's disclaimers of both articles
    for code, msgid, msgstr in SHIPPED:
        verdict = disclaimers.review(msgid, msgstr, disclaimers.Context(code, ("en", "es", "de", "fr", "ar")))
        short = len(msgid.split()) <= disclaimers.SHORT_WORDS
        assert not verdict.problems and (not verdict.unchanged or short), (code, msgid, verdict)


# --- helpers --------------------------------------------------------------------------------




def _translate(root: Path, code: str, translations: dict[str, str], comment: str = "") -> None:
    path = root / f"locales/{code}/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            entry.tcomment = comment
    po.save(str(path))
    site = root / f"locales/{code}/LC_MESSAGES/_site.po"
    if site.exists() and not polib.pofile(str(site)).translated_entries():
        shutil.copy(ROOT / f"locales/{code}/LC_MESSAGES/_site.po", site)


# --- pseudo never destroys work --------------------------------------------------------------


def test_pseudo_refuses_a_real_language_and_leaves_its_catalogs(project, cli):
    before = (project / "locales/fr/LC_MESSAGES" / f"{ARTICLE}.po").read_bytes()
    result = cli(project, "pseudo", "fr")
    assert result.code == 2
    assert "pipeline: error: not-pseudo: 'fr' is a real language" in result.err
    assert (project / "locales/fr/LC_MESSAGES" / f"{ARTICLE}.po").read_bytes() == before


def test_pseudo_regenerates_its_own_catalogs_but_not_a_translators_edit(project, cli):
    assert cli(project, "pseudo", "en-XA").code == 0
    assert cli(project, "pseudo", "en-XA").code == 0  # its own output: replaced
    path = project / "locales/en-XA/LC_MESSAGES" / f"{ARTICLE}.po"
    po = polib.pofile(str(path))
    next(e for e in po if e.msgid == "Conclusion").msgstr = "Hand-written"
    po.save(str(path))
    result = cli(project, "pseudo", "en-XA")
    assert result.code == 2 and "error: not-pseudo: this catalog holds a translation" in result.err
    assert "Hand-written" in path.read_text("utf-8")


# --- the page chrome is gated like an article -----------------------------------------------


SITE_PO = Path("locales/es/LC_MESSAGES/_site.po")


def test_an_empty_chrome_catalog_withholds_every_page_of_its_language(project, cli):
    po = polib.pofile(str(project / SITE_PO))
    for entry in po:
        entry.msgstr = ""
        entry.msgstr_plural = {k: "" for k in entry.msgstr_plural}
    po.save(str(project / SITE_PO))
    result = cli(project, "build")
    assert result.code == 1
    assert re.search(r"_site\.po:\d+: error: disclaimer-untranslated: the page chrome's safety text "
                     r"'Medical disclaimer'", result.err)
    assert "es/ketamine-for-anxiety: WITHHELD" in result.err
    assert not (project / "output/es" / f"{ARTICLE}.html").exists()
    assert (project / "output/fr" / f"{ARTICLE}.html").exists()


@pytest.mark.parametrize("translation", ["Publicado el %(fecha)s", "Publicado el %(date)99999999s",
                                         "Publicado el %(date)s %(date)s %(x)s"])
def test_a_broken_chrome_placeholder_is_refused_and_the_english_shown(project, cli, translation):
    po = polib.pofile(str(project / SITE_PO))
    po.find("Published %(date)s").msgstr = translation
    po.save(str(project / SITE_PO))
    result = cli(project, "build")
    assert "Traceback" not in result.err
    assert re.search(r"_site\.po:\d+: error: placeholder: .*; the English text is shown instead",
                     result.err), result.err
    page = project / "output/es" / f"{ARTICLE}.html"
    assert page.stat().st_size < 100_000
    assert '<span lang="en" dir="ltr">Published ' in page.read_text("utf-8")


def test_the_supported_language_list_is_the_models():
    from pipeline.checks import language
    assert set(language._identifier().nb_classes) == language._LANGUAGES


def test_check_warns_of_an_ordinary_translation_in_another_language(project, cli):
    """Ordinary segments fall back harmlessly, so their language and length are advice, given
    by `pipeline check` (identifying every segment's language would slow every build)."""
    line = _set(project, "Ketamine can also promote", "Ketamine can also promote the growth of new "
                "brain cells, which can help improve mood and reduce anxiety.")
    result = cli(project, "check")
    assert result.code == 0
    assert re.search(r"ketamine-for-anxiety\.po:\d+: warning: wrong-language: the translation reads as "
                     r"'en'", result.out + result.err), result.out + result.err
    assert "wrong-language" not in cli(project, "build").err
    _set(project, "Ketamine can also promote", "Ketamine can also promote the growth of new brain "
         "cells, which can help improve mood and reduce anxiety.",
         comment="no-language-check: quoted in English on purpose")
    assert "wrong-language" not in (lambda r: r.out + r.err)(cli(project, "check"))
    assert line
