"""Plural forms a catalog header may declare, stable across Babel releases.

Two authorities disagree for some languages, and translators' tools follow either:

* GNU gettext's table (the manual's node "Plural forms"), which ``msginit``,
  Poedit and Weblate write: Spanish, French, Italian, Portuguese, Catalan have 2 forms;
* CLDR, as shipped in the installed Babel: from Babel 2.19 (CLDR 46+) those same
  languages have 3 (a ``many`` form for 1,000,000 and other large round numbers).

A header is accepted when its number of forms matches either, so that no Babel
release can turn a catalog that ``msgfmt --check`` accepts into an outage.
``pipeline init`` writes gettext's choice where gettext knows the language (what
the translator's own tools write, and unchanged by Babel upgrades), else CLDR's.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable

from babel import Locale
from babel.messages.plurals import get_plural

# GNU gettext's plural formulas, by language (the manual, node "Plural forms"; the same
# table msginit uses).  Languages gettext does not list (Arabic, for one) take CLDR's.
_ONE_FORM = "nplurals=1; plural=0;"
_NOT_ONE = "nplurals=2; plural=(n != 1);"
_ABOVE_ONE = "nplurals=2; plural=(n > 1);"
_EAST_SLAVIC = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
                "(n%100<10 || n%100>=20) ? 1 : 2);")
_CZECH = "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"
GETTEXT_PLURAL_FORMS: dict[str, str] = {
    **dict.fromkeys(("ja", "vi", "ko"), _ONE_FORM),
    **dict.fromkeys(("en", "de", "nl", "sv", "da", "no", "nb", "nn", "fo", "es", "pt", "it",
                     "bg", "el", "fi", "et", "he", "eo", "hu", "tr", "ca"), _NOT_ONE),
    **dict.fromkeys(("pt_BR", "fr"), _ABOVE_ONE),
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "ga": "nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;",
    "ro": "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;",
    "lt": ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
           "(n%100<10 || n%100>=20) ? 1 : 2);"),
    **dict.fromkeys(("ru", "uk", "be", "sr", "hr"), _EAST_SLAVIC),
    **dict.fromkeys(("cs", "sk"), _CZECH),
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "sl": "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
}

_COUNT = re.compile(r"nplurals\s*=\s*(\d+)")


def count(plural_forms: str) -> int | None:
    """The ``nplurals`` of a ``Plural-Forms`` value, or None if it has none."""
    match = _COUNT.search(plural_forms)
    return int(match.group(1)) if match else None


def formula(plural_forms: str) -> Callable[[int], int] | None:
    """The plural index function of a ``Plural-Forms`` value (None if it has no formula);
    a formula gettext could not read is a ValueError.  It checks a catalog's header
    (:func:`pipeline.po.header.check_header`) with the parser Python's own
    ``gettext.GNUTranslations`` applies to that header; pages choose their plural forms
    through ``GNUTranslations`` itself (:mod:`pipeline.site.chrome`)."""
    expression = plural_forms.partition("plural=")[2].strip().rstrip(";").strip()
    if not expression:
        return None
    try:
        return gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError) as error:
        raise ValueError(f"the plural formula {expression!r} cannot be read: {error}") from None


def gettext_forms(locale: Locale) -> str | None:
    """GNU gettext's ``Plural-Forms`` for ``locale`` (territory first), or None."""
    return GETTEXT_PLURAL_FORMS.get(str(locale)) or GETTEXT_PLURAL_FORMS.get(locale.language)


def cldr_forms(locale: Locale) -> str:
    """The installed Babel's (CLDR's) ``Plural-Forms`` for ``locale``."""
    plural = get_plural(locale)
    return f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"


def accepted_counts(gettext: str | None, cldr: str) -> tuple[int, ...]:
    """The numbers of plural forms a header may declare: gettext's and CLDR's, in that order."""
    counts = [count(value) for value in (gettext, cldr) if value]
    return tuple(dict.fromkeys(n for n in counts if n is not None))
