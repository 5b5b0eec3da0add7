"""Round-trip properties, with Hypothesis.

(a) Generated documents (nested lists and block quotes, GFM tables, ATX and setext
    headings, paragraphs with emphasis, strong, links and code spans, front matter and
    footnotes) keep their rendering through the identity and pseudo round trips, as
    stock markdown-it-py with mdit-py-plugins' front matter, footnotes and containers
    renders them.
(b) Any msgstr at all is either placed without changing the page's block structure
    or reported as rejected; merging never raises.
(c) Pseudo-localization keeps markup and placeholders byte for byte and grows prose.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.markdown import normalize, parse
from pipeline.merge import _shape, localize_document
from pipeline.pseudo import pseudolocalize
from pipeline.segments import read
from tools.conformance import check_identity, check_pseudo

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- documents --------------------------------------------------------------------

WORDS = st.sampled_from([
    "anxiety", "Ketamine", "dose", "NMDA", "mg", "per", "day", "is", "a", "the", "of", "über",
    "naïve", "12", "5%", "e.g.", "(see", "below)", "don't", "x", "I", "A-B", "you:", "#1",
])
SLUGS = st.sampled_from(["https://example.org/a", "/local/page", "page.html#top", "<with space>"])
INLINE = st.one_of(
    WORDS, WORDS, WORDS,
    WORDS.map(lambda w: f"*{w}*"),
    st.tuples(WORDS, WORDS).map(lambda p: f"**{p[0]} {p[1]}**"),
    WORDS.map(lambda w: f"_{w}_"),
    st.tuples(WORDS, WORDS, SLUGS).map(lambda p: f"[{p[0]} {p[1]}]({p[2]})"),
    st.tuples(WORDS, SLUGS, WORDS).map(lambda p: f'[{p[0]}]({p[1]} "{p[2]} title")'),
    st.tuples(WORDS, SLUGS).map(lambda p: f"![{p[0]}]({p[1]})"),
    st.sampled_from(["`code`", "`` a`b ``", "`x = 1`", "<https://example.org>", "&amp;",
                     "&#233;", "\\*", "<b>", "</b>", "%(name)s", "{count}", "~~gone~~",
                     "***both***", "a*b*c", "<span class=\"k\">word</span>", "[ref]", "[Ref][]",
                     "[see this][ref]", "[undefined]", "a < b", "x > y", "1.", "-", "+", "#", "=",
                     "^[inline note]", "[^1]"]),
)


def _line(pieces: list[str]) -> str:
    return " ".join(pieces)


LINE = st.lists(INLINE, min_size=1, max_size=7).map(_line)
PARAGRAPH = st.tuples(st.lists(LINE, min_size=1, max_size=3),
                      st.sampled_from(["\n", "\n", "  \n", "\\\n"])).map(lambda p: p[1].join(p[0]))
ATX = st.tuples(st.integers(1, 6), LINE).map(lambda p: "#" * p[0] + " " + p[1])
SETEXT = st.tuples(PARAGRAPH, st.sampled_from(["===", "---", "=", "-----"])).map("\n".join)


@st.composite
def tables(draw) -> str:
    columns = draw(st.integers(1, 4))
    cell = INLINE.filter(lambda text: "|" not in text)
    rows = draw(st.lists(st.lists(cell, min_size=columns, max_size=columns), min_size=1, max_size=4))
    delimiter = draw(st.lists(st.sampled_from(["---", ":--", "--:", ":-:"]),
                              min_size=columns, max_size=columns))
    lines = [rows[0], delimiter, *rows[1:]]
    return "\n".join("| " + " | ".join(row) + " |" for row in lines)


def _indent(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    return "\n".join([first + lines[0]] + [rest + line if line else "" for line in lines[1:]])


def _quote(blocks: list[str]) -> str:
    text = "\n\n".join(blocks)
    return "\n".join("> " + line if line else ">" for line in text.split("\n"))


def _list(spec: tuple[bool, bool, list[list[str]]]) -> str:
    ordered, loose, items = spec
    out = []
    for number, blocks in enumerate(items, 1):
        marker = f"{number}. " if ordered else "- "
        out.append(_indent("\n\n".join(blocks), marker, " " * len(marker)))
    return ("\n\n" if loose else "\n").join(out)


OTHER = st.sampled_from([  # blocks with no translatable text, which must come through as they are
    "```py\nx = 1\n```", "    indented code", "<div>\nraw *html*\n</div>", "***",
    '[ref]: https://example.org/ref "Ref title"', "[^1]: The footnote text.",
])
LEAVES = st.one_of(PARAGRAPH, PARAGRAPH, ATX, SETEXT, tables(), OTHER)
BLOCKS = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.tuples(st.booleans(), st.booleans(),
                  st.lists(st.lists(inner, min_size=1, max_size=2), min_size=1, max_size=3)).map(_list),
        st.lists(inner, min_size=1, max_size=2).map(_quote),
    ),
    max_leaves=6,
)
FRONT_MATTER = st.one_of(st.just(""), st.sampled_from(["Anxiety", "Ketamine dose", "NMDA and you"]).map(
    lambda w: f"---\ntitle: {w}\ndescription: '{w}, explained'\n---\n"))
DOCUMENTS = st.tuples(FRONT_MATTER, st.lists(BLOCKS, min_size=1, max_size=4)).map(
    lambda p: p[0] + "\n\n".join(p[1]) + "\n")


@SETTINGS
@given(DOCUMENTS)
@example("> # anxiety\n>\n> ## # #\n")  # an ATX heading whose text is "#"
def test_identity_round_trip_keeps_the_html(document: str) -> None:
    assert check_identity(document, extensions=True) is None


@SETTINGS
@given(DOCUMENTS)
@example("> # anxiety\n>\n> ## # #\n")  # an ATX heading whose text is "#"
def test_pseudo_round_trip_keeps_the_element_tree(document: str) -> None:
    assert check_pseudo(document, extensions=True) is None


# --- any msgstr -----------------------------------------------------------------

TRICKY = st.sampled_from([
    "#", "# ", "###### ", "#5", "-", "- ", "+ ", "* ", "1.", "1. ", "2)", "10) ", ">", "> ", "|",
    " | ", "\\|", "\n", "\n\n", "\n \n", "`", "```", "```py", "~~~", "<div>", "</div>", "<pre>",
    "<!--", "-->", "<?", "<a href='x'>", "<span>", "<br/>", "===", "---", "***", "- - -", "    ",
    "\t", " ", ":::", "::: disclaimer", "[x]: /u", "[^1]:", "[^1]", "\\", "&amp;", "*", "_", "[",
    "]", "(", ")", "<", "---\n", "\r\n", "\r", "\x00", "\u2028", "\x0b", "\x0c", "\xa0", "'", '"',
    ": ", "key: value", "{", "}", "%", "<!-- disclaimer -->", "$$", "$", "\u200b",
])
MSGSTRS = st.one_of(
    st.text(),
    st.lists(st.one_of(TRICKY, TRICKY, st.text(max_size=4), WORDS), max_size=12).map("".join),
)


@SETTINGS
@given(DOCUMENTS, st.lists(MSGSTRS, min_size=1, max_size=6))
def test_any_msgstr_keeps_the_block_structure_or_is_rejected(document: str, msgstrs: list[str]) -> None:
    source = read(document)
    translations = {id(segment): msgstrs[n % len(msgstrs)] for n, segment in enumerate(source.segments)}
    localized, rejected = localize_document(source, lambda segment: translations[id(segment)])
    assert _shape(parse(normalize(localized))) == _shape(source.tokens)
    again = read(localized)  # still readable: front matter included
    assert len(again.segments) == len(source.segments)
    refused = {id(r.segment) for r in rejected}
    for before, after in zip(source.segments, again.segments):
        if id(before) in refused:  # a rejected translation leaves the source text in place
            assert after.msgid == before.msgid


# --- pseudo-localization itself ---------------------------------------------------

PROTECTED = [
    "`code span`", "``a ` b``", "&amp;", "&copy;", "&#233;", "&#x2014;", "<https://example.org/x>",
    "<someone@example.org>", "<b>", "</b>", '<a href="https://example.org">', "<!-- note -->",
    "\\*", "\\_", "\\[", "[^1]", "[^note]", "%(name)s", "%s", "%d", "{name}", "{0}", "**", "_", "~~",
]


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(PROTECTED), WORDS), min_size=1, max_size=12))
def test_pseudo_keeps_markup_byte_for_byte(pieces: list[str]) -> None:
    msgid = " ".join(pieces)
    result = pseudolocalize(msgid)
    position = 0
    for piece in pieces:
        if piece in PROTECTED:
            found = result.find(piece, position)
            assert found >= 0, f"{piece!r} lost in {result!r}"
            position = found + len(piece)
    if any(re.search("[A-Za-z]", piece) for piece in pieces if piece not in PROTECTED):
        assert result != msgid


def test_pseudo_keeps_each_protected_piece() -> None:
    cases = {
        "See [the guide](https://example.org/guide \"Guide\") now": [
            "](https://example.org/guide \"", "\") "],
        "Use `dose = 5` and &amp; &#233; <b>bold</b> \\* %(name)s {count} [^1]": [
            "`dose = 5`", "&amp;", "&#233;", "<b>", "</b>", "\\*", "%(name)s", "{count}", "[^1]"],
        "Mail <a@b.org> or <https://example.org/a>": ["<a@b.org>", "<https://example.org/a>"],
        "Read [the text][label] and ![an image](pic.png)": ["][label]", "](pic.png)"],
    }
    for msgid, kept in cases.items():
        result = pseudolocalize(msgid)
        for piece in kept:
            assert piece in result, (piece, result)
        assert not re.search(r"\b(?:See|Use|Mail|Read|now|bold|text|image)\b", result), result


def test_pseudo_shortcut_references_keep_their_label() -> None:
    # Labels ignore case, so [foo] and [foo][] only swap the case of their letters.
    assert pseudolocalize("see [foo] and [Bar][]") == "šëëëë [FOO] ááñð [bAR][]"


def test_pseudo_grows_prose_by_about_a_third() -> None:
    text = ("Ketamine is a powerful anesthetic that has been used in medical procedures for "
            "many years. In recent years, it has been studied as a treatment for depression.")
    growth = len(pseudolocalize(text)) / len(text)
    assert 1.2 <= growth <= 1.5, growth
