"""Quality checks on one translation, like Weblate's: each a small function in a registry
(:mod:`.registry`: ordered, named, open to other packages' checks through entry points).

A check compares a msgid with its msgstr and returns problems as
``(severity, code, message)``.  Each has a name a translator can put in a flag
to silence its warnings on one entry (``#, no-link-check``); errors, the
problems that could mislead or endanger a reader (an added link, raw HTML, a
changed code span), cannot be silenced, on a disclaimer or anywhere else.  Inline Markdown is compared through the
project's own parser, so ``[text](url)`` and ``<url>`` count as the same link
they render as.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from markdown_it.token import Token

from pipeline.checks.registry import Check, Registry
from pipeline.document import Document, Segment
from pipeline.markdown import parser

ERROR, WARNING = "error", "warning"
Problem = tuple[str, str, str]


Multiset = tuple[str, ...]  # sorted: equal tuples, equal multisets


class Inline(NamedTuple):
    """What a reader cannot lose or gain in a translation, read from the inline parse
    (a tuple: made twice per segment, compared once)."""

    links: Multiset  # "link <address>" / "image <address>": a destination keeps its kind
    link_order: tuple[str, ...]  # the same, in the order a reader meets them
    code: Multiset
    html: Multiset
    emphasis: Multiset
    stray_delimiters: int
    footnotes: Multiset
    labels: Multiset
    placeholders: Multiset


_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]")
_LABEL = re.compile(r"\]\[([^\]]+)\]")
_PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdifr]|%[sdif]|\{[A-Za-z_][A-Za-z0-9_]*\}")
_DELIMITER = re.compile(r"(?<![\\\w])(\*{1,3}|_{1,3})(?=\S)|(?<=\S)(\*{1,3}|_{1,3})(?![\w])")
_LETTER = re.compile(r"[^\W\d_]")
_END = {".": ".。।۔", "?": "?؟？", "!": "!！", ":": ":：", ";": ";؛；", "…": "…"}
_ALL_ENDS = "".join(_END.values())
_TRAILING_MARKUP = "*_~`\"'”’»)]"


@lru_cache(maxsize=1 << 16)
def inline(text: str) -> Inline:
    """Parse ``text`` as inline Markdown and collect what must survive translation."""
    return inline_from(text, parser().parseInline(text, {})[0].children or [])


def inline_from(text: str, tokens: list[Token]) -> Inline:
    """:func:`inline` from the inline tokens of ``text`` found by a parse already made."""
    links: list[str] = []
    code: list[str] = []
    html: list[str] = []
    emphasis: list[str] = []
    texts = []
    for token in _flatten(tokens):
        kind = token.type
        if kind == "text":
            texts.append(token.content)
        elif kind == "link_open":
            links.append(f"link {token.attrs.get('href', '')}")
        elif kind == "image":
            links.append(f"image {token.attrs.get('src', '')}")
        elif kind == "code_inline":
            code.append(token.content)
        elif kind == "html_inline":
            html.append(token.content)
        elif kind in _EMPHASIS:
            emphasis.append(kind)
    # One search over the text tokens joined by a space, which every lookaround of
    # _DELIMITER treats as it treats the start or end of a token.
    joined = " ".join(texts)
    stray = len(_DELIMITER.findall(joined)) if "*" in joined or "_" in joined else 0
    plain = _without_code(text) if "`" in text else text
    # Each pattern's matches contain the string tested first: most texts are not searched.
    return Inline(_sorted(links), tuple(links), _sorted(code), _sorted(html), _sorted(emphasis), stray,
                  _sorted(_FOOTNOTE.findall(plain)) if "[^" in plain else (),
                  _sorted(_LABEL.findall(plain)) if "][" in plain else (),
                  _sorted(_PLACEHOLDER.findall(plain)) if "%" in plain or "{" in plain else ())


def _sorted(found: list[str]) -> Multiset:
    return tuple(sorted(found)) if found else ()


_EMPHASIS = frozenset({"em_open", "strong_open", "s_open"})


def _flatten(tokens: list[Token]) -> list[Token]:
    found: list[Token] = []
    for token in tokens:
        found.append(token)
        if token.type == "image" and token.children:
            found.extend(token.children)
    return found


def _without_code(text: str) -> str:
    return _CODE_SPAN.sub(" ", text)


_CODE_SPAN = re.compile(r"(`+)(?:(?!\1)[\s\S])*?\1")


class SourceFindings:
    """What each segment's inline markup holds in a source document, read from its tokens
    at most once however many locales are checked: the caller keeps one per document while
    it walks the locales (this is the checks' state, not the document's)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._found: dict[int, Inline] = {}

    def inline(self, segment: Segment) -> Inline | None:
        """The findings of ``segment``'s inline token (None: a front-matter value)."""
        if segment.token < 0:
            return None
        found = self._found.get(segment.token)
        if found is None:
            found = inline_from(segment.msgid, self.doc.tokens[segment.token].children or [])
            self._found[segment.token] = found
        return found


# --- the checks ---------------------------------------------------------------------------

CheckFunction = Callable[[str, str, Inline, Inline, "Options"], list[Problem]]


def _difference(source: Multiset, translation: Multiset) -> tuple[list[str], list[str]]:
    """(added, missing): what the translation has more of, and less of, than the source."""
    if source == translation:
        return [], []
    counted_source, counted_translation = Counter(source), Counter(translation)
    added = sorted((counted_translation - counted_source).elements())
    missing = sorted((counted_source - counted_translation).elements())
    return added, missing


def check_links(msgid: str, msgstr: str, src: Inline, tr: Inline, _: Options) -> list[Problem]:
    added, missing = _difference(src.links, tr.links)
    problems = []
    if added:
        problems.append((ERROR, "link-added", f"the translation has {', '.join(added)}, which the "
                         "source does not (link injection, or a link's and an image's addresses "
                         "swapped); copy the source's addresses"))
    if missing:
        problems.append((WARNING, "link-missing", f"the source has {', '.join(missing)}, "
                         "the translation does not"))
    elif not added and src.link_order != tr.link_order:
        problems.append((WARNING, "link-order", "the links come in another order than in the "
                         "source: check that each link text still goes with its address "
                         "(a sentence's word order may rightly move them)"))
    labels_added, labels_missing = _difference(src.labels, tr.labels)
    if labels_added or labels_missing:
        problems.append((ERROR, "link-label", "reference labels differ from the source "
                         f"(added {labels_added or 'none'}, missing {labels_missing or 'none'})"))
    return problems


def _verbatim(name: str, what: str, severity: str = ERROR) -> CheckFunction:
    def check(msgid: str, msgstr: str, src: Inline, tr: Inline, _: Options) -> list[Problem]:
        added, missing = _difference(getattr(src, name), getattr(tr, name))
        if not added and not missing:
            return []
        parts = [f"missing {', '.join(map(repr, missing))}" if missing else "",
                 f"not in the source {', '.join(map(repr, added))}" if added else ""]
        return [(severity, what, f"{what.replace('-', ' ')} must be copied verbatim: "
                 + "; ".join(p for p in parts if p))]
    return check


def check_html(msgid: str, msgstr: str, src: Inline, tr: Inline, _: Options) -> list[Problem]:
    added, _missing = _difference(src.html, tr.html)
    if not added:
        return []
    return [(ERROR, "raw-html", f"raw HTML in the translation: {', '.join(added)} "
             "(it is shown as text on the page); use Markdown instead")]


def check_emphasis(msgid: str, msgstr: str, src: Inline, tr: Inline, _: Options) -> list[Problem]:
    problems = []
    if tr.stray_delimiters > src.stray_delimiters:
        problems.append((WARNING, "emphasis-unbalanced",
                         "an unmatched * or _ will show on the page: close every *emphasis* and **strong**"))
    elif src.emphasis != tr.emphasis:
        problems.append((WARNING, "emphasis-count", "the translation has "
                         f"{len(tr.emphasis)} emphasized spans, the source {len(src.emphasis)}"))
    return problems


def check_unchanged(msgid: str, msgstr: str, src: Inline, tr: Inline, options: Options) -> list[Problem]:
    if msgstr.strip() != msgid.strip() or not _LETTER.search(msgid):
        return []
    words = set(re.findall(r"[^\W_]+", msgid))
    if words and words <= options.keep_as_is:
        return []
    return [(WARNING, "unchanged", "the translation is identical to the source text")]


def check_whitespace(msgid: str, msgstr: str, src: Inline, tr: Inline, _: Options) -> list[Problem]:
    lead = msgid[: len(msgid) - len(msgid.lstrip())] != msgstr[: len(msgstr) - len(msgstr.lstrip())]
    trail = msgid[len(msgid.rstrip()):] != msgstr[len(msgstr.rstrip()):]
    if lead or trail:
        return [(WARNING, "whitespace", "leading or trailing whitespace differs from the source")]
    return []


def check_punctuation(msgid: str, msgstr: str, src: Inline, tr: Inline, _: Options) -> list[Problem]:
    source_end, translation_end = _last_mark(msgid), _last_mark(msgstr)
    expected = _END.get(source_end)
    if expected and translation_end not in expected:
        return [(WARNING, "punctuation", f"the source ends with '{source_end}', the translation does not")]
    if not expected and translation_end and translation_end in _ALL_ENDS:
        return [(WARNING, "punctuation", f"the translation ends with '{translation_end}', the source does not")]
    return []


def _last_mark(text: str) -> str:
    stripped = text.rstrip().rstrip(_TRAILING_MARKUP).rstrip()
    return stripped[-1:] if stripped else ""


# The built-in checks, in the order they report; ``markup``: nothing to report when the
# source's and the translation's inline findings are equal.
BUILTIN = Registry([
    Check("link", check_links, markup=True),
    Check("code", _verbatim("code", "code-span"), markup=True),
    Check("footnote", _verbatim("footnotes", "footnote-reference"), markup=True),
    Check("placeholder", _verbatim("placeholders", "placeholder"), markup=True),
    Check("html", check_html, markup=True),
    Check("emphasis", check_emphasis, markup=True),
    Check("unchanged", check_unchanged),
    Check("whitespace", check_whitespace),
    Check("punctuation", check_punctuation),
])


@dataclass(frozen=True, slots=True)
class Options:
    """What the checks take from the project: words an unchanged translation may consist
    of, and the checks to run (the built-in ones, plus installed ones: see :mod:`.registry`)."""

    keep_as_is: frozenset[str] = frozenset()
    checks: tuple[Check, ...] = tuple(BUILTIN)


# A translation longer than this many times its source's length (a short source counts as
# MIN_LENGTH characters) is refused before it is parsed or compared: no real translation
# comes near (measured on the shipped catalogs, 2026-12-02: at most 1.76 times, in French;
# German 1.67, Arabic 1.26), and work on an adversarial one stays bounded.
MAX_RATIO = 10
MIN_LENGTH = 30
SHORTEST_LIMIT = MAX_RATIO * MIN_LENGTH  # a translation this long or shorter is within its limit


def too_long(msgid: str, msgstr: str) -> Problem | None:
    """The ``too-long`` error of a translation past the length limit, else None."""
    limit = MAX_RATIO * max(len(msgid), MIN_LENGTH)
    if len(msgstr) <= limit:
        return None
    return (ERROR, "too-long", f"the translation has {len(msgstr):,} characters, more than "
            f"{MAX_RATIO} times its source's ({len(msgid):,}; limit {limit:,}): it is not read")


_SILENCER = re.compile(r"\bno-[a-z]+-check\b")


def silencers(entry) -> list[str]:
    """The ``no-<name>-check`` markers of a catalog entry: in its flags (``#, no-link-check``),
    or in a translator comment (``# no-link-check: why``), which, unlike an unknown flag,
    survives msgcat, msgmerge and every PO editor."""
    return [*entry.flags, *_SILENCER.findall(entry.tcomment or "")]


# A printf-style conversion as Python's % operator reads it (gettext's python-format).
_FORMAT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?[diouxXeEfFgGcrsa%]")


def python_format(msgid: str, msgstr: str, plural: bool = False) -> list[Problem]:
    """As ``msgfmt -c`` checks a python-format entry, and stricter: every conversion of the
    translation must be one of the source's, written the same (a renamed placeholder would
    raise at run time, a width such as ``%(date)99999999s`` would write 100 MB); each of
    the source's must be there, except in a plural form, which may leave the number out."""
    source = Counter(spec for spec in _FORMAT_SPEC.findall(msgid) if spec != "%%")
    translation = Counter(spec for spec in _FORMAT_SPEC.findall(msgstr) if spec != "%%")
    added, missing = translation - source, source - translation
    found = []
    if added:
        found.append((ERROR, "placeholder", f"{', '.join(sorted(added))} is not in the source: "
                      f"copy its placeholders exactly ({', '.join(sorted(source)) or 'none'})"))
    if missing and not plural:
        found.append((ERROR, "placeholder", f"{', '.join(sorted(missing))} of the source is missing"))
    return found


def problems(msgid: str, msgstr: str, flags: list[str], *, disclaimer: bool = False,
             options: Options = Options(), source: Inline | None = None,
             translation: Inline | None = None, plural: bool = False) -> list[Problem]:
    """Every problem of one translation, minus the warnings its flags silence (``no-<name>-check``).

    ``source``/``translation``: their :class:`Inline` read from parses already made
    (of the source and of the localized page), which spares parsing them again.
    ``plural``: ``msgstr`` is one plural form (it may leave out the count).
    """
    limit = too_long(msgid, msgstr) if len(msgstr) > SHORTEST_LIMIT else None
    if limit is not None:
        return [limit]
    src = inline(msgid) if source is None else source
    tr = inline(msgstr) if translation is None else translation
    formatted = "python-format" in flags
    found = python_format(msgid, msgstr, plural) if formatted else []
    same_markup = src == tr
    for check in options.checks:
        if (same_markup and check.markup) or (formatted and check.name == "placeholder"):
            continue
        silenced = f"no-{check.name}-check" in flags
        for severity, code, message in check.function(msgid, msgstr, src, tr, options):
            if not (silenced and severity == WARNING):
                found.append((severity, code, message))
    return found
