"""A Babel extraction method, so ``pybabel extract`` can pull Markdown segments into any project.

Registered as the ``markdown`` entry point of the ``babel.extractors`` group; in a
``babel.cfg``::

    [markdown: source/**.md]

The messages, contexts and comments are the ones ``pipeline extract`` writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from pipeline.segments import DEFAULT_FIELDS, extract


def extract_markdown(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                     options: dict[str, Any]) -> Iterator[tuple[int, str | None, Any, list[str]]]:
    """Yield ``(line, funcname, message, comments)`` per segment, as Babel expects.

    A segment with a context comes as a ``pgettext`` call, which Babel's
    default keywords map to ``msgctxt``. Option ``front_matter``: the
    comma-separated front-matter keys to translate (default title, description).
    """
    encoding = options.get("encoding", "utf-8")
    fields = tuple(f.strip() for f in options.get("front_matter", ",".join(DEFAULT_FIELDS)).split(","))
    text = fileobj.read().decode(encoding)
    for segment in extract(text, tuple(f for f in fields if f)):
        comments = [line for line in segment.comment.split("\n") if line]
        if segment.msgctxt:
            yield segment.line, "pgettext", [segment.msgctxt, segment.msgid], comments
        else:
            yield segment.line, None, segment.msgid, comments
