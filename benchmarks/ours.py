"""The measured operations of our pipeline, its markdown-it-py floor, and profiles.

Every operation is the ``pipeline`` command line run as a fresh process on a
generated project (see :mod:`corpus`), so start-up, imports and file I/O count:

========  ============================================================================
extract   ``pipeline extract`` with ``locales/templates/`` removed first (every POT written)
update    ``pipeline update`` on filled catalogs and unchanged sources (the steady state)
update-memory  ``pipeline update`` after the catalogs of every 10th document were removed in
          every locale: those catalogs are made again and each of their entries is looked
          up in the translation memory of the other 90% (an exact match for the shared
          disclaimer, near-match candidates for the rest); the removed catalogs are put
          back afterwards
build     ``pipeline build`` with ``output/`` removed first (every page written, HTML + MD)
build-md  ``pipeline build --markdown-only``, ``output/`` removed first: localized Markdown
          only, what the peers write (when the CLI has ``--markdown-only``)
build-j1  the same as build with ``-j 1`` (one process), when the CLI has ``--jobs``
noop      ``pipeline build`` again, nothing changed since the last build
edit      ``pipeline build`` after one paragraph of one document was edited
floor     ``benchmarks/floor.py``: markdown-it-py parsing and rendering the N × L
          localized ``output/<lang>/<doc>.md`` pages in one process
========  ============================================================================
"""

from __future__ import annotations

import os
import pstats
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from corpus import Corpus, article
from timing import Command, Step

HERE = os.path.dirname(os.path.abspath(__file__))
OPERATIONS = ("extract", "update", "update-memory", "build", "build-md", "build-j1", "noop", "edit")
NEW_EVERY = 10  # update-memory: every 10th document's catalogs are new


def pipeline_command() -> list[str]:
    """How to start our CLI: the interpreter running the harness, ``-m pipeline``."""
    return [sys.executable, "-m", "pipeline"]


@dataclass
class Operation:
    """A measured operation, and what to do once its runs are over (untimed)."""

    name: str
    step: Step
    cleanup: Callable[[], None] | None = None


@lru_cache(maxsize=4)
def build_options(cmd: tuple[str, ...]) -> frozenset[str]:
    """The options ``pipeline build --help`` lists (the CLI changes as the project moves)."""
    done = subprocess.run([*cmd, "build", "--help"], capture_output=True, text=True, check=False)
    return frozenset(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", done.stdout))


def ensure_built(corpus: Corpus, cmd: list[str]) -> None:
    """Build once (untimed) if the project has no ``output/`` yet."""
    if not os.path.isdir(os.path.join(corpus.root, "output")):
        subprocess.run([*cmd, "-C", corpus.root, "build"], capture_output=True, check=False)


def operations(corpus: Corpus, cmd: list[str]) -> list[Operation]:
    """Our pipeline's operations on ``corpus``, in the order they must run."""
    root = corpus.root

    def run(*args: str) -> None:
        subprocess.run([*cmd, "-C", root, *args], capture_output=True, check=False)

    def clear(folder: str) -> Callable[[int], None]:
        return lambda _i: shutil.rmtree(os.path.join(root, folder), ignore_errors=True)

    def built(_i: int) -> None:
        ensure_built(corpus, cmd)

    def settle(i: int) -> None:
        if i == 0:  # whatever the previous step left (or a change of the pipeline's code) is built
            run("build")

    doc = corpus.documents[0]
    path = corpus.source_path(doc)
    number = re.fullmatch(r"article-(\d+)", doc)
    if number:  # regenerated, so that an interrupted earlier run cannot leave an edit behind
        original = article(corpus.seed, int(number.group(1)))
    else:
        with open(path, encoding="utf-8") as handle:
            original = handle.read()

    def edit(i: int) -> None:
        built(i)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(edited(original, i))

    def restore() -> None:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(original)
        run("build")

    fresh, restore_catalogs = _new_catalogs(corpus)
    build = Command([*cmd, "-C", root, "build"], ok_codes=(0, 1))
    options = build_options(tuple(cmd))
    markdown = serial = []
    if "--markdown-only" in options:
        markdown = [Operation("build-md", Step([Command([*cmd, "-C", root, "build", "--markdown-only"],
                                                        ok_codes=(0, 1))],
                                               before=clear("output"),
                                               note="localized Markdown only (--markdown-only), as the peers write"))]
    if "--jobs" in options:
        serial = [Operation("build-j1", Step([Command([*cmd, "-C", root, "build", "-j", "1"], ok_codes=(0, 1))],
                                             before=clear("output"), note="one worker process (-j 1)"))]
    return [
        Operation("extract", Step([Command([*cmd, "-C", root, "extract"])], before=clear("locales/templates"))),
        Operation("update", Step([Command([*cmd, "-C", root, "update"])])),
        Operation("update-memory", Step([Command([*cmd, "-C", root, "update"])], before=fresh,
                                        note=f"the catalogs of every {NEW_EVERY}th document made "
                                             "again and filled from the translation memory"),
                  restore_catalogs),
        Operation("build", Step([build], before=clear("output"))),
        *markdown,
        *serial,
        Operation("noop", Step([build], before=settle,
                               note="after one untimed build: nothing changed since the last build")),
        Operation("edit", Step([build], before=edit,
                               note=f"one paragraph of {doc}.md changed before each run"), restore),
    ]


def _new_catalogs(corpus: Corpus) -> tuple[Callable[[int], None], Callable[[], None]]:
    """``before`` of update-memory (move every 10th document's catalogs aside, or remove the
    ones the previous run made) and its cleanup (put the originals back)."""
    root = corpus.root
    stash = os.path.join(root, ".update-memory-stash")
    chosen = corpus.documents[::NEW_EVERY]
    paths = [os.path.join(root, "locales", code, "LC_MESSAGES", f"{doc}.po")
             for code in corpus.locales for doc in chosen]

    def fresh(_i: int) -> None:
        os.makedirs(stash, exist_ok=True)
        for number, path in enumerate(paths):
            kept = os.path.join(stash, str(number))
            if not os.path.exists(kept) and os.path.exists(path):
                os.replace(path, kept)
            elif os.path.exists(path):
                os.remove(path)

    def restore() -> None:
        for number, path in enumerate(paths):
            kept = os.path.join(stash, str(number))
            if os.path.exists(kept):
                os.replace(kept, path)
        shutil.rmtree(stash, ignore_errors=True)

    return fresh, restore


def edited(text: str, index: int) -> str:
    """``text`` with its first body paragraph after the disclaimer changed (one segment)."""
    blocks = text.split("\n\n")
    for number, block in enumerate(blocks):
        if number > 2 and block[:1].isalpha():
            # the end of the first sentence (a "." followed by a space: never inside a URL)
            blocks[number] = re.sub(r"\.(?=\s)", f" (revised {index + 1}).", block, count=1)
            return "\n\n".join(blocks)
    raise ValueError("no paragraph to edit")


def floor_step(corpus: Corpus) -> Step:
    """markdown-it-py alone on the N × L localized pages of the last build."""
    return Step([Command([sys.executable, os.path.join(HERE, "floor.py"), corpus.root, *corpus.locales])])


def single_operations(corpus: Corpus, cmd: list[str]) -> list[Operation]:
    """extract and build of a one-document project (for the per-segment figures)."""
    return [op for op in operations(corpus, cmd) if op.name in ("extract", "build")]


def profile(corpus: Corpus, operation: str, out_path: str, cmd: list[str], top: int = 35) -> str:
    """Run ``pipeline OPERATION --jobs 1`` under cProfile (which sees one process only, so
    no worker pool); write the top functions by cumulative and by own time to ``out_path``
    and return that text."""
    root = corpus.root
    if operation == "build":
        shutil.rmtree(os.path.join(root, "output"), ignore_errors=True)
    elif operation == "extract":
        shutil.rmtree(os.path.join(root, "locales", "templates"), ignore_errors=True)
    prof = out_path + ".prof"
    command = "build" if operation == "noop" else operation
    if operation == "noop":
        ensure_built(corpus, cmd)
    argv = [sys.executable, "-m", "cProfile", "-o", prof, "-m", "pipeline", "-C", root, command,
            "--jobs", "1"]
    subprocess.run(argv, capture_output=True, check=False)
    with open(out_path, "w", encoding="utf-8") as handle:
        handle.write(f"# cProfile of `pipeline {command}` ({operation}), in one process, on {os.path.basename(root)} "
                     f"({len(corpus.documents)} documents × {len(corpus.locales)} locales)\n\n")
        stats = pstats.Stats(prof, stream=handle)
        stats.strip_dirs()
        handle.write("## by cumulative time\n")
        stats.sort_stats("cumulative").print_stats(top)
        handle.write("## by own time\n")
        stats.sort_stats("tottime").print_stats(top)
    os.remove(prof)
    with open(out_path, encoding="utf-8") as handle:
        return handle.read()
