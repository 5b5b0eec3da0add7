"""A catalog's header against its folder: the language, and the number of plural forms."""

from __future__ import annotations

import polib

from pipeline.diagnostics import PipelineError
from pipeline.languages import Language, spelling
from pipeline.po import plurals


def check_header(po: polib.POFile, language: Language, path: str) -> None:
    """A catalog's Language and number of plural forms must be those of its folder's locale."""
    lines = getattr(po, "field_lines", {})
    declared = po.metadata.get("Language", "").strip()
    if declared and spelling(declared) != spelling(language.code):
        raise PipelineError(f"the header says 'Language: {declared}' but the catalog is in the "
                            f"folder of '{language.code}'", path=path, line=lines.get("Language"),
                            code="header-language")
    try:
        plurals.formula(po.metadata.get("Plural-Forms", ""))
    except ValueError as error:
        raise PipelineError(str(error), path=path, line=lines.get("Plural-Forms"),
                            code="header-plural-forms") from None
    declared = plurals.count(po.metadata.get("Plural-Forms", ""))
    if declared is not None and declared not in language.plural_counts:
        raise PipelineError(f"the header declares {declared} plural forms; {language.english_name} "
                            f"has {_either(language.plural_counts)} (`pipeline init` writes "
                            f"'{language.plural_forms}')", path=path,
                            line=lines.get("Plural-Forms"), code="header-plural-forms")


def _either(counts: tuple[int, ...]) -> str:
    return " or ".join(map(str, counts))
