"""The library API a Python user calls without files: ``extract`` and ``localize``."""

from __future__ import annotations

import pytest
import yaml

import pipeline
from conftest import ARTICLE, FIXTURE, collapse
from pipeline.markdown import parser

ARTICLE_TEXT = (FIXTURE / "source" / f"{ARTICLE}.md").read_text(encoding="utf-8")


def render(markdown: str) -> str:
    return parser().render(markdown)


def upper(segment: pipeline.Segment) -> str:
    return segment.msgid.upper()


def test_article_segments_carry_kind_line_and_disclaimer_flag():
    segments = pipeline.extract(ARTICLE_TEXT)
    by_text = {s.msgid: s for s in segments}
    title = segments[0]
    assert (title.kind, title.msgctxt, title.line) == ("front matter", "front matter: title", 2)
    heading = by_text["Understanding anxiety"]
    assert (heading.kind, heading.line, heading.disclaimer) == ("heading", 24, False)
    disclaimers = [s for s in segments if s.disclaimer]
    assert [s.line for s in disclaimers] == [11, 85, 111, 114]
    assert disclaimers[1].msgid.endswith("**should only be administered by a trained medical professional**.")
    assert "Ketamine is not a cure for anxiety" in disclaimers[2].msgid
    assert "seek help from a mental health professional" in disclaimers[3].msgid
    assert all(s.disclaimer is False for s in segments if s.kind.startswith("table"))


def test_msgid_is_inline_markdown_with_soft_breaks_joined():
    text = "Ketamine works by *blocking*\n[NMDA receptors](https://example.org/nmda \"NMDA\").\n"
    [segment] = pipeline.extract(text)
    assert segment.msgid == 'Ketamine works by *blocking* [NMDA receptors](https://example.org/nmda "NMDA").'
    assert segment.line == 1


def test_what_is_offered_for_translation():
    text = """# Title

- item one
  continued
- > quoted in a list

| Drug | Dose |
| --- | ---: |
| Ketamine \\| esketamine | 0.5 mg/kg |

```python
code = "not translated"
```

    indented code, not translated

<div class="raw">raw HTML, not translated</div>

![An *alt* text](img.png "a title") and [a link](https://x.org).
"""
    found = [(s.kind, s.msgid) for s in pipeline.extract(text)]
    assert found == [
        ("heading", "Title"),
        ("list item", "item one continued"),
        ("block quote", "quoted in a list"),
        ("table header", "Drug"),
        ("table header", "Dose"),
        ("table cell", "Ketamine | esketamine"),
        ("table cell", "0.5 mg/kg"),
        ("paragraph", '![An *alt* text](img.png "a title") and [a link](https://x.org).'),
    ]


@pytest.mark.parametrize("marker", ["::: disclaimer\n{}\n:::\n", "<!-- disclaimer -->\n{}\n"])
def test_both_disclaimer_markers_mark_every_segment_of_the_block(marker):
    text = "Intro.\n\n" + marker.format("- Only under *medical supervision*.\n- Never alone.") + "\nAfter.\n"
    flags = [(s.msgid, s.disclaimer) for s in pipeline.extract(text)]
    assert flags == [("Intro.", False), ("Only under *medical supervision*.", True),
                     ("Never alone.", True), ("After.", False)]
    html = render(text)
    assert html.count('<aside class="disclaimer" role="note"') == 1
    assert "<!-- disclaimer -->" not in html


def test_identity_localization_renders_the_article_like_the_source():
    localized = pipeline.localize(ARTICLE_TEXT, lambda s: s.msgid)
    assert collapse(render(localized)) == collapse(render(ARTICLE_TEXT))


def test_untranslated_segments_fall_back_to_the_source():
    text = "# Heading\n\nFirst.\n\nSecond.\n"
    localized = pipeline.localize(text, lambda s: "Zweiter." if s.msgid == "Second." else None)
    assert localized == "# Heading\n\nFirst.\n\nZweiter.\n"


def test_structure_around_each_segment_is_kept_byte_for_byte():
    text = """---
title: 'A title'   # a comment
date: 2026-01-02
description: "Say \\"hi\\""
---

> 1.  Quoted *list*
>     item
>
>     second paragraph

| a |  b  |
|---|:---:|
|  x | y |

Setext
======
"""
    localized = pipeline.localize(text, upper)
    assert localized == """---
title: 'A TITLE'   # a comment
date: 2026-01-02
description: "SAY \\"HI\\""
---

> 1.  QUOTED *LIST* ITEM
>
>     SECOND PARAGRAPH

| A |  B  |
|---|:---:|
|  X | Y |

SETEXT
======
"""
    assert yaml.safe_load(localized.split("---")[1])["description"] == 'SAY "HI"'


def test_hard_line_breaks_survive_with_their_container_prefix():
    text = "> first line  \n> second line\n"
    localized = pipeline.localize(text, lambda s: s.msgid.replace("line", "ligne"))
    assert localized == "> first ligne  \n> second ligne\n"
    assert "<br />" in render(localized)


@pytest.mark.parametrize("msgstr", [
    "# not a heading", "- not a list", "1. not a list", "> not a quote", "===",
    "    not code", "two\n\nparagraphs", "```", "<div>not html</div>", "[x]: /not-a-definition",
])
def test_a_translation_cannot_change_the_block_structure(msgstr):
    text = "- Item text here.\n\nA paragraph.\n"
    localized = pipeline.localize(text, lambda s: msgstr)
    source_blocks = [t.type for t in parser().parse(text) if t.type != "inline"]
    localized_blocks = [t.type for t in parser().parse(localized) if t.type != "inline"]
    assert localized_blocks == source_blocks


def test_a_pipe_in_a_translated_cell_stays_in_its_cell():
    text = "| a | b |\n| - | - |\n| x | y |\n"
    localized = pipeline.localize(text, lambda s: "1 | 2" if s.msgid == "x" else None)
    assert "<td>1 | 2</td>\n<td>y</td>" in render(localized)


def test_front_matter_translation_keeps_keys_order_and_quoting():
    text = "---\ntitle: Plain title\nslug: plain-title\ndescription: >\n  Folded\n  text\ntags: [a, b]\n---\nBody.\n"
    localized = pipeline.localize(text, lambda s: {"Plain title": "Título: sencillo",
                                                   "Folded text": "Texto plegado"}.get(s.msgid))
    assert localized.startswith('---\ntitle: "Título: sencillo"\nslug: plain-title\ndescription: "Texto plegado"\ntags: [a, b]\n---\n')


def test_crlf_sources_are_read():
    segments = pipeline.extract("# Title\r\n\r\nBody\r\ntext.\r\n")
    assert [s.msgid for s in segments] == ["Title", "Body text."]


def test_invalid_front_matter_is_an_error_with_a_line():
    with pytest.raises(pipeline.PipelineError) as caught:
        pipeline.extract("---\ntitle: ok\ndescription: [unclosed\n---\n\nBody.\n")
    assert caught.value.code == "front-matter"
    assert caught.value.line in (3, 4)


def test_translators_are_told_about_images_link_titles_and_links():
    text = '![A dosing chart](chart.png) shows it.\n\nSee [the WHO](https://who.int "World Health Organization").\n\nSee [NMDA](https://x.org).\n'
    image, titled, plain = pipeline.extract(text)
    assert "Contains an image: translate its alt text" in image.comment
    assert "Contains a link title" in titled.comment
    assert "keep the address unchanged" in plain.comment
