"""The last net under every page body: an HTML allow-list applied by nh3 (Ammonia).

The checks before it keep a translation from adding markup, links or raw HTML;
this keeps anything they might miss (a bug of ours, of markdown-it-py, of a plugin
added later) from reaching a reader: an element, attribute or URL scheme outside the
lists below is removed, the text inside kept.  A parser-based sanitizer in Rust,
maintained by the Ammonia project, does this better than code of our own would.
The lists are what our pages use; tests/site/test_security.py judges pages by the same.
"""

from __future__ import annotations

import nh3

TAGS = frozenset({
    "p", "a", "span", "div", "aside", "section", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5",
    "h6", "em", "strong", "code", "pre", "blockquote", "table", "thead", "tbody", "tr", "th",
    "td", "br", "hr", "img", "s", "sup", "sub",
})
_EVERYWHERE = {"class", "id", "lang", "dir", "role", "aria-label", "title"}
ATTRIBUTES = {"*": _EVERYWHERE, "a": {"href"}, "img": {"src", "alt"}, "ol": {"start"},
              "th": {"style"}, "td": {"style"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})  # and relative addresses


def clean(html: str) -> str:
    """``html`` with everything outside the allow-list removed (table alignment is the
    one style kept; links keep their ``rel``: nh3 would add ``noopener noreferrer``)."""
    return nh3.clean(html, tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel=None, strip_comments=True,
                     filter_style_properties={"text-align"})
