"""A seeded, synthetic corpus of health articles for the benchmarks.

Everything here is deterministic from a seed: the same ``(seed, documents,
locales)`` always gives byte-identical sources.  Text is generated sentence by
sentence from a vocabulary, so no two paragraphs are alike (as in real
articles, where identical texts are rare and ``msgid`` sharing is the
exception).

An article is about 1,200 words and holds everything the pipeline handles:
YAML front matter (title, description, date), ATX headings, wrapped paragraphs
with ``*emphasis*``, ``**strong**``, ``[links](https://…)`` and ```code```,
a bullet list with a nested list, a GFM table, a block quote, an image and a
``::: disclaimer`` container.

:func:`make_project` lays out a project for our pipeline (``pyproject.toml``
with the L locales, ``source/``) and fills its catalogs with pseudo-translations
(``pipeline update``, then every ``msgstr`` set to an accent-mapped copy of its
``msgid`` with polib).  :func:`fill_catalog` is shared with the peers, whose
catalogs are filled the same way after their own extraction.

Run alone to generate a corpus and print where it is::

    python benchmarks/corpus.py --documents 10 --locales 1 --out /tmp/bench/corpus
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

# --- vocabulary ---------------------------------------------------------------------------------

CONDITIONS = [
    "anxiety", "depression", "insomnia", "migraine", "asthma", "hypertension", "diabetes",
    "arthritis", "eczema", "psoriasis", "obesity", "anemia", "bronchitis", "sinusitis",
    "osteoporosis", "gout", "tinnitus", "vertigo", "acne", "rosacea", "fibromyalgia",
    "sciatica", "tendinitis", "gastritis", "celiac disease", "chronic fatigue", "back pain",
    "high cholesterol", "heart failure", "kidney stones", "allergies", "hay fever",
]
TREATMENTS = [
    "ketamine", "ibuprofen", "paracetamol", "metformin", "sertraline", "melatonin",
    "physiotherapy", "acupuncture", "cognitive behavioral therapy", "mindfulness training",
    "a low-salt diet", "regular exercise", "vitamin D", "iron supplements", "statins",
    "inhaled steroids", "antihistamines", "light therapy", "a sleep diary", "yoga",
    "beta blockers", "compression stockings", "omega-3 supplements", "probiotics",
]
PEOPLE = [
    "patients", "older adults", "children", "pregnant women", "athletes", "caregivers",
    "nurses", "general practitioners", "pharmacists", "researchers", "most people",
    "adults over fifty", "teenagers", "people with kidney disease", "shift workers",
]
VERBS = [
    "reduces", "increases", "improves", "relieves", "affects", "triggers", "worsens",
    "prevents", "delays", "supports", "lowers", "raises", "eases", "masks", "changes",
    "protects against", "interacts with", "depends on", "contributes to", "is linked to",
]
OBJECTS = [
    "symptoms", "the risk of relapse", "blood pressure", "sleep quality", "inflammation",
    "daily functioning", "pain scores", "the immune response", "heart rate", "mood",
    "appetite", "energy levels", "liver enzymes", "bone density", "muscle strength",
    "the need for hospital care", "quality of life", "concentration", "stress hormones",
    "the absorption of other medicines", "blood sugar", "the frequency of attacks",
]
ADVERBS = [
    "slightly", "markedly", "quickly", "gradually", "reliably", "rarely", "often",
    "sometimes", "consistently", "temporarily", "measurably", "noticeably", "safely",
]
OPENERS = [
    "In most cases", "According to recent studies", "For many people", "In clinical trials",
    "Over several weeks", "At higher doses", "During the first month", "In the long term",
    "When taken with food", "In a small study", "Without medical supervision",
    "After a few sessions", "For some patients", "In everyday practice", "At night",
]
ADVICE = [
    "talk to your doctor before changing your dose",
    "keep a record of your symptoms",
    "do not stop the treatment suddenly",
    "ask your pharmacist about interactions",
    "drink plenty of water",
    "avoid alcohol while taking it",
    "read the leaflet that comes with the medicine",
    "seek urgent help if your breathing gets worse",
    "check your blood pressure regularly",
    "store it out of the reach of children",
    "tell your care team about any side effects",
]
HEADING_TEMPLATES = [
    "What is {c}?", "How {t} works", "Who should avoid {t}", "Side effects of {t}",
    "Living with {c}", "When to see a doctor", "Treating {c} with {t}", "Risks and benefits",
    "What the research says about {t}", "Preventing {c}", "Dosage and timing",
    "Questions to ask your care team", "Signs that {c} is getting worse", "Lifestyle changes",
]
TABLE_HEADERS = [
    ("Side effect", "How common", "What to do"),
    ("Symptom", "Typical duration", "Advice"),
    ("Option", "Onset of effect", "Main risk"),
    ("Group", "Usual dose", "Notes"),
]
FREQUENCIES = ["very common", "common", "uncommon", "rare", "very rare", "not known"]
DURATIONS = ["a few hours", "one to two days", "up to a week", "several weeks", "months"]
CODE_WORDS = ["mg/kg", "ICD-10 F41.1", "HbA1c", "SpO2", "BMI", "eGFR", "LDL-C", "PRN", "q8h"]

# Every article's disclaimer, and the page chrome's two safety texts, with real translations
# into the first ten benchmark languages (written for this corpus; the gate refuses
# pseudo-translated safety texts as English).
DISCLAIMER = ("This article is general information, not medical advice. Always talk to a "
              "qualified health professional before you start, stop or change a treatment.")
_HEADING = "Medical disclaimer"
_FOOTER = "This article is for general information and does not replace advice from a health professional."
SAFETY_TRANSLATIONS: dict[str, dict[str, str]] = {
    "es": {DISCLAIMER: "Este artículo es información general, no consejo médico. Hable siempre con un "
                       "profesional sanitario cualificado antes de empezar, interrumpir o cambiar un tratamiento.",
           _HEADING: "Aviso médico",
           _FOOTER: "Este artículo tiene fines informativos generales y no sustituye el consejo de un "
                    "profesional sanitario."},
    "de": {DISCLAIMER: "Dieser Artikel dient der allgemeinen Information und ist keine medizinische "
                       "Beratung. Sprechen Sie immer mit einer qualifizierten medizinischen Fachperson, bevor "
                       "Sie eine Behandlung beginnen, beenden oder ändern.",
           _HEADING: "Medizinischer Hinweis",
           _FOOTER: "Dieser Artikel dient der allgemeinen Information und ersetzt nicht den Rat einer "
                    "medizinischen Fachperson."},
    "fr": {DISCLAIMER: "Cet article est une information générale et non un avis médical. Parlez toujours "
                       "à un professionnel de santé qualifié avant de commencer, d’arrêter ou de modifier un "
                       "traitement.",
           _HEADING: "Avertissement médical",
           _FOOTER: "Cet article est fourni à titre d’information générale et ne remplace pas l’avis d’un "
                    "professionnel de santé."},
    "it": {DISCLAIMER: "Questo articolo fornisce informazioni generali e non costituisce un parere medico. "
                       "Parla sempre con un professionista sanitario qualificato prima di iniziare, "
                       "interrompere o modificare una terapia.",
           _HEADING: "Avvertenza medica",
           _FOOTER: "Questo articolo ha scopo puramente informativo e non sostituisce il parere di un "
                    "professionista sanitario."},
    "pt": {DISCLAIMER: "Este artigo é informação geral, não aconselhamento médico. Fale sempre com um "
                       "profissional de saúde qualificado antes de iniciar, interromper ou alterar um tratamento.",
           _HEADING: "Aviso médico",
           _FOOTER: "Este artigo tem carácter meramente informativo e não substitui o aconselhamento de um "
                    "profissional de saúde."},
    "nl": {DISCLAIMER: "Dit artikel bevat algemene informatie en is geen medisch advies. Overleg altijd met "
                       "een gekwalificeerde zorgverlener voordat u een behandeling begint, stopt of wijzigt.",
           _HEADING: "Medische waarschuwing",
           _FOOTER: "Dit artikel is bedoeld als algemene informatie en vervangt niet het advies van een "
                    "zorgverlener."},
    "pl": {DISCLAIMER: "Ten artykuł zawiera ogólne informacje i nie stanowi porady medycznej. Zawsze "
                       "porozmawiaj z wykwalifikowanym pracownikiem ochrony zdrowia, zanim rozpoczniesz, "
                       "przerwiesz lub zmienisz leczenie.",
           _HEADING: "Ostrzeżenie medyczne",
           _FOOTER: "Ten artykuł ma charakter wyłącznie informacyjny i nie zastępuje porady pracownika "
                    "ochrony zdrowia."},
    "sv": {DISCLAIMER: "Den här artikeln är allmän information, inte medicinsk rådgivning. Tala alltid med "
                       "kvalificerad vårdpersonal innan du börjar, slutar med eller ändrar en behandling.",
           _HEADING: "Medicinsk varning",
           _FOOTER: "Den här artikeln är avsedd som allmän information och ersätter inte råd från vårdpersonal."},
    "cs": {DISCLAIMER: "Tento článek poskytuje obecné informace a nenahrazuje lékařskou radu. Před "
                       "zahájením, ukončením nebo změnou léčby se vždy poraďte s kvalifikovaným zdravotníkem.",
           _HEADING: "Lékařské upozornění",
           _FOOTER: "Tento článek slouží pouze pro obecnou informaci a nenahrazuje radu zdravotníka."},
    "fi": {DISCLAIMER: "Tämä artikkeli on yleistä tietoa eikä lääketieteellistä neuvontaa. Keskustele aina "
                       "pätevän terveydenhuollon ammattilaisen kanssa ennen kuin aloitat, lopetat tai muutat "
                       "hoitoa.",
           _HEADING: "Lääketieteellinen huomautus",
           _FOOTER: "Tämä artikkeli on tarkoitettu yleiseksi tiedoksi eikä korvaa terveydenhuollon "
                    "ammattilaisen neuvoja."},
}

LOCALE_CODES = ["es", "de", "fr", "it", "pt", "nl", "pl", "sv", "cs", "fi",
                "da", "ro", "hu", "tr", "el", "ja", "ko", "ru", "uk", "ar"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --- text generation ----------------------------------------------------------------------------


class Writer:
    """Sentences, paragraphs and blocks of Markdown drawn from a seeded ``random.Random``."""

    def __init__(self, rng: random.Random, topic: tuple[str, str]) -> None:
        self.rng = rng
        self.condition, self.treatment = topic

    def pick(self, items: list[str]) -> str:
        return self.rng.choice(items)

    def clause(self) -> str:
        subject = self.rng.choice([self.treatment, self.pick(TREATMENTS), self.condition,
                                   self.pick(CONDITIONS)])
        return f"{subject} {self.pick(ADVERBS)} {self.pick(VERBS)} {self.pick(OBJECTS)}"

    def sentence(self, markup: str = "") -> str:
        """One sentence of about 12–22 words; ``markup`` puts one inline construct in it."""
        shape = self.rng.randrange(4)
        if shape == 0:
            text = f"{self.pick(OPENERS)}, {self.clause()} in {self.pick(PEOPLE)}"
        elif shape == 1:
            text = f"{self.clause()}, while {self.clause()}"
        elif shape == 2:
            text = f"{self.pick(OPENERS)}, {self.pick(PEOPLE)} should {self.pick(ADVICE)}"
        else:
            text = f"{self.clause()}, so {self.pick(PEOPLE)} should {self.pick(ADVICE)}"
        words = text.split(" ")
        if markup:
            words = self._mark(words, markup)
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def _mark(self, words: list[str], markup: str) -> list[str]:
        at = self.rng.randrange(1, max(2, len(words) - 2))
        span = 2 if markup in ("link", "strong") else 1
        inner = " ".join(words[at:at + span]).rstrip(",")
        tail = "," if words[min(at + span, len(words)) - 1].endswith(",") else ""
        if markup == "emphasis":
            new = f"*{inner}*"
        elif markup == "strong":
            new = f"**{inner}**"
        elif markup == "link":
            new = f"[{inner}](https://health.example.org/topics/{_slug(inner)}?ref={self.rng.randrange(1000)})"
        else:  # code
            new = f"`{self.pick(CODE_WORDS)}`"
            return words[:at] + [new] + words[at:]
        return words[:at] + [new + tail] + words[at + span:]

    def paragraph(self, sentences: int) -> str:
        """Wrapped at 78 columns (soft line breaks), with emphasis, strong, a link and code."""
        marks = ["emphasis", "strong", "link", "code"] + [""] * max(0, sentences - 4)
        self.rng.shuffle(marks)
        text = " ".join(self.sentence(marks[i] if i < len(marks) else "") for i in range(sentences))
        return textwrap.fill(text, width=78, break_long_words=False, break_on_hyphens=False)

    def heading(self, level: int) -> str:
        template = self.pick(HEADING_TEMPLATES)
        text = template.format(c=self.condition, t=self.treatment)
        # vary headings so that a large document does not repeat the same few
        text += f" ({self.pick(PEOPLE)})" if self.rng.random() < 0.5 else ""
        return "#" * level + " " + text[0].upper() + text[1:]

    def bullet_list(self) -> str:
        lines = []
        for _ in range(self.rng.randint(3, 5)):
            lines.append(f"- {self.sentence(self.rng.choice(['', 'emphasis', 'strong']))}")
        nested_under = self.rng.randrange(len(lines))
        nested = [f"  - {self.sentence(self.rng.choice(['', 'code']))}" for _ in range(2)]
        return "\n".join(lines[:nested_under + 1] + nested + lines[nested_under + 1:])

    def table(self) -> str:
        header = self.pick(TABLE_HEADERS)
        rows = [f"| {' | '.join(header)} |", "| --- | --- | --- |"]
        for _ in range(self.rng.randint(3, 5)):
            first = self.rng.choice([self.pick(OBJECTS), self.pick(TREATMENTS), self.pick(PEOPLE)])
            second = self.rng.choice([self.pick(FREQUENCIES), self.pick(DURATIONS)])
            third = self.pick(ADVICE)
            if self.rng.random() < 0.3:
                third = f"*{third}*"
            rows.append(f"| {first[0].upper() + first[1:]} | {second} | {third[0].upper() + third[1:]} |")
        return "\n".join(rows)

    def quote(self) -> str:
        text = textwrap.fill(" ".join(self.sentence() for _ in range(2)), width=76)
        return "\n".join("> " + line for line in text.split("\n"))

    def image(self) -> str:
        alt = f"Illustration of {self.pick(OBJECTS)} in {self.condition}"
        return f"![{alt}](https://health.example.org/images/{_slug(self.condition)}-{self.rng.randrange(100)}.png)"

    def disclaimer(self) -> str:
        return "::: disclaimer\n" + textwrap.fill(DISCLAIMER, width=78) + "\n:::"

    def section(self, paragraphs: int = 2, sentences: int = 5) -> list[str]:
        """A level-2 heading and its paragraphs (the caller adds a list, table, quote or image)."""
        blocks = [self.heading(2)]
        blocks += [self.paragraph(sentences) for _ in range(paragraphs)]
        return blocks


def article(seed: int, index: int, words: int = 1200) -> str:
    """One article of about ``words`` words (deterministic from ``seed`` and ``index``)."""
    rng = random.Random(f"{seed}:{index}")
    writer = Writer(rng, (rng.choice(CONDITIONS), rng.choice(TREATMENTS)))
    title = writer.heading(1)[2:]
    description = writer.sentence()
    date = f"20{rng.randint(18, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    blocks = [
        f'---\ntitle: "{title}"\ndescription: "{description}"\ndate: {date}\n---',
        f"# {title}",
        writer.disclaimer(),
        writer.paragraph(4),
        writer.paragraph(4),
    ]
    extras = [writer.bullet_list, writer.table, writer.quote, writer.image]
    section = 0
    while _words(blocks) < words:
        blocks += writer.section(paragraphs=2, sentences=rng.randint(3, 5))
        if section < len(extras):
            blocks.append(extras[section]())
        section += 1
    return "\n\n".join(blocks) + "\n"


def large_document(seed: int, segments: int = 10_000,
                   count: Callable[[str], int] | None = None) -> str:
    """One document of at least ``segments`` segments (front matter included): sections of
    headings, paragraphs, lists, tables and quotes repeated with new text.

    ``count`` (default: :func:`count_segments`) counts the segments of a piece of Markdown;
    each section is counted alone, which is exact because sections are separate blocks.
    """
    count = count or count_segments
    rng = random.Random(f"{seed}:large")
    writer = Writer(rng, (rng.choice(CONDITIONS), rng.choice(TREATMENTS)))
    head = (f'---\ntitle: "A very long reference article"\n'
            f'description: "{writer.sentence()}"\ndate: 2025-01-01\n---\n\n'
            f"# A very long reference article\n\n{writer.disclaimer()}")
    parts = [head]
    total = count(head)
    extras = [writer.bullet_list, writer.table, writer.quote, writer.image]
    index = 0
    while total < segments:
        writer.condition, writer.treatment = rng.choice(CONDITIONS), rng.choice(TREATMENTS)
        blocks = writer.section(paragraphs=2, sentences=rng.randint(2, 4))
        blocks.append(extras[index % len(extras)]())
        piece = "\n\n".join(blocks)
        parts.append(piece)
        total += count(piece)
        index += 1
    return "\n\n".join(parts) + "\n"


def small_document(seed: int) -> str:
    """The smallest article: front matter and one paragraph (for the start-up baseline)."""
    return article(seed, 10**6, words=1)


def _words(blocks: Iterable[str]) -> int:
    return sum(len(block.split()) for block in blocks)


def count_segments(text: str) -> int:
    """The number of segments our pipeline extracts from ``text``."""
    import pipeline  # imported late: the corpus module must load without the project

    return len(pipeline.extract(text))


# --- pseudo-translation -------------------------------------------------------------------------

_ACCENTS = dict(zip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                    "áƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ"))
# markup that must be kept byte for byte: code spans, link destinations, autolinks and
# raw HTML, URLs, entities, backslash escapes, placeholders, and ::: container info
_KEEP = re.compile(r"`[^`]*`|\]\([^)]*\)|<[^<>\s]+>|https?://\S+|&#?\w+;|\\.|%\(\w+\)s|%[sd]|\{\w+\}"
                   r"|^:::.*$", re.MULTILINE)


def simple_pseudo(msgid: str) -> str:
    """Our own accent mapping: ASCII letters outside kept markup become look-alikes."""
    out, last = [], 0
    for match in _KEEP.finditer(msgid):
        out.append("".join(_ACCENTS.get(ch, ch) for ch in msgid[last:match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append("".join(_ACCENTS.get(ch, ch) for ch in msgid[last:]))
    return "".join(out)


@lru_cache(maxsize=1)
def pseudo_function() -> tuple[Callable[[str], str], str]:
    """``pipeline.pseudo.pseudolocalize`` if it exists and keeps URLs and code intact, else
    :func:`simple_pseudo`; with the name of the one chosen."""
    probe = "Take *this* with **food**, see [the leaflet](https://example.org/a_b?x=1) and `q8h`."
    try:
        from pipeline.pseudo import pseudolocalize  # type: ignore[import-not-found]

        result = pseudolocalize(probe)
        kept = all(part in result for part in ("](https://example.org/a_b?x=1)", "`q8h`", "**", "*"))
        if isinstance(result, str) and kept and result != probe:
            return pseudolocalize, "pipeline.pseudo.pseudolocalize"
    except Exception:  # noqa: BLE001 - any failure means: use our own mapping
        pass
    return simple_pseudo, "benchmarks.corpus.simple_pseudo"


@lru_cache(maxsize=200_000)
def pseudo(msgid: str) -> str:
    """The pseudo-translation of ``msgid`` (cached: locales share msgids)."""
    function, _ = pseudo_function()
    try:
        return function(msgid)
    except Exception:  # noqa: BLE001 - a msgid the pipeline's function cannot handle
        return simple_pseudo(msgid)


def fill_catalog(path: str, translate: Callable[[str], str] = pseudo, wrapwidth: int = 78) -> int:
    """Set every msgstr of the catalog at ``path`` to ``translate(msgid)`` (fuzzy flags
    removed, header kept), and the safety texts to their real translation for the
    catalog's language (a pseudo-translation is English to the disclaimer gate, which would
    withhold every page); returns the number of entries filled."""
    import polib

    po = polib.pofile(path, wrapwidth=wrapwidth)
    code = os.path.basename(os.path.dirname(os.path.dirname(path)))
    real = SAFETY_TRANSLATIONS.get(code, {})
    translate = _with_real(translate, real)
    filled = 0
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {k: translate(entry.msgid_plural if k else entry.msgid)
                                   for k in (entry.msgstr_plural or {0: "", 1: ""})}
        else:
            entry.msgstr = translate(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgctxt = None
        filled += 1
    po.save(path)
    return filled


def _with_real(translate: Callable[[str], str], real: dict[str, str]) -> Callable[[str], str]:
    return lambda msgid: real.get(" ".join(msgid.split())) or translate(msgid)


def fill_tree(root: str, suffix: str = ".po") -> int:
    """Fill every catalog under ``root`` whose name ends with ``suffix``."""
    total = 0
    for folder, _dirs, files in os.walk(root):
        for name in sorted(files):
            if name.endswith(suffix):
                total += fill_catalog(os.path.join(folder, name))
    return total


# --- project layout -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    """A generated project for our pipeline: ``root`` holds pyproject.toml, source/, locales/."""

    root: str
    documents: list[str]
    locales: list[str]
    seed: int
    segments: int  # in all sources together
    words: int
    pseudo: str

    @property
    def source(self) -> str:
        return os.path.join(self.root, "source")

    def source_path(self, doc: str) -> str:
        return os.path.join(self.source, f"{doc}.md")


def locales_for(count: int) -> list[str]:
    """The first ``count`` benchmark locales (es, de, fr, …)."""
    if not 1 <= count <= len(LOCALE_CODES):
        raise ValueError(f"between 1 and {len(LOCALE_CODES)} locales, not {count}")
    return LOCALE_CODES[:count]


def pyproject(locales: list[str]) -> str:
    quoted = ", ".join(f'"{code}"' for code in locales)
    return ("[tool.pipeline]\n"
            'source-language = "en"\n'
            f"locales = [{quoted}]\n"
            'base-url = "https://health.example.org/"\n')


def write_sources(root: str, texts: dict[str, str], locales: list[str]) -> None:
    os.makedirs(os.path.join(root, "source"), exist_ok=True)
    with open(os.path.join(root, "pyproject.toml"), "w", encoding="utf-8") as handle:
        handle.write(pyproject(locales))
    for doc, text in texts.items():
        with open(os.path.join(root, "source", f"{doc}.md"), "w", encoding="utf-8") as handle:
            handle.write(text)


def make_project(root: str, texts: dict[str, str], locales: list[str], seed: int,
                 pipeline_cmd: list[str], log: Callable[[str], None] = print) -> Corpus:
    """Write the project at ``root`` (replacing it), create and fill its catalogs.

    The catalogs are written by ``pipeline update``, filled with pseudo-translations,
    then ``pipeline update`` runs once more so that they are in the pipeline's own
    format (the timed runs then start from a steady state).  A ``corpus.json`` marker
    records what was generated, so a later run can reuse the project.
    """
    if os.path.exists(root):
        shutil.rmtree(root)
    write_sources(root, texts, locales)
    _pipeline(pipeline_cmd, root, "update")
    filled = fill_tree(os.path.join(root, "locales"))
    _pipeline(pipeline_cmd, root, "update")
    segments = sum(count_segments(text) for text in texts.values())
    corpus = Corpus(root, sorted(texts), locales, seed, segments,
                    sum(len(t.split()) for t in texts.values()), pseudo_function()[1])
    with open(os.path.join(root, "corpus.json"), "w", encoding="utf-8") as handle:
        json.dump({**corpus.__dict__, "filled_entries": filled}, handle, indent=1)
    log(f"  corpus {root}: {len(texts)} document(s), {segments} segments, "
        f"{corpus.words} words, {len(locales)} locale(s), {filled} msgstrs filled ({corpus.pseudo})")
    return corpus


def load_project(root: str) -> Corpus | None:
    """The corpus described by ``root/corpus.json``, if it is there and complete."""
    try:
        with open(os.path.join(root, "corpus.json"), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    data.pop("filled_entries", None)
    return Corpus(**data)


# A paragraph translation that the merge refuses: an inline footnote the source does not
# have would add a footnote block to the page.
REFUSED_TRANSLATION = "A note^[that the source does not have]."


def with_refused_translation(corpus: Corpus, root: str) -> Corpus:
    """A copy of ``corpus`` at ``root`` whose catalog has one paragraph translation that the
    merge refuses (the rest of the page is built as before)."""
    if os.path.exists(root):
        shutil.rmtree(root)
    shutil.copytree(corpus.root, root, ignore=shutil.ignore_patterns("output"))
    import polib  # the project's own dependency, installed with it
    doc, code = corpus.documents[0], corpus.locales[0]
    path = os.path.join(root, "locales", code, "LC_MESSAGES", f"{doc}.po")
    po = polib.pofile(path)
    entry = next(e for e in po if e.msgstr and not e.comment and len(e.msgid.split()) > 8)  # a paragraph
    entry.msgstr = REFUSED_TRANSLATION
    po.save(path)
    return Corpus(root, corpus.documents, corpus.locales, corpus.seed, corpus.segments,
                  corpus.words, corpus.pseudo)


def _pipeline(pipeline_cmd: list[str], root: str, *args: str) -> None:
    done = subprocess.run([*pipeline_cmd, "-C", root, *args], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"pipeline {' '.join(args)} failed in {root} "
                           f"(exit {done.returncode}):\n{done.stderr[-2000:]}")


def articles(seed: int, documents: int) -> dict[str, str]:
    """``documents`` articles named ``article-0001`` …"""
    return {f"article-{i:04d}": article(seed, i) for i in range(1, documents + 1)}


def corpus_project(base: str, seed: int, documents: int, locales: int, pipeline_cmd: list[str],
                   log: Callable[[str], None] = print) -> Corpus:
    """The N-document, L-locale project under ``base`` (generated once, then reused)."""
    root = os.path.join(base, f"n{documents}-l{locales}-s{seed}")
    existing = load_project(root)
    codes = locales_for(locales)
    if existing and existing.locales == codes and len(existing.documents) == documents:
        return existing
    log(f"  generating {documents} article(s) × {locales} locale(s) in {root} …")
    return make_project(root, articles(seed, documents), codes, seed, pipeline_cmd, log)


def single_document_project(base: str, name: str, text: str, seed: int, pipeline_cmd: list[str],
                            log: Callable[[str], None] = print) -> Corpus:
    """A one-document, one-locale project (for the per-segment measurements)."""
    root = os.path.join(base, f"single-{name}-s{seed}")
    existing = load_project(root)
    if existing:
        return existing
    return make_project(root, {name: text}, locales_for(1), seed, pipeline_cmd, log)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--locales", type=int, default=1)
    parser.add_argument("--seed", type=int, default=20251125)
    parser.add_argument("--out", default="/tmp/bench/corpus")
    parser.add_argument("--print", dest="show", action="store_true",
                        help="print one article to stdout instead")
    args = parser.parse_args(argv)
    if args.show:
        sys.stdout.write(article(args.seed, 1))
        return
    corpus = corpus_project(args.out, args.seed, args.documents, args.locales,
                            [sys.executable, "-m", "pipeline"])
    print(corpus.root)


if __name__ == "__main__":
    main()
