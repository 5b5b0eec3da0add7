"""pipeline.poformat writes catalogs exactly as GNU gettext 0.21 does.

The oracle is gettext itself: ``msgcat`` of our output, and ``msgmerge --update``
of our output against a template with the same messages, must change nothing;
``msgfmt --check`` must accept it; polib must read back the same messages.
Each catalog is checked with one subprocess call, so the many messages of a
catalog cost one run of the tool.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.po.writer import dumps

MSGCAT, MSGMERGE, MSGFMT = (shutil.which(tool) for tool in ("msgcat", "msgmerge", "msgfmt"))

pytestmark = pytest.mark.skipif(
    MSGCAT is None, reason="GNU gettext's msgcat is not installed: it is the oracle of these tests")


def run(*command: str) -> str:
    result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def msgcat(text: str, path: Path, width: int = 79) -> str:
    path.write_text(text, encoding="utf-8")
    return run(MSGCAT, f"--width={width}", str(path))


# --- catalogs -------------------------------------------------------------------------------

PLURAL_FORMS = {
    "es": "nplurals=2; plural=(n != 1);",
    "de": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
          ": n%100>=11 ? 4 : 5);",
    "zh": "nplurals=1; plural=0;",
}

PARAGRAPHS = [
    "Ketamine is an anaesthetic that has been used in hospitals since the 1970s. In recent "
    "years researchers found that, at low doses, it can ease the symptoms of anxiety and "
    "depression within hours rather than weeks.",
    "Talk to your doctor before you stop taking any medicine: stopping suddenly can cause "
    "withdrawal symptoms such as dizziness, nausea, irritability and trouble sleeping.",
    "See the [NHS guidance on generalised anxiety disorder](https://www.nhs.uk/mental-health/"
    "conditions/generalised-anxiety-disorder/overview/) and the **safety rules** below.",
    "Common side effects:\n- feeling detached from your body\n- raised blood pressure\n- nausea\n",
    'He said "take it with water", not with alcohol.\tNotes: C:\\Users\\patient\\notes.txt',
]

TRANSLATIONS = {
    "es": [
        "La ketamina es un anestésico que se usa en los hospitales desde los años setenta. En los "
        "últimos años, los investigadores descubrieron que, en dosis bajas, puede aliviar los "
        "síntomas de la ansiedad y la depresión en cuestión de horas y no de semanas.",
        "¿Quiere dejar un medicamento? Hable antes con su médico: dejarlo de golpe puede causar "
        "síntomas de abstinencia como mareos, náuseas, irritabilidad y problemas para dormir.",
        "Consulte la [guía del NHS sobre el trastorno de ansiedad generalizada](https://www.nhs.uk/"
        "mental-health/conditions/generalised-anxiety-disorder/overview/) y las **normas de "
        "seguridad** más abajo.",
        "Efectos secundarios frecuentes:\n- sensación de desconexión del cuerpo\n- tensión "
        "arterial alta\n- náuseas\n",
        'Dijo «tómela con agua», no con alcohol.\tNotas: C:\\Users\\paciente\\notas.txt',
    ],
    "de": [
        "Ketamin ist ein Narkosemittel, das seit den 1970er-Jahren in Krankenhäusern eingesetzt "
        "wird. In den letzten Jahren fanden Forschende heraus, dass es in niedriger Dosierung "
        "Symptome von Angststörungen und Depressionen innerhalb von Stunden statt Wochen lindern "
        "kann.",
        "Sprechen Sie mit Ihrer Ärztin oder Ihrem Arzt, bevor Sie ein Medikament absetzen: Ein "
        "plötzliches Absetzen kann Entzugserscheinungen wie Schwindel, Übelkeit, Reizbarkeit und "
        "Schlafstörungen verursachen.",
        "Lesen Sie die [NHS-Hinweise zur generalisierten Angststörung](https://www.nhs.uk/mental-"
        "health/conditions/generalised-anxiety-disorder/overview/) und die "
        "**Sicherheitsregeln** weiter unten.",
        "Häufige Nebenwirkungen:\n- Gefühl, vom eigenen Körper losgelöst zu sein\n- erhöhter "
        "Blutdruck\n- Übelkeit\n",
        'Er sagte „mit Wasser einnehmen", nicht mit Alkohol.\tNotizen: C:\\Users\\Patient\\n.txt',
    ],
    "fr": [
        "La kétamine est un anesthésique utilisé dans les hôpitaux depuis les années 1970. Ces "
        "dernières années, les chercheurs ont découvert qu’à faible dose, elle peut soulager les "
        "symptômes de l’anxiété et de la dépression en quelques heures plutôt qu’en quelques "
        "semaines.",
        "Parlez-en à votre médecin avant d’arrêter un médicament\u00a0: un arrêt brutal peut "
        "provoquer des symptômes de sevrage comme des vertiges, des nausées, de l’irritabilité "
        "et des troubles du sommeil\u202f!",
        "Consultez les [recommandations du NHS sur le trouble anxieux généralisé](https://www.nhs"
        ".uk/mental-health/conditions/generalised-anxiety-disorder/overview/) et les **règles de "
        "sécurité** ci-dessous.",
        "Effets secondaires fréquents\u00a0:\n- sensation d’être détaché de son corps\n- tension "
        "artérielle élevée\n- nausées\n",
        'Il a dit «\u00a0avec de l’eau\u00a0», pas avec de l’alcool.\tNotes\u00a0: '
        'C:\\Users\\patient\\notes.txt',
    ],
    "ar": [
        "الكيتامين (Ketamine) مخدّر يُستخدم في المستشفيات منذ سبعينيات القرن الماضي. وفي السنوات "
        "الأخيرة اكتشف الباحثون أنّه بجرعات منخفضة قد يخفّف أعراض القلق والاكتئاب خلال ساعات "
        "بدلًا من أسابيع.",
        "تحدّث إلى طبيبك قبل التوقف عن تناول أي دواء: فالتوقف المفاجئ قد يسبّب أعراض انسحاب مثل "
        "الدوخة والغثيان والتهيّج واضطرابات النوم، وفق مقياس GAD-7 وإرشادات NHS.",
        "راجع [إرشادات NHS حول اضطراب القلق العام](https://www.nhs.uk/mental-health/conditions/"
        "generalised-anxiety-disorder/overview/) و**قواعد السلامة** أدناه؛ فهي مهمّة جدًّا.",
        "الآثار الجانبية الشائعة:\n- الشعور بالانفصال عن الجسد\n- ارتفاع ضغط الدم\n- الغثيان\n",
        'قال "تناوله مع الماء"، لا مع الكحول.\tملاحظات: C:\\Users\\patient\\notes.txt',
    ],
    "zh": [
        "氯胺酮（Ketamine）是一种自二十世纪七十年代起就在医院使用的麻醉剂。近年来，研究人员发现，"
        "低剂量的氯胺酮可以在数小时而不是数周内缓解焦虑和抑郁的症状。",
        "停药前请先咨询医生：突然停药可能导致头晕、恶心、易怒和睡眠障碍等戒断症状，可参考 GAD-7 量表。",
        "请参阅[英国国家医疗服务体系关于广泛性焦虑症的指南](https://www.nhs.uk/mental-health/"
        "conditions/generalised-anxiety-disorder/overview/)以及下方的**安全规则**。",
        "常见副作用：\n- 感觉与身体分离\n- 血压升高\n- 恶心\n",
        '他说"用水服用"，不要和酒一起服用。\t笔记：C:\\Users\\patient\\notes.txt',
    ],
}

SHORT = {  # "Read more", the plural forms of "%(count)d dose", a French-style sentence
    "es": ("Leer más", ["%(count)d dosis", "%(count)d dosis"]),
    "de": ("Weiterlesen", ["%(count)d Dosis", "%(count)d Dosen"]),
    "fr": ("Lire la suite", ["%(count)d dose", "%(count)d doses"]),
    "ar": ("اقرأ المزيد", ["لا جرعات (%(count)d)", "جرعة واحدة (%(count)d)", "جرعتان (%(count)d)",
                           "%(count)d جرعات", "%(count)d جرعة", "%(count)d جرعة"]),
    "zh": ("阅读更多", ["%(count)d 剂"]),
}


def catalog(language: str) -> polib.POFile:
    """A catalog with every kind of message this project writes, translated into ``language``."""
    po = polib.POFile()
    po.header = (f"{language} translation of ketamine-for-anxiety.\n"
                 "Generated from source/ketamine-for-anxiety.md; edit the source, not this file.\n"
                 "\n"
                 "Translators: keep the medical terms of the glossary.")
    po.metadata = {
        "Project-Id-Version": "ketamine-for-anxiety",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "2024-05-01 12:00+0000",
        "PO-Revision-Date": "2024-05-02 08:30+0000",
        "Last-Translator": "",
        "Language-Team": f"{language} <>",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS[language],
    }
    source = "source/ketamine-for-anxiety.md"
    for number, (msgid, msgstr) in enumerate(zip(PARAGRAPHS, TRANSLATIONS[language])):
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, comment="A paragraph of the body.",
                                occurrences=[(source, str(10 * number + 3))]))
    po[0].occurrences = [(source, str(line)) for line in range(1, 400, 9)]  # many references
    po[0].comment = ("DISCLAIMER: this text is reviewed by a clinician.\n"
                     "Keep the dose units as they are.\n"
                     "\n"
                     "Extracted comments are not wrapped, however long they are, even when they go "
                     "beyond the width.")
    read_more, doses = SHORT[language]
    po.append(polib.POEntry(msgctxt="button", msgid="Read more", msgstr=read_more,
                            occurrences=[("templates/page.html", "12")]))
    po.append(polib.POEntry(msgid="%(count)d dose", msgid_plural="%(count)d doses",
                            msgstr_plural=dict(enumerate(doses)), flags=["python-format"],
                            occurrences=[(source, "77")]))
    po.append(polib.POEntry(  # fuzzy, with the previous source text and a translator's note
        msgid="Stop taking ketamine at once if you notice chest pain or a very fast heartbeat, "
              "and call the emergency services.",
        msgstr=TRANSLATIONS[language][1],
        previous_msgid="Stop taking ketamine if you notice chest pain, and call your doctor.",
        flags=["fuzzy"], tcomment="Check with the medical reviewer.\n\nA note after an empty line.",
        occurrences=[(source, "120")]))
    po.append(polib.POEntry(msgid=("dose " * 15)[:71], msgstr=("dosis " * 15)[:70]))  # 79 columns
    po.append(polib.POEntry(msgid=("pill " * 15)[:72], msgstr=("pastilla " * 9)[:71]))  # 80
    po.append(polib.POEntry(msgid="a" * 72, msgstr="c" * 90))  # no break opportunity
    po.append(polib.POEntry(msgid="See https://example.org/" + "very-long-path/" * 6 + "?x=1"))
    po.append(polib.POEntry(msgid="中" * 35, msgstr="文" * 36))  # CJK takes two columns
    po.append(polib.POEntry(msgid="Combining marks take no room: cafe\u0301 nai\u0308ve " * 3,
                            msgstr="", flags=["no-wrap"]))
    po.append(polib.POEntry(msgid="Quotes \"', backslashes \\ and \\n, a tab\tand a newline\n",
                            tcomment="Untranslated."))
    po.append(polib.POEntry(msgid="An old sentence that left the article.", obsolete=True,
                            msgstr=TRANSLATIONS[language][0], previous_msgid="An older sentence.",
                            flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Another removed paragraph, long enough to need more than one "
                                  "line when it is written as an obsolete entry.",
                            msgstr=TRANSLATIONS[language][2], obsolete=True))
    return po


def template(po: polib.POFile) -> polib.POFile:
    """The ``.pot`` of ``po``: the same messages, untranslated."""
    pot = polib.POFile()
    pot.header = "Translations template for ketamine-for-anxiety."
    pot.metadata = {**po.metadata, "Language": "",
                    "Plural-Forms": "nplurals=INTEGER; plural=EXPRESSION;"}
    pot.metadata_is_fuzzy = True
    for entry in po:
        if not entry.obsolete:
            pot.append(polib.POEntry(
                msgctxt=entry.msgctxt, msgid=entry.msgid, msgid_plural=entry.msgid_plural,
                msgstr_plural={0: "", 1: ""} if entry.msgid_plural else {},
                occurrences=list(entry.occurrences), comment=entry.comment,
                flags=[flag for flag in entry.flags if flag != "fuzzy"]))
    return pot


LANGUAGES = sorted(TRANSLATIONS)


@pytest.mark.slow
@pytest.mark.parametrize("width", [79, 78])
@pytest.mark.parametrize("language", LANGUAGES)
def test_msgcat_leaves_our_catalog_unchanged(language: str, width: int, tmp_path: Path) -> None:
    ours = dumps(catalog(language), width=width)
    assert msgcat(ours, tmp_path / "messages.po", width) == ours


@pytest.mark.slow
@pytest.mark.skipif(MSGMERGE is None, reason="GNU gettext's msgmerge is not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_msgmerge_update_leaves_our_catalog_unchanged(language: str, tmp_path: Path) -> None:
    po = catalog(language)
    ours, pot = dumps(po), tmp_path / "messages.pot"
    pot.write_text(dumps(template(po)), encoding="utf-8")
    path = tmp_path / "messages.po"
    path.write_text(ours, encoding="utf-8")
    run(MSGMERGE, "--quiet", "--update", "--previous", "--backup=off", str(path), str(pot))
    assert path.read_text(encoding="utf-8") == ours


@pytest.mark.slow
@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_check_accepts_our_catalog(language: str, tmp_path: Path) -> None:
    path = tmp_path / "messages.po"
    path.write_text(dumps(catalog(language)), encoding="utf-8")
    run(MSGFMT, "--check", "--output-file", str(tmp_path / "messages.mo"), str(path))


@pytest.mark.parametrize("language", LANGUAGES)
def test_polib_reads_back_the_same_messages(language: str) -> None:
    po = catalog(language)
    again = polib.pofile(dumps(po))

    def fields(e: polib.POEntry) -> tuple:
        previous = None if e.obsolete else e.previous_msgid  # polib does not read "#~| msgid"
        return (e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, e.msgstr_plural, bool(e.obsolete),
                previous, e.occurrences, e.tcomment, e.flags)

    assert [fields(e) for e in again] == [fields(e) for e in po]
    assert (again.metadata, bool(again.metadata_is_fuzzy), again.header) == \
        (po.metadata, bool(po.metadata_is_fuzzy), po.header)


# --- the rules, one by one ------------------------------------------------------------------


def written(**fields) -> str:
    """How one message is written, without the header."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(**fields))
    return dumps(po).split("\n\n", 1)[1]


def test_breaks_after_a_space_within_79_columns_quotes_included() -> None:
    assert written(msgid="Take one tablet twice a day with water, preferably with food, unless "
                         "told otherwise.") == (
        'msgid ""\n'
        '"Take one tablet twice a day with water, preferably with food, unless told "\n'
        '"otherwise."\n'
        'msgstr ""\n')


def test_a_string_without_break_opportunity_stays_on_the_keyword_line() -> None:
    assert written(msgid="a" * 71, msgstr="b" * 72) == (  # 79 and 81 columns
        f'msgid "{"a" * 71}"\n'
        f'msgstr "{"b" * 72}"\n')


def test_a_string_that_does_not_fit_starts_with_an_empty_line() -> None:
    sentence = "Take one tablet twice a day with water, preferably with food, unless told ok."
    assert written(msgid=sentence) == f'msgid ""\n"{sentence}"\nmsgstr ""\n'


def test_a_word_longer_than_the_line_is_not_cut_but_hyphens_and_slashes_allow_a_break() -> None:
    assert written(msgid="x " + "y" * 90 + " see https://www.nhs.uk/mental-health/conditions/"
                                            "generalised-anxiety-disorder/overview/") == (
        'msgid ""\n'
        '"x "\n'
        f'"{"y" * 90} "\n'
        '"see https://www.nhs.uk/mental-health/conditions/generalised-anxiety-disorder/"\n'
        '"overview/"\n'
        'msgstr ""\n')


def test_cjk_characters_take_two_columns() -> None:
    assert written(msgid="中" * 35, msgstr="文" * 36) == (  # 78 and 81 columns
        f'msgid "{"中" * 35}"\n'
        'msgstr ""\n'
        f'"{"文" * 36}"\n')


def test_arabic_and_accented_letters_take_one_column() -> None:
    words = ("é" * 35 + " " + "é" * 35, "ب" * 35 + " " + "ب" * 36)  # 79 and 81 columns
    assert written(msgid=words[0], msgstr=words[1]) == (
        f'msgid "{words[0]}"\n'
        'msgstr ""\n'
        f'"{words[1]}"\n')


def test_escapes_and_a_newline_ends_a_line() -> None:
    assert written(msgid='Say "yes"\tor\\no.\nNext line') == (
        'msgid ""\n'
        '"Say \\"yes\\"\\tor\\\\no.\\n"\n'
        '"Next line"\n'
        'msgstr ""\n')


def test_references_share_lines_up_to_the_width() -> None:
    refs = [("source/ketamine-for-anxiety.md", str(n)) for n in (10, 27, 44, 61, 78)]
    refs.append(("./source/ketamine-for-anxiety.md", "010"))  # the same as the first one
    assert written(msgid="x", msgstr="y", occurrences=refs) == (
        "#: source/ketamine-for-anxiety.md:10 source/ketamine-for-anxiety.md:27\n"
        "#: source/ketamine-for-anxiety.md:44 source/ketamine-for-anxiety.md:61\n"
        "#: source/ketamine-for-anxiety.md:78\n"
        'msgid "x"\n'
        'msgstr "y"\n')


def test_comments_then_flags_in_gettext_order_then_previous_msgid() -> None:
    """gettext's order; a flag gettext does not know (a translator's) is kept, last."""
    assert written(msgid="x", msgstr="y", tcomment="note\n\nmore", comment="extracted\nsecond",
                   flags=["python-format", "unknown-flag", "fuzzy", "c-format"],
                   previous_msgid="old x") == (
        "# note\n"
        "#\n"
        "# more\n"
        "#. extracted\n"
        "#. second\n"
        "#, fuzzy, c-format, python-format, unknown-flag\n"
        '#| msgid "old x"\n'
        'msgid "x"\n'
        'msgstr "y"\n')


def test_fuzzy_is_dropped_from_an_untranslated_message() -> None:
    assert written(msgid="x", msgstr="", flags=["fuzzy"]) == 'msgid "x"\nmsgstr ""\n'


def test_obsolete_messages_come_last_and_only_with_a_translation() -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="gone", msgstr="parti", obsolete=True, previous_msgid="went"))
    po.append(polib.POEntry(msgid="gone, untranslated", msgstr="", obsolete=True))
    po.append(polib.POEntry(msgid="here", msgstr="ici"))
    assert dumps(po) == (
        'msgid ""\n'
        'msgstr "Content-Type: text/plain; charset=UTF-8\\n"\n'
        "\n"
        'msgid "here"\n'
        'msgstr "ici"\n'
        "\n"
        '#~| msgid "went"\n'
        '#~ msgid "gone"\n'
        '#~ msgstr "parti"\n')


# --- generated messages ---------------------------------------------------------------------

WORDS = ["the", "dose", "ketamine", "anxiété", "Angststörung", "ansiedad", "القلق", "علاج",
         "焦虑症", "治疗", "GAD-7", "https://www.nhs.uk/conditions/anxiety/", "e\u0301", "l’eau"]
PUNCTUATION = list(".,;:!?¿¡()[]{}«»“”‘’\"'—–-…/%*_`#\\|<>=+&")
SPACES = [" ", " ", " ", "  ", "\n", "\t", "\u00a0", "\u202f"]
LETTERS = (st.characters(whitelist_categories=("Lu", "Ll", "Lo", "Mn", "Nd"), max_codepoint=0x6FF)
           | st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF))  # Latin to Arabic; Chinese
TOKENS = st.sampled_from(WORDS + PUNCTUATION + SPACES) | st.text(LETTERS, min_size=1, max_size=12)
TEXT = st.lists(TOKENS, max_size=60).map("".join)
CONTEXTS = st.none() | st.sampled_from(["menu", "button"])
MESSAGES = st.lists(st.tuples(CONTEXTS, TEXT.filter(bool), TEXT),
                    min_size=1, max_size=8, unique_by=lambda m: (m[0], m[1]))


@pytest.mark.slow
@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(messages=MESSAGES)
def test_generated_messages_survive_msgcat_and_polib(messages: list[tuple[str | None, str, str]],
                                                     tmp_path: Path) -> None:
    po = polib.POFile()
    po.metadata = {"Project-Id-Version": "generated", "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit"}
    for msgctxt, msgid, msgstr in messages:
        po.append(polib.POEntry(msgctxt=msgctxt, msgid=msgid, msgstr=msgstr))
    ours = dumps(po)
    assert msgcat(ours, tmp_path / "generated.po") == ours
    assert [(e.msgctxt, e.msgid, e.msgstr) for e in polib.pofile(ours)] == messages


from hypothesis import given as _given, settings as _settings, strategies as _st  # noqa: E402

from pipeline.po import writer as _writer  # noqa: E402


@_settings(max_examples=300, deadline=None)
@_given(text=_st.text(alphabet=_st.sampled_from("ab Z9 -/.,;:()[]{}!?'\"%$+*#&@<>=|\\^_`~"), max_size=200),
        width=_st.integers(5, 80), column=_st.integers(0, 10), forbidden=_st.sets(_st.integers(0, 200), max_size=5))
def test_the_ascii_fast_path_breaks_lines_exactly_as_the_general_one(text, width, column, forbidden):
    assert _writer._fill_ascii(text, forbidden, width, column) == \
        _writer._fill_general(text, forbidden, width, column)
