"""Is a disclaimer's translation something a reader of the catalog's language can read?

The gate's question, asked of what the page will show (:mod:`.seen`), never of the
bytes: a translation with no visible letters, or only a placeholder word, is not
a translation (``disclaimer-untranslated``); one whose seen text is the source's,
or nearly (:data:`SAME`), is English in disguise (``disclaimer-unchanged``); one far
shorter or longer than translations into its language are (``disclaimer-length``),
or identified as another language (``disclaimer-wrong-language``), or holding
bidirectional controls (``bidi-control``), is refused.  Every verdict here is an
error: a disclaimer cannot fall back to the source language, so the page is withheld.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pipeline.checks import language, seen
from pipeline.diagnostics import ERROR, WARNING

Problem = tuple[str, str, str]

SAME = 90.0  # similarity (0-100) of two skeletons from which a translation is the source
SHORT_WORDS = 2  # a source segment this short may be a cognate ("Confusion" in French)
MIN_LENGTH_CHECKED = 40  # seen characters of the source below which length says nothing

# Seen length of a disclaimer translation ÷ the source's, median over the shipped
# catalogs' disclaimers of 40+ characters (2026-12-02: 31 per language; es 0.96-1.44,
# de 1.00-1.52, fr 1.08-1.76, ar 0.72-1.12).  A translation below half or above twice
# its language's median is refused: a truncated paste, one sentence for three.  Other
# languages get wide bounds (a quarter to four times the source) until measured.
MEDIAN_LENGTH = {"es": 1.22, "de": 1.25, "fr": 1.32, "ar": 0.87}
UNMEASURED_BOUNDS = (0.25, 4.0)


@dataclass(frozen=True, slots=True)
class Context:
    """What the checks know of the catalog: its language, the languages a translation in
    it could mistakenly be in (the source's and the configured ones), and whether it is a
    pseudo-locale (whose text is meant to be English in disguise)."""

    language: str
    candidates: tuple[str, ...] = ()
    pseudo: bool = False


@dataclass(frozen=True, slots=True)
class Verdict:
    """A disclaimer translation as the reader sees it: problems, and whether it is the
    source text (decided per block by the gate: a short cognate may be)."""

    problems: tuple[Problem, ...]
    unchanged: bool = False


@lru_cache(maxsize=4096)  # a site repeats its warnings: each translation is judged once
def review(msgid: str, msgstr: str, context: Context) -> Verdict:
    problems: list[Problem] = []
    controls = seen.bidi_controls(msgstr)
    if controls:
        problems.append((ERROR, "bidi-control", f"bidirectional control characters "
                         f"({', '.join(controls)}) can make the text read other than it is stored"))
    shown = seen.seen(msgstr)
    skeleton = seen.skeleton(shown)
    if not seen.has_letters(skeleton):
        return Verdict((*problems, (ERROR, "disclaimer-untranslated",
                                    "the translation shows no text a reader can read")))
    if seen.is_placeholder(skeleton):
        return Verdict((*problems, (ERROR, "disclaimer-untranslated",
                                    f"the translation is a placeholder ({shown!r})")))
    if context.pseudo:
        return Verdict(tuple(problems))
    source_shown = seen.seen(msgid)
    source = seen.skeleton(source_shown)
    if skeleton == source or seen.similarity(skeleton, source) >= SAME:
        return Verdict(tuple(problems), unchanged=True)
    problems += _length(source_shown, shown, context.language)
    problems += _language(shown, context)
    return Verdict(tuple(problems))


def advice(msgid: str, msgstr: str, context: Context) -> list[Problem]:
    """What :func:`review` asks of a disclaimer, asked of an ordinary translation as
    warnings (its English falls back harmlessly): the length and the language.  Only
    ``pipeline check`` asks it: identifying the language of every segment would cost a
    build more than the rest of its checks."""
    if context.pseudo or msgstr.strip() == msgid.strip():
        return []
    source, shown = seen.seen(msgid), seen.seen(msgstr)
    found = _length(source, shown, context.language) + _language(shown, context)
    renamed = {"disclaimer-length": "length", "disclaimer-wrong-language": "wrong-language"}
    return [(WARNING, renamed[code], message) for _severity, code, message in found]


def _length(source: str, translation: str, code: str) -> list[Problem]:
    if len(source) < MIN_LENGTH_CHECKED:
        return []
    ratio = len(translation) / len(source)
    median = MEDIAN_LENGTH.get(code.replace("-", "_").split("_")[0])
    low, high = (median / 2, median * 2) if median else UNMEASURED_BOUNDS
    if low <= ratio <= high:
        return []
    return [(ERROR, "disclaimer-length", f"the translation is {ratio:.0%} of the source's "
             f"length; translations into this language are {low:.0%}-{high:.0%} of it "
             "(a part left out, or text that is not this warning?)")]


def _language(shown: str, context: Context) -> list[Problem]:
    if not language.supported(context.language):
        return []
    found = language.identify(shown, (context.language, *context.candidates))
    if found is None:
        return []
    identified, probability = found
    if identified == language.base(context.language) or probability < language.CONFIDENT:
        return []
    return [(ERROR, "disclaimer-wrong-language", f"the translation reads as '{identified}' "
             f"({probability:.0%} likely), not as '{context.language}'")]
