"""The page chrome: strings of the HTML templates, extracted with Babel's Jinja2 support.

They live in their own catalog (domain ``_site``), so translators take the
site's interface apart from the articles, and a page's chrome is looked up
through :class:`Chrome` with the plural rule of the catalog's header.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import polib
from markupsafe import Markup
from babel.messages.extract import extract_from_file
from jinja2.ext import babel_extract

from pipeline.po.catalogs import empty_template
from pipeline.po.plurals import formula as plural_formula
from pipeline.languages import Language
from pipeline.segments import DISCLAIMER_NOTE

DOMAIN = "_site"
TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
# A "Translators: MEDICAL DISCLAIMER" comment in a template marks a safety text of the chrome:
# like an article's disclaimer, a language's pages are withheld until it is translated.
SAFETY_MARK = "MEDICAL DISCLAIMER"


def template() -> polib.POFile:
    """The ``_site.pot``: every translatable string of the page templates, in file order."""
    pot = empty_template(DOMAIN, "Translations template for the site's page chrome (HTML templates).")
    seen: dict[tuple[str, str | None], polib.POEntry] = {}
    for name, method, path in _sources():
        for line, message, comments, context in extract_from_file(
                method, path, keywords=KEYWORDS, comment_tags=("Translators:",),
                options={"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                         "lstrip_blocks": "true"}):
            singular, plural = (message if isinstance(message, tuple) else (message, None))
            entry = seen.get((singular, plural))
            if entry is None:
                entry = polib.POEntry(msgid=singular, msgid_plural=plural or "",
                                      msgstr="" if plural is None else "",
                                      msgstr_plural={0: "", 1: ""} if plural else {})
                if "%(" in singular:
                    entry.flags.append("python-format")
                seen[(singular, plural)] = entry
                pot.append(entry)
            entry.occurrences.append((name, str(line)))
            for comment in comments:
                comment = comment.removeprefix("Translators:").strip()
                if comment.startswith(SAFETY_MARK):  # the same note as an article's warnings
                    comment = DISCLAIMER_NOTE + comment[len(SAFETY_MARK):]
                entry.comment = "\n".join(filter(None, [entry.comment, comment]))
    return pot


def _sources() -> list[tuple[str, str | Callable, str]]:
    """(reference name, Babel method, path): the page templates, and render.py's own strings."""
    here = os.path.dirname(__file__)
    # Jinja2's extractor passed as a function: Babel finds the "jinja2" method name only through
    # entry points, which installers without setuptools' pkg_resources leave unreadable to old Babels.
    found = [(f"pipeline/site/templates/{name}", babel_extract, os.path.join(TEMPLATES, name))
             for name in sorted(os.listdir(TEMPLATES)) if name.endswith((".html", ".xml"))]
    found.append(("pipeline/site/render.py", "python", os.path.join(here, "render.py")))
    return found


@dataclass(frozen=True)
class Chrome:
    """gettext / ngettext over one language's accepted chrome translations.

    A string without an accepted translation is shown in the source language, wrapped in
    ``<span lang dir>`` (``fallback``) so that a reader's browser and screen reader read it
    as what it is; where a template needs plain text (an attribute, ``<title>``) it strips
    the tags (``|striptags``)."""

    messages: dict = field(default_factory=dict)
    plurals: dict = field(default_factory=dict)
    plural_index: Callable[[int], int] | None = None
    fallback: Language | None = None

    def gettext(self, message: str) -> str:
        found = self.messages.get(message)
        return found if found is not None else self._shown_as_source(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        forms = self.plurals.get(singular)
        if forms and self.plural_index is not None:
            index = self.plural_index(n)
            if forms.get(index):
                return forms[index]
        return self._shown_as_source(singular if n == 1 else plural)

    def _shown_as_source(self, text: str) -> str:
        if self.fallback is None:
            return text
        return Markup('<span lang="{}" dir="{}">{}</span>').format(
            self.fallback.tag, self.fallback.direction, text)


def chrome(entries: list[polib.POEntry], plural_forms: str, fallback: Language | None) -> Chrome:
    """The :class:`Chrome` of the accepted entries of a catalog whose header gives
    ``plural_forms``; ``fallback`` is the source language, for strings not translated."""
    messages, plurals = {}, {}
    for entry in entries:
        if entry.msgid_plural:
            plurals[entry.msgid] = {int(k): v for k, v in entry.msgstr_plural.items()}
        else:
            messages[entry.msgid] = entry.msgstr
    return Chrome(messages, plurals, plural_formula(plural_forms), fallback)
