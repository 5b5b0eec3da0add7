"""The source-positions plugin: where each block's inline text lies in the source.

``md.use(positions_plugin)`` wraps the leaf block rules that hold translatable
inline text (paragraph, ATX and setext headings, table) so that each ``inline``
token they produce carries ``token.meta["lines"]``: one ``(start, end)`` character
span of the (normalized) source per source line, after container markers and
indentation.  Extraction reads a segment's text there and merging writes its
translation back to exactly that place.

Only markdown-it-py's public Ruler API is used: a rule's function is found by its
place among the active rules, and replaced with ``Ruler.at``, which also takes the
terminator chains (``alt``) the rule must stay in.
"""

from __future__ import annotations

from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

RECORDED = ("paragraph", "heading", "lheading", "table")
"""The block rules whose inline tokens get ``meta["lines"]``."""

TERMINATOR_CHAINS = ("paragraph", "reference", "blockquote", "list")
"""The chains of block rules markdown-it tries at a line inside a paragraph, reference
definition, block quote or list, to see whether that line ends it (a rule's ``alt``)."""

BlockRule = Callable[[StateBlock, int, int, bool], bool]


def positions_plugin(md: MarkdownIt) -> None:
    """Record the source spans of the inline text of every enabled rule of :data:`RECORDED`."""
    active = md.block.ruler.get_active_rules()
    for name in RECORDED:
        if name in active:
            _record_positions(md, name)


def _record_positions(md: MarkdownIt, name: str) -> None:
    """Wrap the enabled block rule ``name``; the wrapper stays in every terminator chain
    the rule was in."""
    ruler = md.block.ruler
    original: BlockRule = ruler.getRules("")[ruler.get_active_rules().index(name)]
    alt = [chain for chain in TERMINATOR_CHAINS if original in ruler.getRules(chain)]

    def recording(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        first = len(state.tokens)
        if not original(state, start, end, silent):
            return False
        if not silent:
            for token in state.tokens[first:]:
                if token.type == "inline" and token.map:
                    token.meta["lines"] = [
                        (state.bMarks[n] + state.tShift[n], state.eMarks[n])
                        for n in range(token.map[0], token.map[1])
                    ]
        return True

    ruler.at(name, recording, {"alt": alt})
