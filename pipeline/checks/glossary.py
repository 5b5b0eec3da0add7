"""Terminology: does each translation render the glossary's terms with an approved translation?

A translated segment whose source holds a glossary term but whose translation uses none
of the term's approved forms is a ``glossary`` warning (silenced by ``no-glossary-check``);
in a medical disclaimer, for a term marked ``required``, it is an error, and the gate
withholds the page: a safety warning must name the drug or the condition the way the
glossary says.
"""

from __future__ import annotations

import polib

from pipeline.checks import quality
from pipeline.diagnostics import ERROR, WARNING, Diagnostic
from pipeline.po.glossary import Glossary, Term
from pipeline.segments import Document


def review(doc: Document, translations: dict[tuple[str | None, str], str], entries: dict,
           glossary: Glossary, code: str, catalog_path: str, source_path: str) -> list[Diagnostic]:
    """A diagnostic per translated entry and term it does not render (each entry once)."""
    found: list[Diagnostic] = []
    if not glossary.terms:
        return found
    seen: set[tuple[str | None, str]] = set()
    for segment in doc.segments:
        key = (segment.msgctxt, segment.msgid)
        if key in seen or key not in translations:
            continue
        seen.add(key)
        entry = entries[key]
        for term in glossary.relevant(segment.msgid):
            if term.rendered_in(translations[key], code) or term.quoted_in(segment.msgid, translations[key]):
                continue
            error = segment.disclaimer and term.required
            if not error and "no-glossary-check" in quality.silencers(entry):
                continue
            found.append(_diagnostic(term, entry, glossary, error, segment.disclaimer,
                                     catalog_path, f"{source_path}:{segment.line}"))
    return found


def _diagnostic(term: Term, entry: polib.POEntry, glossary: Glossary, error: bool,
                disclaimer: bool, catalog_path: str, source: str) -> Diagnostic:
    approved = " | ".join(term.approved)
    where = "medical disclaimer" if disclaimer else "translation"
    consequence = "; page withheld (a required term)" if error else ""
    return Diagnostic(catalog_path, entry.linenum, ERROR if error else WARNING, "glossary",
                      f"the {where} (source {source}) does not use an approved translation of "
                      f"'{term.source}' ({approved}; {glossary.path}:{term.line}){consequence}")
