"""The terminology base: ``locales/<lang>/glossary.po``, one entry per source term.

A PO file, so translators edit it with the tools they already use: the msgid is the
term in the source language, the msgstr its approved translations separated by ``|``
(inflected forms may be listed too), the translator comment its definition, and the
flag ``#, required`` marks a term that a disclaimer must render with an approved
translation (or a translator comment line ``required``, which survives ``msgcat`` and
``msgmerge``: they drop flags they do not know).  A term with no msgstr is a candidate nobody has approved yet: it is
not checked.

Matching judges what a reader sees, not bytes: both texts are NFKC-normalized and
casefolded, Arabic diacritics and tatweel are removed, and link addresses are left out.
A term is found in the source at word boundaries (an English plural ``-s``/``-es``
allowed); each word of an approved form is found in a translation at the start of a
word, any ending allowed (``Ketamin`` finds ``Ketamins``, ``ketamina`` finds ``ketaminas``,
``Blutdruck`` finds ``Blutdruckanstieg``, ``generalisierte Angststörung`` finds
``generalisierter Angststörung``), and in Arabic also after up to two
proclitic letters (و ف ب ل ك) and the article (``قلق`` finds ``القلق``, ``بالقلق``,
``للقلق``).  A form that appears only inside a word (German compounds ending in the
term) must be listed as its own form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

import polib

REQUIRED = "required"
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<[a-z][a-z0-9+.-]*:[^>]*>", re.IGNORECASE)
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_PROCLITICS = "(?:[\u0648\u0641\u0628\u0644\u0643]{0,2}(?:\u0627\u0644)?)"  # و ف ب ل ك, ال
_ARTICLE = "\u0627\u0644"
_BEFORE = re.compile(r"(?:\S+\s+){1,2}\S*$")  # one or two words before the term
_AFTER = re.compile(r"\S*(?:\s+\S+){1,2}")  # one or two words after it


def normalize(text: str) -> str:
    """Text as matching sees it: NFKC, casefolded, Arabic marks removed, link addresses gone."""
    text = _LINK_TARGET.sub(" ", text)
    return _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class Term:
    """One glossary entry."""

    source: str
    approved: tuple[str, ...]
    definition: str
    required: bool
    line: int

    @cached_property
    def in_source(self) -> re.Pattern:
        return re.compile(r"(?<!\w)" + _words(normalize(self.source)) + r"(?:e?s)?(?!\w)")

    def rendered_in(self, translation: str, code: str) -> bool:
        """True if ``translation`` (in language ``code``) uses one of the approved forms."""
        shown = normalize(translation)
        return any(_form_pattern(form, code).search(shown) for form in self.approved)

    def quoted_in(self, source_text: str, translation: str) -> bool:
        """True if every occurrence of the term in the source is kept word for word in the
        translation with the (one or two) words before it or after it: a cited title left
        in the source language, not a rendering of the term."""
        source, shown = normalize(source_text), " ".join(normalize(translation).split())
        for match in self.in_source.finditer(source):
            before = _BEFORE.search(source, 0, match.start())
            after = _AFTER.match(source, match.end())
            phrases = ([before.group(0) + match.group(0)] if before else []) + (
                [match.group(0) + after.group(0)] if after else [])
            if not any(" ".join(phrase.split()) in shown for phrase in phrases):
                return False
        return True


def _words(text: str) -> str:
    return r"\s+".join(re.escape(word) for word in text.split())


def _form_pattern(form: str, code: str) -> re.Pattern:
    """An approved form as a pattern: each of its words at the start of a word, any ending
    (``generalisierte Angststörung`` finds ``generalisierter Angststörungen``); in Arabic,
    each word may also take proclitics and the article (``ضغط الدم`` finds ``ضغط دمك``)."""
    words = normalize(form).split()
    if code.split("-")[0].split("_")[0] == "ar":
        words = [_ARABIC_PROCLITICS + re.escape(_without_article(word)) for word in words]
    else:
        words = [re.escape(word) for word in words]
    return re.compile(r"(?<!\w)" + r"\w*\s+".join(words))


def _without_article(word: str) -> str:
    return word.removeprefix(_ARTICLE) if len(word) > len(_ARTICLE) + 1 else word


@dataclass(frozen=True)
class Glossary:
    """A language's approved terms, with the file they come from (for diagnostics)."""

    path: str
    terms: tuple[Term, ...]

    def relevant(self, source_text: str) -> list[Term]:
        """The approved terms that occur in ``source_text``."""
        shown = normalize(source_text)
        return [term for term in self.terms if term.approved and term.in_source.search(shown)]


def from_catalog(po: polib.POFile, path: str) -> Glossary:
    """A glossary from its PO file (read strictly by :func:`pipeline.po.catalogs.load`)."""
    terms = []
    for entry in po:
        if entry.obsolete or not entry.msgid or entry.msgid_plural:
            continue
        approved = tuple(form.strip() for form in entry.msgstr.split("|") if form.strip())
        if "fuzzy" in entry.flags:
            approved = ()  # not approved yet
        lines = (entry.tcomment or "").split("\n")
        marked = [line for line in lines if line.strip().split(":")[0] == REQUIRED]
        definition = "\n".join(line for line in lines if line not in marked)
        terms.append(Term(entry.msgid, approved, definition, REQUIRED in entry.flags or bool(marked),
                          entry.linenum))
    return Glossary(path, tuple(terms))
