"""``glossary init``: a language's terminology base, started with the sources' candidate terms.

The candidates are what a terminologist would look at first: the configuration's
``keep-as-is`` words (their approved translation is themselves), acronyms, capitalised
phrases inside sentences (names of organisations, brands), and noun phrases the articles
repeat.  Their translations are left empty: a term is checked only once a translator
has approved a translation for it.
"""

from __future__ import annotations

import os
import re
from collections import Counter

import polib

from pipeline.diagnostics import PipelineError
from pipeline.languages import language
from pipeline.po import catalogs
from pipeline.project.config import Config
from pipeline.project.layout import documents, glossary_path, inside, read_document, relative
from pipeline.project.lock import project_lock
from pipeline.session import Session

MIN_REPEATS = 3  # a phrase the articles use this often is a candidate term
MAX_CANDIDATES = 80
_STOP = frozenset("""a about after again all also an and any are as at be because been before
being but by can could do does during each either for from had has have how however if in
into is it its may more most much must no not of on one only or other our over should so some
such than that the their them then there these they this those through to under up very was
we were what when where which while who will with within without would you your""".split())
_MARKUP = re.compile(r"\]\([^)]*\)|[*_`\[\]()]")
_SENTENCES = re.compile(r"(?<=[.!?:;])\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")


def init(session: Session, code: str) -> str | None:
    """Write ``locales/<code>/glossary.po`` with the candidate terms; None if it exists."""
    config = session.config
    lang = language(code)
    path = inside(config, glossary_path(config, code))
    with project_lock(config.root, [config.locales_root]):
        if os.path.exists(path):
            return None
        pot = catalogs.empty_template("glossary", "Terminology base (glossary).")
        for term, note, approved in candidates(config):
            pot.append(polib.POEntry(msgid=term, msgstr="", comment=note, tcomment="",
                                     flags=[], occurrences=[]))
            pot[-1].msgstr = approved
        po = catalogs.new_catalog(pot, lang)
        po.header = (f"{lang.english_name} glossary: msgid the source term, msgstr its approved "
                     "translations separated by |,\ntranslator comment the definition, flag "
                     "'required' where a disclaimer must use an approved translation.")
        catalogs.save(po, path)
    return relative(config, path)


def candidates(config: Config) -> list[tuple[str, str, str]]:
    """(term, why it is a candidate, prefilled translation) for the project's sources."""
    texts = []
    for doc in documents(config):
        try:
            texts += [segment.msgid for segment in read_document(config, doc, inline=False).segments]
        except PipelineError:
            continue  # an unreadable source offers no terms; `check` reports it
    found: dict[str, tuple[str, str]] = {
        word: ("keep-as-is in pyproject.toml: the same in every language", word)
        for word in config.keep_as_is}
    counts = _phrases(texts)
    for term, count in counts.most_common():
        if len(found) >= MAX_CANDIDATES + len(config.keep_as_is):
            break
        if term not in found and term.casefold() not in {t.casefold() for t in found}:
            found[term] = (f"candidate: {count} occurrence(s) in the sources", "")
    return [(term, note, approved) for term, (note, approved) in found.items()]


def _phrases(texts: list[str]) -> Counter:
    """Acronyms and capitalised phrases inside sentences (once suffices), and noun phrases
    of one or two words repeated ``MIN_REPEATS`` times or more."""
    names: Counter = Counter()
    repeated: Counter = Counter()
    for text in texts:
        for sentence in _SENTENCES.split(_MARKUP.sub(" ", text)):
            words = _WORD.findall(sentence)
            names.update(_names(words))
            content = [w.casefold() if not w.isupper() else w for w in words]
            repeated.update(w for w in content if w.casefold() not in _STOP and len(w) >= 6)
            repeated.update(f"{a} {b}" for a, b in zip(content, content[1:])
                            if a.casefold() not in _STOP and b.casefold() not in _STOP
                            and len(a) > 2 and len(b) > 2)
    chosen = Counter({name: count for name, count in names.items()})
    chosen.update({phrase: count for phrase, count in repeated.items()
                   if count >= MIN_REPEATS and phrase not in chosen})
    return chosen


def _names(words: list[str]) -> list[str]:
    """Runs of capitalised words after a sentence's first word, and acronyms anywhere."""
    found, run = [], []
    for index, word in enumerate(words):
        if word.isupper() and len(word) > 1:
            found.append(word)
        capitalised = word[0].isupper() and not word.isupper() and index > 0
        if capitalised or (run and word in ("of", "and", "for")):
            run.append(word)
            continue
        found += _close(run)
        run = []
    return found + _close(run)


def _close(run: list[str]) -> list[str]:
    while run and run[-1] in ("of", "and", "for"):
        run = run[:-1]
    return [" ".join(run)] if run else []
