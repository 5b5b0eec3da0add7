"""The one markdown-it-py configuration shared by extraction, merging and rendering.

CommonMark, GFM tables and strikethrough, front matter, footnotes, and the project's
rules as markdown-it-py plugins (``plugin(md, **options)``, used with ``md.use``):

* :mod:`.positions`: each ``inline`` token of a paragraph, heading or table records
  where its text lies in the source (``token.meta["lines"]``);
* :mod:`.disclaimers`: ``<!-- disclaimer -->`` before a block and the ``::: disclaimer``
  container, as one kind of disclaimer block, rendered as an ``<aside>``;
* :mod:`.shortcuts`: every speed shortcut, each giving stock markdown-it-py's tokens,
  all switched off by ``PIPELINE_MARKDOWN_SHORTCUTS=0`` or ``shortcuts=False``.

:mod:`.configuration` holds the configuration and the parsers built from it:
:func:`parse` and :func:`parse_with_env` parse a text, :func:`parser` is the shared
parser (never change it), :func:`new_parser` a fresh one the caller may extend.
"""

from pipeline.markdown.disclaimers import DISCLAIMER_CLOSERS, DISCLAIMER_COMMENT, DISCLAIMER_OPENERS
from pipeline.markdown.configuration import (
    Parsed,
    Parsers,
    configure,
    new_parser,
    normalize,
    parse,
    parse_with_env,
    parser,
    parsers,
)

__all__ = [
    "DISCLAIMER_CLOSERS", "DISCLAIMER_COMMENT", "DISCLAIMER_OPENERS", "Parsed", "Parsers",
    "configure", "new_parser", "normalize", "parse", "parse_with_env", "parser", "parsers",
]
