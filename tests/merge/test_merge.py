"""Placing translations: one refused translation costs one segment, not the page."""

from __future__ import annotations

import re
import shutil
import time

import pytest

from conftest import ROOT, one_article_project

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
    parsed = []  # the length of every text parsed
    real_parse = merge.parse_with_env
    monkeypatch.setattr(merge, "parse_with_env", lambda text: parsed.append(len(text)) or real_parse(text))
    broken = {f"Paragraph number {n}." for n in bad}

    def translate(segment):
        return BREAKS_THE_PAGE if segment.msgid in broken else segment.msgid.upper()

    result = merge.localize_parsed(doc, translate)
    assert sorted(r.segment.msgid for r in result.rejected) == sorted(broken)
    for n in range(1000):
        shown = f"Paragraph number {n}." if n in bad else f"PARAGRAPH NUMBER {n}."
        assert f"{shown}\n" in result.markdown
    # Not one parse of the page per translation: the page is parsed, each translation is
    # validated on its own (about one more page's worth of text), and the page parsed again.
    page = len(result.markdown)
    assert sum(parsed) <= 3.2 * page, (sum(parsed), page)
    assert len([length for length in parsed if length >= page / 2]) == 2




def test_a_break_only_the_page_shows_is_still_found():
    """'[^1]' alone is text, so the translation passes on its own; on the page it references
    a footnote the source defines but never uses, which adds a footnote block."""
    doc = read("First.\n\nSecond.\n\nThird.\n\n[^1]: An unused note.\n")
    translations = {"First.": "Primero.", "Second.": "Segundo.[^1]", "Third.": "Tercero."}
    result = merge.localize_parsed(doc, lambda s: translations.get(s.msgid))
    assert [r.segment.msgid for r in result.rejected] == ["Second."]
    assert "Primero.\n\nSecond.\n\nTercero." in result.markdown
    assert {doc.segments[i].msgid for i in result.translated} == {"First.", "Third."}

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


# --- through the command line: a tmp project ----------------------------------------------


def _project(root, source: str, translations: dict[str, str]):
    """A one-article project in French with ``translations`` in its catalog."""
    import polib
    one_article_project(root, source)
    path = root / "locales/fr/LC_MESSAGES/article.po"
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = translations.get(entry.msgid, entry.msgid.upper())
    po.save(str(path))
    shutil.copy(ROOT / "locales/fr/LC_MESSAGES/_site.po", root / "locales/fr/LC_MESSAGES/_site.po")
    return root


def _cells(html: str) -> list[list[str]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL) for row in body.split("</tr>") if "<td" in row]


TIGHT_TABLE = "Effects.\n\n|Effect|Likelihood|\n|-|-|\n|Ketamine|Possible|\n|Nausea|Common|\n"


@pytest.mark.parametrize("translation, shown", [("Ketamina\\", "Ketamina\\"), ("Ketamina|Rara", "Ketamina|Rara"),
                                                ("Ketamina\\|", "Ketamina|")])
def test_a_translated_cell_keeps_to_its_own_cell_on_the_page(tmp_path, cli, translation, shown):
    """A table without spaces around its pipes: a cell translated 'Ketamina\\' cannot
    swallow the next cell, one with a '|' cannot add a cell."""
    project = _project(tmp_path, TIGHT_TABLE, {"Ketamine": translation, "Possible": "Posible"})
    result = cli(project, "build")
    assert result.code == 0, result.err
    page = (project / "output/fr/article.html").read_text("utf-8")
    assert _cells(page) == [[shown, "Posible"], ["NAUSEA", "COMMON"]]


def test_the_structure_check_compares_what_each_cell_holds(tmp_path, cli, monkeypatch):
    """With the cell escaping switched off (as before issue 16), the page has the source's
    token types, but a cell holds its neighbour's text: the check refuses the translation."""
    monkeypatch.setattr(merge, "protect_cell", lambda text: text)
    project = _project(tmp_path, TIGHT_TABLE, {"Ketamine": "Ketamina\\", "Possible": "Posible"})
    result = cli(project, "build")
    assert result.code == 1
    assert re.search(r"article\.po:\d+: error: markup-structure: the translation would change the "
                     r"page's block structure .*\(source source/article\.md:5\)", result.err), result.err
    page = (project / "output/fr/article.html").read_text("utf-8")
    assert _cells(page) == [["Ketamine", "Posible"], ["NAUSEA", "COMMON"]]
    assert '<td lang="en" dir="ltr">Ketamine</td>' in page  # marked as the source language


def test_an_oversized_translation_is_refused_at_once_and_the_source_shown(tmp_path, cli):
    project = _project(tmp_path, "Stop now.\n\nTalk to a doctor.\n", {"Stop now.": "Arrêtez. " * 40_000})
    started = time.monotonic()
    result = cli(project, "build")
    assert time.monotonic() - started < 20
    assert result.code == 1
    assert re.search(r"^locales/fr/LC_MESSAGES/article\.po:\d+: error: too-long: the translation has "
                     r"360,000 characters, more than 10 times its source's \(9; limit 300\)",
                     result.err, re.MULTILINE), result.err
    page = (project / "output/fr/article.html").read_text("utf-8")
    assert ">Stop now.</p>" in page and "TALK TO A DOCTOR." in page and len(page) < 20_000


def test_a_page_far_larger_than_its_source_is_withheld_and_not_written(tmp_path, cli):
    rows = "".join(f"| Cell {n} | Dose {n} |\n" for n in range(300))
    source = "| Effect | Likelihood |\n| --- | --- |\n" + rows
    inflated = {f"Cell {n}": "Cellule " * 35 for n in range(300)}  # each within its own limit
    project = _project(tmp_path, source, inflated)
    result = cli(project, "build")
    assert result.code == 1
    lines = [line for line in result.err.splitlines() if "page-too-large" in line]
    assert len(lines) == 1 and re.match(
        r"locales/fr/LC_MESSAGES/article\.po: error: page-too-large: the localized page of "
        r"source/article\.md would have [\d,]+ characters, more than 4 times its source's", lines[0]), result.err
    assert not (project / "output/fr/article.html").exists()
    assert not (project / "output/fr/article.md").exists()
    assert (project / "output/en/article.html").exists()


def test_a_translation_cannot_show_a_footnote_the_source_never_shows():
    """Found by Hypothesis: ``[^1]`` for an inline note referenced a definition the source
    leaves unreferenced, so the page showed a block of text that is in no catalog."""
    from pipeline.merge import localize_document
    from pipeline.segments import read

    source = read("| Note | ^[inline note] |\n| --- | --- |\n\n> [^1]: Text no reader sees.\n")
    localized, rejected = localize_document(source, lambda segment: "[^1]" if "^[" in segment.msgid else None)
    assert "^[inline note]" in localized
    assert [r.segment.msgid for r in rejected] == ["^[inline note]"]
