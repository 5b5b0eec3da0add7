"""Placing translations: one refused translation costs one segment, not the page."""

from __future__ import annotations

import pytest

from pipeline import merge
from pipeline.segments import read

# After merge drops the blank lines, this is a link reference definition spread over two
# lines: placed as a paragraph, it would remove that paragraph from the page.
BREAKS_THE_PAGE = "[a\n\n]: /b"


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
    # Not one parse per translation: suspects are the translations around the first block
    # that differs, each tried again (so innocent neighbours are kept, as asserted above).
    assert len(parses) <= 1 + 4 * len(bad)

