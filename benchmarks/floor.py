"""The floor: markdown-it-py alone parsing and rendering the localized pages, in one process.

Reads ``output/<lang>/<doc>.md`` of a project built by our pipeline, for the
languages given, and renders each to HTML with :func:`pipeline.markdown.parser`
(the same markdown-it-py configuration the pipeline uses).  Nothing is written.
No tool that parses and renders these pages with markdown-it-py can be faster than
this, so ``ours / floor`` says how much the pipeline spends on top of parsing.

    python benchmarks/floor.py PROJECT es de fr

Prints one JSON line: pages, bytes, and the in-process seconds spent parsing and
rendering (the harness also times the whole process, start-up included).
"""

from __future__ import annotations

import json
import os
import sys
import time


def render_all(root: str, languages: list[str]) -> dict:
    """Parse and render every ``output/<lang>/*.md`` (index pages aside)."""
    from pipeline.markdown import parser  # timed with the rest of the start-up

    md = parser()
    pages = size = 0
    start = time.perf_counter()
    for lang in languages:
        folder = os.path.join(root, "output", lang)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".md"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                text = handle.read()
            html = md.render(text, {})
            pages += 1
            size += len(html)
    return {"pages": pages, "html_chars": size, "seconds": time.perf_counter() - start}


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    result = render_all(argv[0], argv[1:])
    print(json.dumps(result))
    return 0 if result["pages"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
