"""The page chrome's translations (``_site.po``), checked like an article's.

Everything a translator writes reaches a page, the chrome included.  Each chrome
translation gets the article checks (links, HTML, placeholders as ``msgfmt -c``
checks ``python-format``, with no width or precision a translator could add); a
refused one is not used, the page shows the English text instead (marked with its
``lang`` and ``dir``), and the catalog's file:line says why.  The chrome's safety
texts (the disclaimer boxes' title, the footer's advice) are disclaimers: a
language whose safety texts are untranslated, fuzzy or refused has none of its
pages published.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polib

from pipeline.checks import disclaimers, quality
from pipeline.diagnostics import ERROR, Diagnostic
from pipeline.po.catalogs import is_disclaimer, key


@dataclass(frozen=True)
class Review:
    """The translations a language's chrome may use, and what was said about the others."""

    accepted: list[polib.POEntry] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    blocking: list[Diagnostic] = field(default_factory=list)  # withhold every page
    unusable: bool = False  # the catalog could not be read


def review(template: polib.POFile, po: polib.POFile | None, path: str,
           context: disclaimers.Context, options: quality.Options = quality.Options()) -> Review:
    result = Review()
    entries = {key(entry): entry for entry in po or [] if not entry.obsolete}
    for wanted in template:
        entry = entries.get(key(wanted))
        safety = is_disclaimer(wanted)
        problems = _problems(wanted, entry, safety, context, options)
        for severity, code, message in problems:
            line = entry.linenum if entry is not None else None
            if severity == ERROR and safety:
                diagnostic = Diagnostic(path, line, ERROR, code, f"the page chrome's safety text "
                                        f"{wanted.msgid[:50]!r}: {message}; every page of this "
                                        "language is withheld")
                result.blocking.append(diagnostic)
            else:
                consequence = "; the English text is shown instead" if severity == ERROR else ""
                diagnostic = Diagnostic(path, line, severity, code, f"{message}{consequence}")
            result.diagnostics.append(diagnostic)
        if entry is not None and _usable(entry) and not any(p[0] == ERROR for p in problems):
            result.accepted.append(entry)
    return result


def _usable(entry: polib.POEntry) -> bool:
    return "fuzzy" not in entry.flags and (bool(entry.msgstr.strip()) if not entry.msgid_plural
                                           else all(v.strip() for v in entry.msgstr_plural.values()))


def _problems(wanted: polib.POEntry, entry: polib.POEntry | None, safety: bool,
              context: disclaimers.Context, options: quality.Options) -> list[quality.Problem]:
    if entry is None or not _usable(entry):
        if not safety:
            return []
        state = "is not in the catalog (run `pipeline update`)" if entry is None else (
            "is fuzzy" if "fuzzy" in entry.flags else "is not translated")
        code = ("disclaimer-missing" if entry is None else
                "disclaimer-fuzzy" if "fuzzy" in entry.flags else "disclaimer-untranslated")
        return [(ERROR, code, state)]
    flags = quality.silencers(entry) + [flag for flag in wanted.flags if flag.endswith("-format")]
    if entry.msgid_plural:
        found: list[quality.Problem] = []
        for index, text in sorted(entry.msgstr_plural.items()):
            found += quality.problems(entry.msgid_plural, text, flags, options=options, plural=True)
        return found
    found = quality.problems(entry.msgid, entry.msgstr, flags, disclaimer=safety, options=options)
    if safety:
        verdict = disclaimers.review(entry.msgid, entry.msgstr, context)
        found += verdict.problems
        if verdict.unchanged:
            found.append((ERROR, "disclaimer-unchanged", "is the source text as a reader sees it"))
    return found
