"""Localized Markdown → HTML page, through one autoescaping Jinja2 template.

The article body comes from the shared parser; everything else on the page
(title, description, language links, dates, notices) is data handed to the
template, rendered in the Jinja2 environment of the page's language
(:class:`~pipeline.site.chrome.Chrome`), where the template's own strings are
translated through the page-chrome catalog (``_site``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from babel.dates import format_date
from babel.lists import format_list
from markupsafe import Markup, escape

from pipeline import frontmatter
from pipeline.site import sanitize
from pipeline.site.chrome import Chrome, chrome as make_chrome
from pipeline import languages
from pipeline.languages import Language
from pipeline.markdown import Parsed, parse_with_env, parser


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "extract, translate later"
    return message


# Translators: MEDICAL DISCLAIMER (the title of every safety-warning box)
DISCLAIMER_HEADING = N_("Medical disclaimer")

@dataclass(frozen=True, slots=True)
class Link:
    """A link to the same page in another language."""

    language: Language
    href: str  # relative, for readers
    current: bool = False
    url: str = ""  # absolute where a base-url is set, for hreflang and the sitemap


@dataclass(frozen=True)
class Page:
    """Everything the page template shows besides the article body."""

    language: Language
    markdown: str
    parsed: Parsed | None = None  # tokens of ``markdown`` if already parsed
    links: list[Link] = field(default_factory=list)
    default_href: str = ""
    canonical: str = ""
    untranslated: int = 0
    segments: int = 0
    source_language: Language | None = None
    fallback: frozenset[int] = frozenset()  # tokens of blocks still in the source language


def _as_written() -> Chrome:
    """The source language's chrome: the templates' strings as written."""
    return make_chrome(None, [], None)


def front_matter(parsed: Parsed) -> dict:
    """The front-matter mapping of a parsed (localized) document, or {}."""
    for token in parsed.tokens:
        if token.type == "front_matter":
            data = frontmatter.load(token.content)
            return data if isinstance(data, dict) else {}
        if token.type != "front_matter" and token.block:
            break  # front matter can only come first
    return {}


def render(text: str) -> str:
    """The HTML of Markdown ``text`` as an article page's body holds it: front matter
    left out, disclaimer boxes titled "Medical disclaimer" (the page puts the article's
    dates right after its first ``</h1>``)."""
    return str(body_html(parse_with_env(text)))


def body_html(parsed: Parsed, disclaimer_heading: str = "Medical disclaimer",
              fallback: frozenset[int] | set[int] = frozenset(),
              fallback_language: Language | None = None) -> Markup:
    """The article's HTML; disclaimer boxes get ``disclaimer_heading`` as their title.

    ``fallback`` holds the positions, in ``parsed.tokens``, of the inline tokens left in
    ``fallback_language`` (``LocalizedDocument.fallback()``); each one's block gets
    ``lang``/``dir`` so screen readers and browsers switch.
    """
    md = parser()
    tokens, env = parsed.tokens, {**parsed.env, "disclaimer_heading": disclaimer_heading}
    if fallback_language is not None:
        for index in fallback:
            block = _visible_block(tokens, index)
            if block is not None:
                block.attrSet("lang", fallback_language.tag)
                block.attrSet("dir", fallback_language.direction)
    return Markup(md.renderer.render(tokens, md.options, env))


def _visible_block(tokens, inline_index: int):
    """The rendered element holding an inline token (a tight list's hidden <p> → its <li>)."""
    index = inline_index - 1
    while index >= 0 and tokens[index].hidden:
        index -= 1
    return tokens[index] if index >= 0 and tokens[index].nesting == 1 else None


def page_html(page: Page, chrome: Chrome | None = None) -> str:
    """A complete article page; the dates go right under the article's first heading.

    The body passes the HTML allow-list (:mod:`.sanitize`) last, whatever the checks
    before it let through."""
    chrome = chrome or _as_written()
    parsed = page.parsed or parse_with_env(page.markdown)
    meta = front_matter(parsed)
    heading = chrome.gettext(DISCLAIMER_HEADING).striptags()  # an attribute, too
    body = sanitize.clean(body_html(parsed, heading, page.fallback, page.source_language))
    heading, close, rest = body.partition("</h1>\n")
    if not close:
        heading, rest = "", body
    return _render("page.html", chrome, page.language,
                   page=page, title=str(meta.get("title", "")),
                   description=str(meta.get("description", "")),
                   published=_date(meta.get("date"), page.language),
                   reviewed=_date(meta.get("reviewed"), page.language),
                   heading=Markup(heading + close), body=Markup(rest))


def sitemap_xml(entries: list[dict]) -> str:
    """``sitemap.xml`` with ``xhtml:link`` hreflang alternates and ``x-default``."""
    return _as_written().render("sitemap.xml", entries=entries)


def index_html(language: Language, articles: list[dict], links: list[Link],
               chrome: Chrome | None = None) -> str:
    """One language's list of articles (``title``, ``description``, ``href``, ``others``),
    with the language switcher (``links``: every language's index page)."""
    return _render("index.html", chrome or _as_written(), language, articles=articles,
                   links=links)


# Translators: on the page where a reader chooses a language, under the language's own name
# in that language; %(language)s is the name of your language as it reads inside a sentence
# ("español", "Deutsch").
CHOOSE = N_("Read the articles in %(language)s")


@dataclass(frozen=True)
class Choice:
    """One language offered on the front page, in its own words."""

    link: Link
    invitation: Markup  # CHOOSE in the link's language


def choice(link: Link, chrome: Chrome) -> Choice:
    """``link``'s entry on the front page, worded by its language's own ``chrome``."""
    name = link.language.locale.get_display_name(link.language.locale) or link.language.native_name
    return Choice(link, chrome.gettext(CHOOSE) % {"language": name})


def root_html(language: Language, choices: list[Choice], negotiation: dict[str, str],
              chrome: Chrome | None = None) -> str:
    """The site's front page, in the source language: every published language offered in
    its own words; a script sends a reader on by ``negotiation`` (see
    :meth:`pipeline.site.model.Site.negotiation`)."""
    return _render("root.html", chrome or _as_written(), language, choices=choices,
                   links=[c.link for c in choices], negotiation=negotiation)


def error_html(page: str, lines: list[str], withheld: bool) -> str:
    """``pipeline serve``'s stand-in for ``page`` (a path under output/), which the last build
    could not publish: the one-line diagnostics saying why.  For the person running the
    preview, in English as the terminal is."""
    if withheld:
        heading, explanation = "Page withheld", f"The build withheld {page}:"
    else:
        heading, explanation = "Build failed", f"The last build could not make {page}:"
    return _render("error.html", _as_written(), languages.language("en"), page=page, lines=lines,
                   heading=heading, explanation=explanation)


def _render(name: str, chrome: Chrome, language: Language, **context: object) -> str:
    return chrome.render(name, lang=language, **context,
                         join=lambda items, each=escape: join_list([each(i) for i in items], language))


def join_list(items: list, language: Language) -> Markup:
    """``items`` (text or Markup, escaped as needed) joined as ``language`` joins a list:
    Babel's ``format_list``, CLDR's standard pattern ("A, B and C", "A y B", "A وB")."""
    if not items:
        return Markup("")
    pattern = format_list([f"{{{index}}}" for index in range(len(items))], locale=language.locale)
    return Markup(escape(pattern)).format(*items)


def _date(value: object, language: Language) -> str:
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        return ""
    return format_date(value, format="long", locale=language.locale)
