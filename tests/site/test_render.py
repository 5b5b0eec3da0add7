"""``pipeline.render``, the article body of a page, against independent oracles: the
CommonMark spec's own HTML, and stock markdown-it-py on the GFM examples."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

import pipeline
from pipeline.languages import language
from pipeline.site.render import Page, page_html
from tools.conformance import load_examples

# Examples whose HTML is known to differ from the oracle, {example number: reason}.
# A listed example that renders as the oracle does fails the suite, as a new difference does.
_FRONT_MATTER = ("starts with `---` lines that the project reads as front matter (left out of "
                 "the page); CommonMark reads thematic breaks and setext headings")
_EMPTY_QUOTE = ("an empty block quote: markdown-it-py renders `<blockquote></blockquote>`, the "
                "spec `<blockquote>\\n</blockquote>` (only whitespace differs; markdown-it-py's own "
                "spec test replaces the one by the other for these examples)")
KNOWN_DIFFERENCES: dict[str, dict[int, str]] = {
    "commonmark": {96: _FRONT_MATTER, 98: _FRONT_MATTER,
                   218: _EMPTY_QUOTE, 239: _EMPTY_QUOTE, 240: _EMPTY_QUOTE},
    "gfm": {45: "footnotes: the project renders them (mdit-py-plugins' footnote plugin), "
                "stock markdown-it-py reads `[^1]` as text"},
}

STOCK = MarkdownIt("commonmark").enable(["table", "strikethrough"])
ORACLES = {
    "commonmark": lambda example: example["html"],
    "gfm": lambda example: STOCK.render(example["markdown"]),
}
CASES = [pytest.param(spec, example, id=f"{spec}-{example['example']}")
         for spec in ORACLES for example in load_examples(spec)]


@pytest.mark.parametrize(("spec", "example"), CASES)
def test_render_gives_the_oracles_html(spec: str, example: dict) -> None:
    same = pipeline.render(example["markdown"]) == ORACLES[spec](example)
    known = KNOWN_DIFFERENCES[spec].get(example["example"])
    if known is not None:
        if same:
            pytest.fail(f"{spec} example {example['example']} renders as the oracle does now: "
                        "remove it from KNOWN_DIFFERENCES")
        pytest.xfail(known)
    assert same, f"{spec} example {example['example']} ({example['section']})"


def test_the_spec_html_is_stock_markdown_it_s_but_for_empty_block_quotes() -> None:
    differ = {example["example"] for example in load_examples("commonmark")
              if STOCK.render(example["markdown"]) != example["html"]}
    assert differ == {n for n, reason in KNOWN_DIFFERENCES["commonmark"].items()
                      if reason == _EMPTY_QUOTE}


def test_a_page_holds_exactly_the_rendered_body() -> None:
    text = ("---\ntitle: Sleep\n---\n# Sleep\n\nRest *well*.\n\n<!-- disclaimer -->\n"
            "Ask a doctor.\n\n::: disclaimer\nNot advice.\n:::\n")
    body = pipeline.render(text)
    heading, _, rest = body.partition("</h1>\n")
    page = page_html(Page(language("en"), text))
    assert heading + "</h1>\n" in page and rest in page
    assert body.count('<aside class="disclaimer"') == 2


def test_the_library_exports_render_and_pseudolocalize() -> None:
    assert {"render", "pseudolocalize"} <= set(pipeline.__all__)
    assert pipeline.pseudolocalize("Hello") != "Hello"
