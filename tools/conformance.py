"""Round trips of the CommonMark and GFM spec examples, judged by stock markdown-it-py.

Each example is extracted, translated and merged back with the project's code
(:mod:`pipeline`), and the localized Markdown's HTML is compared with the source's.
Both are rendered by :func:`stock`, markdown-it-py's CommonMark with the GFM
tables and strikethrough and nothing of the project's (no plugins, no position
recording, no shortcuts), so that a fault of the project's parser cannot hide itself
by turning up on both sides (``extensions=True`` adds mdit-py-plugins' front matter,
footnotes and containers, for documents in the project's format rather than a spec's):

* ``identity`` (translation = msgid): the same HTML once every whitespace run
  outside ``<pre>…</pre>`` is one space;
* ``pseudo`` (translation = :func:`pipeline.pseudo.pseudolocalize` of the msgid):
  the same element tree (tags, nesting, attributes; ``alt`` and ``title`` values
  aside), and every text node that is prose in the source changed.

Either fails, too, if the merge rejects a translation (it would then show the
source text), or if anything raises.

Prose is any text with a letter that stock markdown-it's ``text`` inline rule
consumed in the source document (link texts and image descriptions included; code,
raw HTML, entities, escapes and placeholders such as ``%(name)s`` are not prose).

The spec examples are judged without extensions, as the specs read them.  Where the
project's extensions read an example otherwise and leave text untranslated (a spec
example that starts with ``---`` lines is front matter to the project, a thematic
break and a setext heading to CommonMark), the example fails, and is listed with its
reason in ``tests/markdown/test_conformance.py``, instead of the judge taking the project's side.

``python tools/conformance.py [--fixtures PATH]`` prints a per-section pass table;
``tests/markdown/test_conformance.py`` runs the same checks per example.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from pipeline.merge import localize_document
from pipeline.pseudo import OBSERVER, PLACEHOLDER, observing, pseudolocalize
from pipeline.segments import Segment, read

SPECS = ("commonmark", "gfm")
FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "spec"
TRANSLATIONS: dict[str, Callable[[Segment], str]] = {
    "identity": lambda segment: segment.msgid,
    "pseudo": lambda segment: pseudolocalize(segment.msgid),
}

Check = Callable[[str], "str | None"]


def load_examples(spec: str, fixtures: Path = FIXTURES) -> list[dict]:
    """The examples of ``<fixtures>/<spec>.json`` (example, section, markdown, html)."""
    return json.loads((fixtures / f"{spec}.json").read_text(encoding="utf-8"))


def new_stock(extensions: bool = False) -> MarkdownIt:
    """The judge: markdown-it-py's CommonMark with GFM tables and strikethrough, as shipped.

    ``extensions``: with the project's other syntax too (front matter, footnotes,
    ``::: disclaimer`` containers), as mdit-py-plugins ships it; for documents written
    in the project's format rather than taken from a spec.  A new parser each time;
    :func:`stock` is the shared one.
    """
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    if extensions:
        md.use(front_matter_plugin).use(footnote_plugin).use(container_plugin, name="disclaimer")
    return md


stock = cache(new_stock)


def render(markdown: str, extensions: bool = False) -> str:
    """HTML of ``markdown`` rendered by :func:`stock`."""
    return stock(extensions).render(markdown)


def localized(markdown: str, name: str) -> tuple[str, list[str]]:
    """The example localized with translation ``name``, and why any segment was rejected."""
    text, rejected = localize_document(read(markdown), TRANSLATIONS[name])
    return text, [f"line {r.segment.line}: {r.reason}" for r in rejected]


# --- identity -------------------------------------------------------------------

_PRE = re.compile(r"(<pre[\s>].*?</pre>)", re.DOTALL)


def collapse_whitespace(html: str) -> str:
    """Every whitespace run outside ``<pre>…</pre>`` as one space."""
    parts = _PRE.split(html)
    return "".join(part if i % 2 else re.sub(r"\s+", " ", part) for i, part in enumerate(parts))


def check_identity(markdown: str, extensions: bool = False) -> str | None:
    """None if the identity round trip renders the same HTML (by ``stock(extensions)``),
    else what went wrong."""
    text, rejected = localized(markdown, "identity")
    if rejected:
        return "rejected " + "; ".join(rejected)
    expected = collapse_whitespace(render(markdown, extensions))
    actual = collapse_whitespace(render(text, extensions))
    if expected == actual:
        return None
    at = _first_difference(expected, actual)
    return f"HTML differs at {at}: {expected[at:at + 40]!r} became {actual[at:at + 40]!r}"


def _first_difference(expected: Sequence, actual: Sequence) -> int:
    """Where two sequences first differ (the shorter one's length if one is a prefix)."""
    return next((i for i, (a, b) in enumerate(zip(expected, actual)) if a != b),
                min(len(expected), len(actual)))


# --- pseudo ---------------------------------------------------------------------

Event = tuple  # ("start", tag, attrs) | ("end", tag) | ("text", data) | ("comment", data) | …
_KEEP_VALUES = {"alt", "title"}


class _Events(HTMLParser):
    """HTML as its flat event sequence: the element tree with its nesting, in document order.

    Adjacent text is one event, and whitespace runs outside ``<pre>`` are one space.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[Event] = []
        self.pre = 0

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.events.append(("start", tag, tuple(attrs)))
        self.pre += tag == "pre"

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        self.events.append(("end", tag))
        self.pre -= tag == "pre" and self.pre > 0

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self.events and self.events[-1][0] == "text":
            data = self.events.pop()[1] + data
        self.events.append(("text", data if self.pre else re.sub(r"\s+", " ", data)))

    def parse_comment(self, i, report=1):  # type: ignore[no-untyped-def]
        # HTML (and CommonMark 0.31) end a comment at the ">" of "<!-->" and "<!--->";
        # Python before 3.13 reads on to the next "-->".
        for empty in ("<!-->", "<!--->"):
            if self.rawdata.startswith(empty, i):
                if report:
                    self.handle_comment("")
                return i + len(empty)
        return super().parse_comment(i, report)

    def handle_comment(self, data):  # type: ignore[no-untyped-def]
        self.events.append(("comment", data))

    def handle_decl(self, decl):  # type: ignore[no-untyped-def]
        self.events.append(("decl", decl))

    def handle_pi(self, data):  # type: ignore[no-untyped-def]
        self.events.append(("pi", data))

    def unknown_decl(self, data):  # type: ignore[no-untyped-def]
        self.events.append(("unknown_decl", data))


def html_events(html: str) -> list[Event]:
    """The event sequence of ``html`` (see :class:`_Events`)."""
    events = _Events()
    events.feed(html)
    events.close()
    return events.events


def element_tree(events: Iterable[Event]) -> list[Event]:
    """The events with text left out and ``alt``/``title`` values blanked: what must not change."""
    shape: list[Event] = []
    for event in events:
        if event[0] == "text":
            shape.append(("text",))
        elif event[0] == "start":
            shape.append(("start", event[1], tuple(
                (name, None if name in _KEEP_VALUES else value) for name, value in event[2])))
        else:
            shape.append(event)
    return shape


PROSE = "\ue000"
"""Put before each piece of prose by :func:`prose_html`; a private-use character, rendered as is."""


@cache
def _observing_stock(extensions: bool) -> MarkdownIt:
    return new_stock(extensions).use(observing)


def prose_html(markdown: str, extensions: bool = False) -> str:
    """The source's HTML (by ``stock(extensions)``) with :data:`PROSE` before each piece
    of prose."""
    md = _observing_stock(extensions)
    env: dict = {OBSERVER: _mark_prose}
    tokens = md.parse(markdown, env)
    return md.renderer.render(tokens, md.options, env)


def _mark_prose(rule: str, state: StateInline, start: int, _first: int) -> None:
    if rule != "text":
        return
    placeholders = state.env.setdefault("conformance_placeholders", {})
    if state.src not in placeholders:
        placeholders[state.src] = {i for match in PLACEHOLDER.finditer(state.src)
                                   for i in range(match.start(), match.end())}
    text = state.src[start:state.pos]
    if any(ch.isalpha() and i not in placeholders[state.src] for i, ch in enumerate(text, start)):
        # before the text, not after: the newline rule reads trailing spaces from pending
        state.pending = state.pending[:-len(text)] + PROSE + text


def check_pseudo(markdown: str, extensions: bool = False) -> str | None:
    """None if the pseudo round trip keeps the element tree and changes all prose (as
    ``stock(extensions)`` renders it)."""
    text, rejected = localized(markdown, "pseudo")
    if rejected:
        return "rejected " + "; ".join(rejected)
    source = html_events(render(markdown, extensions))
    result = html_events(render(text, extensions))
    marked = html_events(prose_html(markdown, extensions))
    expected, actual = element_tree(source), element_tree(result)
    if expected != actual:
        at = _first_difference(expected, actual)
        found = actual[at] if at < len(actual) else "the end"
        wanted = expected[at] if at < len(expected) else "the end"
        return f"element tree differs at event {at}: {wanted} became {found}"
    if element_tree(marked) != expected:
        return "marking the prose changed the element tree (a bug in prose_html)"
    for before, after, mark in zip(source, result, marked):
        if mark[0] == "text" and PROSE in mark[1] and before[1] == after[1]:
            return f"prose not pseudo-localized: {before[1]!r}"
    return None


CHECKS: dict[str, Check] = {"identity": check_identity, "pseudo": check_pseudo}


def run_check(check: Check, markdown: str) -> str | None:
    """The check's verdict, with an exception reported as a failure instead of raised."""
    try:
        return check(markdown)
    except Exception as error:  # noqa: BLE001 - a crash is a failed example, reported as such
        return f"raised {type(error).__name__}: {error}"


# --- the table ------------------------------------------------------------------

def section_table(examples: list[dict]) -> tuple[list[tuple[str, int, dict[str, int]]],
                                                 dict[str, list[tuple[int, str]]]]:
    """Per section: (name, examples, passes per translation); and per translation the
    failing examples, as (number, reason)."""
    rows: dict[str, Counter] = {}
    failing: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for example in examples:
        row = rows.setdefault(example["section"], Counter())
        row["examples"] += 1
        for name, check in CHECKS.items():
            reason = run_check(check, example["markdown"])
            if reason is None:
                row[name] += 1
            else:
                failing[name].append((example["example"], reason))
    return ([(section, row["examples"], {name: row[name] for name in CHECKS})
             for section, row in rows.items()], failing)


def _percent(passed: int, total: int) -> str:
    return f"{passed}/{total} {100 * passed / total if total else 100:5.1f}%"


def report(spec: str, examples: list[dict]) -> str:
    rows, failing = section_table(examples)
    width = min(44, max([len("section"), *(len(section) for section, _, _ in rows)]))
    lines = [f"{spec} ({len(examples)} examples)",
             f"  {'section':<{width}}  {'identity':>16}  {'pseudo':>16}"]
    for section, count, passes in rows:
        name = section if len(section) <= width else section[:width - 1] + "…"
        lines.append(f"  {name:<{width}}  {_percent(passes['identity'], count):>16}"
                     f"  {_percent(passes['pseudo'], count):>16}")
    totals = {name: len(examples) - len(failing[name]) for name in CHECKS}
    lines.append(f"  {'total':<{width}}  {_percent(totals['identity'], len(examples)):>16}"
                 f"  {_percent(totals['pseudo'], len(examples)):>16}")
    for name in CHECKS:
        for number, reason in failing[name]:
            lines.append(f"  {name} fails example {number}: {reason[:100]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(
        prog="python tools/conformance.py",
        description="Identity and pseudo round trips of the CommonMark and GFM spec examples, "
                    "judged by stock markdown-it-py.")
    options.add_argument("--fixtures", type=Path, default=FIXTURES,
                         help="the directory holding commonmark.json and gfm.json "
                              "(default: %(default)s)")
    args = options.parse_args(argv)
    for spec in SPECS:
        print(report(spec, load_examples(spec, args.fixtures)))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
