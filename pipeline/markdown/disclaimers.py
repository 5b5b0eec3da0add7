"""The disclaimer plugin: both ways of marking a medical disclaimer, as one kind of block.

``md.use(disclaimers_plugin)`` adds

* the ``::: disclaimer`` container (mdit-py-plugins' ``container_plugin``), whose
  tokens are ``container_disclaimer_open`` / ``container_disclaimer_close``;
* a core rule ``disclaimer`` that turns ``<!-- disclaimer -->`` before a block into
  a ``disclaimer_open`` / ``disclaimer_close`` pair around that block, the same shape
  as the container, so every later step sees one kind of disclaimer;
* render rules for both: a visible, announced ``<aside>`` whose title is
  ``env["disclaimer_heading"]`` (the page's language), "Medical disclaimer" without it.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

DISCLAIMER_COMMENT = re.compile(r"<!--\s*disclaimer\s*-->\s*", re.IGNORECASE)
DISCLAIMER_OPENERS = frozenset({"disclaimer_open", "container_disclaimer_open"})
DISCLAIMER_CLOSERS = frozenset({"disclaimer_close", "container_disclaimer_close"})


def disclaimers_plugin(md: MarkdownIt) -> None:
    """Add the ``::: disclaimer`` container, the ``<!-- disclaimer -->`` marker and their rendering."""
    md.use(container_plugin, name="disclaimer", render=render_disclaimer)
    md.core.ruler.push("disclaimer", mark_disclaimers)
    md.add_render_rule("disclaimer_open", render_disclaimer)
    md.add_render_rule("disclaimer_close", render_disclaimer)


def mark_disclaimers(state: StateCore) -> None:
    """Replace each ``<!-- disclaimer -->`` html block by open/close tokens around the next block."""
    tokens = state.tokens
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "html_block" and DISCLAIMER_COMMENT.fullmatch(token.content):
            end = _block_end(tokens, i + 1, token.level)
            if end is not None:
                opener = Token("disclaimer_open", "aside", 1, map=token.map, level=token.level, block=True)
                closer = Token("disclaimer_close", "aside", -1, level=token.level, block=True)
                tokens[i] = opener
                tokens.insert(end + 1, closer)
        i += 1


def _block_end(tokens: list[Token], start: int, level: int) -> int | None:
    """Index of the last token of the block starting at ``start`` (at ``level``), if any."""
    if start >= len(tokens) or tokens[start].level != level or tokens[start].nesting == -1:
        return None
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return None


def render_disclaimer(self, tokens, idx, _options, env) -> str:  # type: ignore[no-untyped-def]
    """A visible, announced box; ``env["disclaimer_heading"]`` is its translated title."""
    if tokens[idx].nesting == -1:
        return "</aside>\n"
    heading = escapeHtml(env.get("disclaimer_heading", "Medical disclaimer"))
    return (f'<aside class="disclaimer" role="note" aria-label="{heading}">\n'
            f'<p class="disclaimer-title">{heading}</p>\n')
