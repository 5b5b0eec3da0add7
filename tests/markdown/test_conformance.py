"""Every CommonMark and GFM spec example survives extract → translate → localize,
as stock markdown-it-py renders the source and the localized Markdown.

identity (translation = msgid): the same HTML, whitespace runs outside <pre> aside.
pseudo (translation = pseudolocalize(msgid)): the same element tree and attributes
(alt and title values aside), and every prose text node changed.
The comparisons live in tools/conformance.py, shared with
``python tools/conformance.py``, which prints the per-section table.
"""

from __future__ import annotations

import pytest

from tools.conformance import SPECS, check_identity, check_pseudo, load_examples, run_check

# Examples whose pseudo round trip is known to fail, {example number: reason}, per spec.
# Keep it honest: a listed example that passes fails the suite, and so does a new failure.
_LABEL_OR_TEXT = ("`[foo][bar][baz]`: a msgid alone cannot tell that `[foo]` is not a link, so "
                  "`bar` is read as the label of `[foo][bar]` and kept byte for byte; in the "
                  "document `[bar][baz]` is the link and `bar` its text, left unchanged")
KNOWN_PSEUDO_FAILURES: dict[str, dict[int, str]] = {
    "commonmark": {
        96: "`---\\nFoo\\n---` at the start is front matter to the project (its text is not "
            "translated); CommonMark reads a thematic break and the setext heading `Foo`",
        569: _LABEL_OR_TEXT,
        571: _LABEL_OR_TEXT,
    },
    "gfm": {
        45: "`[^codeblock-note]:` then an 8-space indented line is a footnote holding a code "
            "block to the project (code is not translated); stock markdown-it-py, without "
            "footnotes, reads one paragraph of prose",
    },
}

EXAMPLES = {spec: load_examples(spec) for spec in SPECS}
CASES = [pytest.param(spec, example, id=f"{spec}-{example['example']}")
         for spec in SPECS for example in EXAMPLES[spec]]


@pytest.mark.parametrize(("spec", "example"), CASES)
def test_identity_round_trip_renders_the_same_html(spec: str, example: dict) -> None:
    failure = run_check(check_identity, example["markdown"])
    assert failure is None, f"{spec} example {example['example']} ({example['section']}): {failure}"


@pytest.mark.parametrize(("spec", "example"), CASES)
def test_pseudo_round_trip_keeps_the_tree_and_changes_the_prose(spec: str, example: dict) -> None:
    failure = run_check(check_pseudo, example["markdown"])
    known = KNOWN_PSEUDO_FAILURES[spec].get(example["example"])
    if known is not None:
        if failure is None:
            pytest.fail(f"{spec} example {example['example']} passes now: "
                        "remove it from KNOWN_PSEUDO_FAILURES")
        pytest.xfail(f"{known} ({failure})")
    assert failure is None, f"{spec} example {example['example']} ({example['section']}): {failure}"


def test_the_examples_are_all_there() -> None:
    assert {spec: len(examples) for spec, examples in EXAMPLES.items()} == {"commonmark": 652, "gfm": 50}


def test_known_failures_are_real_examples_and_under_one_percent() -> None:
    for spec, known in KNOWN_PSEUDO_FAILURES.items():
        numbers = {example["example"] for example in EXAMPLES[spec]}
        assert set(known) <= numbers, f"{spec}: no such examples {sorted(set(known) - numbers)}"
    total = sum(len(examples) for examples in EXAMPLES.values())
    failing = sum(len(known) for known in KNOWN_PSEUDO_FAILURES.values())
    assert failing <= total // 100, f"{failing} of {total} examples fail the pseudo round trip"
