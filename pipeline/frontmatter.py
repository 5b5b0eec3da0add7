"""Translatable front-matter fields: where a YAML value lies, and how to write it back.

Values are located with PyYAML's composer (which knows each scalar's exact span
and quoting style) and replaced in place, so key order, comments, quoting and
the untranslated fields stay byte-identical, which the peers' re-serialising
approach does not do.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from pipeline.diagnostics import PipelineError


# libyaml's loader when PyYAML was built with it: the same documents, ten times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Field:
    """One translatable scalar: its key, value, span in the YAML text, style and line."""

    key: str
    value: str
    start: int
    end: int
    style: str  # "" plain, '"', "'", "|" or ">"
    line: int  # 0-based line within the YAML text


def fields(yaml_text: str, keys: tuple[str, ...]) -> list[Field]:
    """The top-level string values of ``keys``, in document order.  Aliases are refused: a
    few hundred bytes of nested aliases expand to gigabytes ("billion laughs")."""
    if "*" in yaml_text and any(isinstance(event, yaml.AliasEvent)
                                for event in _events(yaml_text)):
        raise PipelineError("YAML aliases (*name) are not allowed in front matter: write the "
                            "value out", line=0, code="front-matter")
    try:
        root = yaml.compose(yaml_text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        # the construct that is broken (an unclosed [ or {) is where to look, if YAML says
        mark = error.context_mark or error.problem_mark
        line = mark.line if mark else 0
        detail = f"{error.context + ': ' if error.context else ''}{error.problem or error}"
        raise PipelineError(f"invalid YAML front matter: {detail}", line=line,
                            code="front-matter") from None
    except yaml.YAMLError as error:
        raise PipelineError(f"invalid YAML front matter: {error}", line=0,
                            code="front-matter") from None
    try:
        load(yaml_text)  # what YAML composes it may still not construct ("date: 2026-02-30")
    except yaml.YAMLError as error:
        raise PipelineError(f"invalid YAML front matter: {error}", line=0,
                            code="front-matter") from None
    if not isinstance(root, yaml.MappingNode):
        return []  # no keys, nothing to translate
    found = []
    for key_node, value_node in root.value:
        if not (isinstance(key_node, yaml.ScalarNode) and key_node.value in keys):
            continue
        if not isinstance(value_node, yaml.ScalarNode) or value_node.tag != "tag:yaml.org,2002:str":
            continue
        if not value_node.value.strip():
            continue
        start, end = value_node.start_mark.index, value_node.end_mark.index
        style = value_node.style or ""
        if style in ("|", ">"):
            end = start + len(yaml_text[start:end].rstrip("\n"))
        found.append(Field(key_node.value, value_node.value.strip(), start, end, style,
                           value_node.start_mark.line))
    return found


@lru_cache(maxsize=256)
def _events(yaml_text: str):  # type: ignore[no-untyped-def]
    try:
        yield from yaml.parse(yaml_text, Loader=_LOADER)
    except yaml.YAMLError:
        return  # reported, with its line, by the composition that follows


def load(yaml_text: str) -> object:
    """The data of ``yaml_text`` (safe tags only), cached: a page's front matter is read
    by the merge's check, the page's metadata and its template.  Do not mutate the result."""
    try:
        return yaml.load(yaml_text, Loader=_LOADER)
    except (ValueError, TypeError, OverflowError) as error:  # "date: 2026-02-30"
        raise yaml.YAMLError(f"a value YAML cannot read: {error}") from None


def quote(text: str, style: str) -> str:
    """``text`` as a YAML scalar in ``style`` where it can be, else double-quoted.

    The result always parses back to exactly ``text`` and stays on one line.
    """
    if style == "'" and "\n" not in text and text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    if style == "" and _plain_is_safe(text):
        return text
    return _double_quoted(text)


def _plain_is_safe(text: str) -> bool:
    if not text or text != text.strip() or "\n" in text or not text.isprintable():
        return False
    try:
        return yaml.load(f"k: {text}\n", Loader=_LOADER) == {"k": text}
    except yaml.YAMLError:
        return False


_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")


def _double_quoted(text: str) -> str:
    # JSON string syntax is a subset of YAML's double-quoted style; the characters
    # YAML refuses or folds (DEL, C1 controls, NEL, line/paragraph separators, BOM)
    # are written as escapes so the value reads back exactly.
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))
