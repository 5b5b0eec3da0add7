"""Fuzzing, bounded for CI: no input makes the reader, segmenter or merge fail but with PipelineError.

Hypothesis generates hostile catalogs (valid PO lines mixed with broken ones
and random bytes) and hostile Markdown; each test's ``max_examples`` keeps the
file within a few seconds. Run with ``--hypothesis-seed`` to replay a failure.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pipeline
from pipeline.po import catalogs, merge
from pipeline.diagnostics import PipelineError
from pipeline.merge import localize_document
from pipeline.segments import read

FUZZ = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PO_LINES = st.sampled_from([
    'msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', '"Language: es\\n"',
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', 'msgid "a"', 'msgstr "b"', 'msgctxt "c"',
    'msgid_plural "as"', 'msgstr[0] "x"', 'msgstr[1] "y"', 'msgstr[7] "z"', '"continued"', '#, fuzzy',
    '#| msgid "old"', '#~ msgid "gone"', '#~ msgstr "ido"', '#. comment', '#: a.md:1', '', 'msgid "a',
    'msgid "\\q"', 'msgstr "\\x41\\101"', 'msgid a', '"', 'msgstr[x] ""', '#, no-link-check',
    'msgid "dup"', 'msgstr "dup"', '"charset=latin-1\\n"', '"charset=NOPE\\n"',
])
SOURCE_PIECES = st.sampled_from([
    "# Title\n", "Para *em* **strong** [l](http://x.org) `c`\n", "- item\n  - nested\n", "> quote\n",
    "| a | b |\n| - | - |\n| c | d |\n", "::: disclaimer\n", ":::\n", "<!-- disclaimer -->\n",
    "```\ncode\n```\n", "---\ntitle: T\n---\n", "---\n", "title: [x\n", "\n", "   \t\n", "1. one\n",
    "Setext\n===\n", "<div>\n", "[ref]: /url\n", "[^1]: note\n", "text[^1]\n", "\\\n", "\0", "\r\n",
])


def _write(tmp_path, data: bytes):
    path = tmp_path / "fuzz.po"
    path.write_bytes(data)
    return str(path)


@FUZZ
@given(lines=st.lists(PO_LINES, max_size=30), noise=st.binary(max_size=20), cut=st.integers(0, 2000))
def test_catalog_reader_fails_only_with_pipeline_error(tmp_path_factory, lines, noise, cut):
    data = "\n".join(lines).encode("utf-8")
    data = data[:cut] + noise + data[cut:]
    path = _write(tmp_path_factory.mktemp("po"), data)
    try:
        po = catalogs.load(path)
    except PipelineError as error:
        assert error.path == path and error.code.startswith("catalog")
        return
    catalogs.render(po)  # whatever was read can be written back


@FUZZ
@given(pieces=st.lists(SOURCE_PIECES, max_size=25), extra=st.text(max_size=40))
def test_segmenter_fails_only_with_pipeline_error(pieces, extra):
    text = "".join(pieces) + extra
    try:
        segments = pipeline.extract(text)
    except PipelineError as error:
        assert error.code in ("front-matter", "disclaimer-not-prose")  # what an author must fix
        assert error.line is not None or error.code == "front-matter"
        return
    assert all(s.msgid for s in segments)


@FUZZ
@given(pieces=st.lists(SOURCE_PIECES, max_size=20), msgstr=st.text(max_size=60))
def test_merge_never_raises_on_any_document_and_translation(pieces, msgstr):
    try:
        doc = read("".join(pieces))
    except PipelineError:
        return
    localized, rejected = localize_document(doc, lambda s: msgstr)
    assert isinstance(localized, str)
    assert len(rejected) <= len(doc.segments)


@pytest.mark.slow
def test_large_inputs_scale_linearly():
    """A 1 MB paragraph, and a source of ~20 MB: no quadratic blow-up."""
    sentence = "Ketamine is an *anesthetic* that blocks [NMDA](https://example.org) receptors. "
    big_segment = sentence * (1_000_000 // len(sentence))
    started = time.perf_counter()
    [segment] = pipeline.extract(big_segment)
    assert len(segment.msgid) > 900_000
    localized = pipeline.localize(big_segment, lambda s: s.msgid.upper())
    assert localized.startswith("KETAMINE")
    one_mb = time.perf_counter() - started

    article = "\n\n".join(f"## Section {n}\n\n{sentence * 8}" for n in range(200)) + "\n"
    started = time.perf_counter()
    pipeline.localize(article, lambda s: s.msgid)
    small = time.perf_counter() - started
    large = article * (20_000_000 // len(article))
    started = time.perf_counter()
    segments = pipeline.extract(large)
    assert len(segments) > 50_000
    extract_large = time.perf_counter() - started
    ratio = extract_large / (small * len(large) / len(article))
    assert ratio < 4, f"20 MB took {ratio:.1f}x the time per byte of a small document"
    assert one_mb < 30


@pytest.mark.slow
def test_a_100000_entry_catalog_loads_and_updates(tmp_path):
    import polib

    pot = polib.POFile()
    pot.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for n in range(100_000):
        pot.append(polib.POEntry(msgid=f"Sentence number {n} about ketamine.", msgstr=""))
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es"}
    for n in range(100_000):
        po.append(polib.POEntry(msgid=f"Sentence number {n} about ketamine.", msgstr=f"Frase {n}."))
    path = tmp_path / "big.po"
    path.write_text(catalogs.render(po), encoding="utf-8")
    started = time.perf_counter()
    loaded = catalogs.load(str(path))
    merged = merge.update(loaded, pot)
    elapsed = time.perf_counter() - started
    assert len([e for e in merged if e.msgstr]) == 100_000
    assert elapsed < 60
