"""Placing translations: one refused translation costs one segment, not the page."""

from __future__ import annotations

import math

import pytest

import pipeline
from pipeline import merge
from pipeline.segments import read

# An inline footnote the source does not have: it would add a footnote block to the page.
BREAKS_THE_PAGE = "A note^[that the source does not have]."


def _document(paragraphs: int):
    return read("".join(f"Paragraph number {n}.\n\n" for n in range(paragraphs)))


@pytest.mark.parametrize("bad", [[0], [500], [999], [3, 4], [10, 600, 601]])
def test_only_the_translations_that_break_the_page_are_refused(bad, monkeypatch):
    doc = _document(1000)
    parses = []
    real_parse = merge.parse_with_env
    monkeypatch.setattr(merge, "parse_with_env", lambda text: parses.append(1) or real_parse(text))
    broken = {f"Paragraph number {n}." for n in bad}

    def translate(segment):
        return BREAKS_THE_PAGE if segment.msgid in broken else segment.msgid.upper()

    result = merge.localize_parsed(doc, translate)
    assert sorted(r.segment.msgid for r in result.rejected) == sorted(broken)
    for n in range(1000):
        shown = f"Paragraph number {n}." if n in bad else f"PARAGRAPH NUMBER {n}."
        assert f"{shown}\n" in result.markdown
    # Not one parse per translation: the culprit is looked for near the first block that
    # differs, else by bisection; each suspect is tried again (innocent ones are kept).
    assert len(parses) <= 1 + len(bad) * (3 + math.ceil(math.log2(1000)))



def test_a_reference_definition_in_a_translation_cannot_move_a_link():
    """'[\\nnhs]: https://evil…' split over two lines escaped the line-wise escaping, made no
    block of its own, and won over the source's definition: the page linked to evil.example."""
    doc = read("See [official guidance][nhs] and study [1].\n\nFirst paragraph.\n\n"
               "[nhs]: https://www.nhs.uk/\n")
    for attack in ("[\nnhs]: https://evil.example/phish\nPrimer párrafo traducido.",
                   "[1]: https://evil.example/\nPrimer párrafo.",
                   "[NHS]:\nhttps://evil.example/\nPrimer párrafo."):
        result = merge.localize_parsed(doc, lambda s, a=attack: a if s.msgid == "First paragraph." else None)
        html = pipeline.render(result.markdown)
        assert "evil.example" not in "".join(t.attrs.get("href", "") for t in _links(result))
        assert 'href="https://www.nhs.uk/"' in html and "<a href=\"https://evil" not in html


def _links(result):
    return [child for token in result.parsed.tokens for child in token.children or []
            if child.type == "link_open"]


@pytest.mark.parametrize("translation, shown", [("Ketamina\\", "Ketamina\\"), ("a|b", "a|b"),
                                                ("a\\|b", "a|b"), ("\\\\", "\\")])
def test_a_translated_cell_cannot_swallow_its_neighbour(translation, shown):
    """A table written without spaces around its pipes, a cell translated 'Ketamina\\': the
    backslash escaped the closing pipe and the next cell's text moved into this one."""
    source = "|Effect|Likelihood|\n|-|-|\n|Ketamine|Possible|\n"
    html = pipeline.render(pipeline.localize(source, lambda s: translation if s.msgid == "Ketamine" else None))
    assert f"<td>{shown}</td>\n<td>Possible</td>" in html, html
