"""What Babel knows about a language: validated code, names, direction, plural forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from pipeline.po import plurals
from pipeline.diagnostics import PipelineError

_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True, slots=True)
class Language:
    """A locale the site is published in, as a page template needs it."""

    code: str  # as configured, e.g. "es" or "pt_BR"
    tag: str  # BCP 47 for HTML lang/hreflang, e.g. "pt-BR"
    english_name: str
    native_name: str  # for the language switcher: "Español", "العربية"
    direction: str  # "ltr" or "rtl"
    plural_forms: str  # the header value `init` writes: GNU gettext's, else CLDR's
    plural_counts: tuple[int, ...]  # the nplurals a header may declare (gettext's, CLDR's)
    locale: Locale

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Sent to and from worker processes as its code: pickling the Babel Locale
        # would copy its CLDR data (about 130 kB) with every page.
        return (language, (self.code,))


# Pseudo-locales (as Android and Chromium name them): accented English, and right-to-left.
PSEUDO = {"en_XA": "en", "ar_XB": "ar"}


def is_pseudo(code: str) -> bool:
    """A pseudo-locale: its text is the source language in disguise, on purpose."""
    return code.replace("-", "_") in PSEUDO


@lru_cache(maxsize=None)
def language(code: str) -> Language:
    """The :class:`Language` for ``code``; an unknown or malformed code is a PipelineError."""
    if not isinstance(code, str) or not _CODE.match(code):
        raise PipelineError(f"malformed locale code {code!r} (expected e.g. 'es', 'pt_BR')",
                            code="unknown-locale")
    base = PSEUDO.get(code.replace("-", "_"))
    if base is not None:
        real = language(base)
        return Language(code=code, tag=code.replace("_", "-"),
                        english_name=f"Pseudo-{real.english_name} ({code})",
                        native_name=f"[{real.native_name} ({code})]", direction=real.direction,
                        plural_forms=real.plural_forms, plural_counts=real.plural_counts,
                        locale=real.locale)
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as error:
        raise PipelineError(f"unknown locale code {code!r}: {error}", code="unknown-locale") from None
    gettext, cldr = plurals.gettext_forms(locale), plurals.cldr_forms(locale)
    native = locale.get_display_name(locale) or code
    return Language(
        code=code,
        tag=str(locale).replace("_", "-"),
        english_name=locale.get_display_name("en") or code,
        native_name=native[:1].upper() + native[1:],
        direction=locale.text_direction,
        plural_forms=gettext or cldr,
        plural_counts=plurals.accepted_counts(gettext, cldr),
        locale=locale,
    )


def spelling(code: str) -> str:
    """One key for every spelling of a locale code (``pt-BR``, ``pt_BR``, ``PT_br``)."""
    return code.replace("-", "_").lower()
