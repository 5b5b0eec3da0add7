"""The page chrome: strings of the HTML templates, extracted with Babel's Jinja2 support.

They live in their own catalog (domain ``_site``), so translators take the
site's interface apart from the articles.  A language's :class:`Chrome` is made
once per run by the :class:`~pipeline.session.Session` from the checked catalog:
``babel.support.Translations`` (plural forms chosen by the rule of the catalog's
header) installed in a Jinja2 environment through its i18n extension.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable

import jinja2
import jinja2.bccache
import polib
from babel.messages.extract import extract_from_file
from babel.support import NullTranslations, Translations
from jinja2.ext import babel_extract
from markupsafe import Markup, escape

from pipeline.po.catalogs import empty_template
from pipeline.po.plurals import count as plural_count
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


class SourceLanguage(NullTranslations):
    """The fallback of a language's translations: a string without an accepted translation,
    shown in the source language and wrapped in ``<span lang dir>`` so that a reader's
    browser and screen reader read it as what it is."""

    def __init__(self, language: Language) -> None:
        super().__init__()
        self.language = language

    def gettext(self, message: str) -> str:
        return self._marked(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:  # type: ignore[override]
        return self._marked(singular if n == 1 else plural)

    def pgettext(self, context: str, message: str) -> str:
        return self._marked(message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:  # type: ignore[override]
        return self._marked(singular if n == 1 else plural)

    def _marked(self, text: str) -> Markup:
        return Markup('<span lang="{}" dir="{}">{}</span>').format(
            self.language.tag, self.language.direction, text)


class Chrome:
    """One language's page chrome: its translations (``babel.support.Translations`` built
    from the checked catalog, with :class:`SourceLanguage` as their fallback) installed in
    a Jinja2 environment of the page templates through Jinja2's i18n extension.

    Every string comes out HTML-escaped (``Markup``): a translation is text, never markup,
    whatever a template does with it; where a template needs plain text (an attribute,
    ``<title>``) it strips the fallback's tags (``|striptags``).  Strings are formatted
    only where a template formats them (``|format``), as the catalog's ``python-format``
    flags say, which ``msgfmt --check`` and :mod:`pipeline.checks.chrome` verify."""

    def __init__(self, translations: NullTranslations) -> None:
        self.translations = translations
        self.environment = _environment()
        self.environment.install_gettext_translations(self, newstyle=False)

    def gettext(self, message: str) -> Markup:
        return escape(self.translations.gettext(message))

    def ngettext(self, singular: str, plural: str, n: int) -> Markup:
        return escape(self.translations.ngettext(singular, plural, n))

    def pgettext(self, context: str, message: str) -> Markup:
        return escape(self.translations.pgettext(context, message))

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> Markup:
        return escape(self.translations.npgettext(context, singular, plural, n))

    def render(self, name: str, **context: object) -> str:
        """The template ``name`` of ``templates/``, rendered in this chrome's language."""
        return self.environment.get_template(name).render(**context)


def chrome(po: polib.POFile | None, accepted: list[polib.POEntry],
           fallback: Language | None) -> Chrome:
    """The :class:`Chrome` of a catalog's ``accepted`` entries (those the checks let
    through), with its header's plural rule; ``fallback`` is the source language, shown
    for every other string (None: the source language's own chrome, shown as written)."""
    if fallback is None:
        return Chrome(NullTranslations())
    translations = Translations(io.BytesIO(_mo(po, accepted)), domain=DOMAIN)
    translations.add_fallback(SourceLanguage(fallback))
    return Chrome(translations)


def _mo(po: polib.POFile | None, accepted: list[polib.POEntry]) -> bytes:
    """The ``.mo`` bytes of ``accepted``, as ``msgfmt`` would compile them: UTF-8, and the
    header's ``Plural-Forms`` written in the order Python's gettext reads it."""
    compiled = polib.POFile(encoding="utf-8")
    compiled.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    declared = po.metadata.get("Plural-Forms", "") if po is not None else ""
    expression = declared.partition("plural=")[2].strip().rstrip(";").strip()
    if expression:
        compiled.metadata["Plural-Forms"] = f"nplurals={plural_count(declared)}; plural={expression};"
    for entry in accepted:
        compiled.append(entry)
    return compiled.to_binary()


class _Compiled(jinja2.BytecodeCache):
    """The page templates compiled once per process and shared by every language's
    environment.  A pure function of the template's source: an entry is used only while
    the source's checksum matches (Jinja2 checks it), so an edited template is compiled
    again, as ``pipeline serve`` needs."""

    def __init__(self) -> None:
        self._codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._codes[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _Compiled()


def _environment() -> jinja2.Environment:
    """A Jinja2 environment of the page templates, with the options the extraction uses.
    It lives one run (a Session's), so it need not look for edited templates at every page
    (``auto_reload``): ``pipeline serve`` starts a new run for every rebuild."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        auto_reload=False,
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_COMPILED,
    )
