"""Round trips of the CommonMark and GFM spec examples, and the table that watches them.

Each example is extracted, translated, merged back and rendered, and its HTML is
compared with the source's own rendering (both with :func:`pipeline.markdown.parser`):

* ``identity`` (translation = msgid): the same HTML once every whitespace run
  outside ``<pre>…</pre>`` is one space;
* ``pseudo`` (translation = :func:`pipeline.pseudo.pseudolocalize` of the msgid):
  the same element tree (tags, nesting, attributes; ``alt`` and ``title`` values
  aside), and every text node that is prose in the source changed.

Either fails, too, if the merge rejects a translation (it would then show the
source text), or if anything raises.

Prose is any text with a letter that markdown-it's ``text`` inline rule consumed in
the source document (link texts and image descriptions included; code, raw HTML,
entities, escapes and placeholders such as ``%(name)s`` are not prose).

``python -m pipeline.conformance [--shared PATH]`` prints a per-section pass table;
``tests/test_conformance.py`` runs the same checks per example.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from html.parser import HTMLParser
from pathlib import Path

from markdown_it.rules_inline import StateInline

from .markdown import normalize, parser
from .merge import localize_document
from .pseudo import OBSERVER, PLACEHOLDER, observing_parser, pseudolocalize
from .segments import Segment, read

SPECS = ("commonmark", "gfm")
TRANSLATIONS: dict[str, Callable[[Segment], str]] = {
    "identity": lambda segment: segment.msgid,
    "pseudo": lambda segment: pseudolocalize(segment.msgid),
}

Check = Callable[[str], "str | None"]


def default_shared() -> Path:
    """``shared/`` beside the repository, as CI clones it."""
    return Path(__file__).resolve().parents[1].parent / "shared"


def load_examples(conformance: Path, spec: str) -> list[dict]:
    """The examples of ``<conformance>/<spec>.json`` (example, section, markdown, html)."""
    return json.loads((conformance / f"{spec}.json").read_text(encoding="utf-8"))


def render(markdown: str) -> str:
    """HTML of ``markdown`` with the project's one parser configuration."""
    return parser().render(normalize(markdown))


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


def check_identity(markdown: str) -> str | None:
    """None if the identity round trip renders the same HTML, else what went wrong."""
    text, rejected = localized(markdown, "identity")
    if rejected:
        return "rejected " + "; ".join(rejected)
    expected, actual = collapse_whitespace(render(markdown)), collapse_whitespace(render(text))
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


def prose_html(markdown: str) -> str:
    """The source's HTML with :data:`PROSE` before each piece of prose it contains."""
    md = observing_parser()
    env: dict = {OBSERVER: _mark_prose}
    tokens = md.parse(normalize(markdown), env)
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


def check_pseudo(markdown: str) -> str | None:
    """None if the pseudo round trip keeps the element tree and changes all prose."""
    text, rejected = localized(markdown, "pseudo")
    if rejected:
        return "rejected " + "; ".join(rejected)
    source, result = html_events(render(markdown)), html_events(render(text))
    marked = html_events(prose_html(markdown))
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
        prog="python -m pipeline.conformance",
        description="Identity and pseudo round trips of the CommonMark and GFM spec examples.")
    options.add_argument("--shared", type=Path, default=default_shared(),
                         help="the shared/ directory holding conformance/*.json (default: %(default)s)")
    args = options.parse_args(argv)
    conformance = args.shared / "conformance"
    if not conformance.is_dir():
        options.error(f"no conformance examples in {conformance}")
    for spec in SPECS:
        print(report(spec, load_examples(conformance, spec)))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
