"""The published site as data: which versions of which article exist, and the links between them.

Pure bookkeeping for :mod:`pipeline.commands.build`: a page links only to languages in
which that same page is published; index pages and the sitemap list what is
there.  Addresses are relative between pages and absolute (from ``base-url``)
where the web needs them: hreflang alternates, canonical links, the sitemap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.checks.gate import PageReport
from pipeline.languages import Language, is_pseudo
from pipeline.markdown import Parsed
from pipeline.site.render import Link, Page


@dataclass(frozen=True)
class Version:
    """One article in one language, as it will be published."""

    doc: str
    language: Language
    markdown: str
    report: PageReport | None  # None for the source language
    parsed: Parsed | None = None
    title: str = ""
    description: str = ""


@dataclass
class Site:
    base_url: str = ""
    by_doc: dict[str, list[Version]] = field(default_factory=dict)
    order: tuple[str, ...] = ()  # language codes as configured: the source's, then the locales

    def add(self, doc: str, language: Language, markdown: str, report: PageReport | None,
            parsed: Parsed | None = None, title: str = "", description: str = "") -> None:
        self.by_doc.setdefault(doc, []).append(
            Version(doc, language, markdown, report, parsed, title, description))

    def versions(self) -> list[Version]:
        return [version for versions in self.by_doc.values() for version in versions]

    def url(self, code: str, name: str, depth: int = 1) -> str:
        """Absolute with a base URL, else relative to a page ``depth`` folders down."""
        return f"{self.base_url}{code}/{name}" if self.base_url else f"{'../' * depth}{code}/{name}"

    def page(self, version: Version, source: Language) -> Page:
        versions = self.by_doc[version.doc]
        links = [Link(v.language, f"../{v.language.code}/{version.doc}.html",
                      v.language == version.language, self.url(v.language.code, f"{version.doc}.html"))
                 for v in versions]
        report = version.report
        return Page(language=version.language, markdown=version.markdown, parsed=version.parsed,
                    links=links,
                    default_href=self.url(versions[0].language.code, f"{version.doc}.html"),
                    canonical=self.url(version.language.code, f"{version.doc}.html"),
                    untranslated=report.untranslated_segments if report else 0,
                    segments=report.counts.segments if report else 0,
                    source_language=source,
                    fallback=frozenset(report.fallback) if report else frozenset())

    def languages(self) -> list[Language]:
        """The languages with a published page, in the configured order."""
        seen: dict[str, Language] = {}
        for version in self.versions():
            seen.setdefault(version.language.code, version.language)
        rank = {code: index for index, code in enumerate(self.order)}
        return sorted(seen.values(), key=lambda lang: rank.get(lang.code, len(rank)))

    def negotiation(self) -> dict[str, str]:
        """Where the front page sends a reader, by lowercase language tag: each published
        language's own tag, then each language subtag ("ar") to the first published language
        of that subtag in the configured order that is not a pseudo-locale (a reader of
        Arabic is never sent to ``ar-XB``).  The page's script looks up each of the reader's
        tags, whole then shortened, as RFC 4647's lookup does."""
        table: dict[str, str] = {}
        links = self.language_links(None)
        for link in links:
            table[link.language.tag.lower()] = link.href
        for link in links:
            if not is_pseudo(link.language.code):
                table.setdefault(link.language.tag.split("-")[0].lower(), link.href)
        return table

    def language_links(self, current: Language | None) -> list[Link]:
        """Links to each language's index: from the root (current None) or from an index."""
        depth = 0 if current is None else 1
        return [Link(lang, f"{'../' * depth}{lang.code}/index.html", lang == current,
                     self.url(lang.code, "index.html", depth)) for lang in self.languages()]

    def indexes(self) -> list[tuple[Language, list[dict]]]:
        """Per language, its articles with translated title and description."""
        result = []
        for lang in self.languages():
            articles = []
            for doc, versions in self.by_doc.items():
                mine = next((v for v in versions if v.language == lang), None)
                if mine is None:
                    continue
                articles.append({
                    "href": f"{doc}.html", "title": mine.title or doc,
                    "description": mine.description,
                    "others": [Link(v.language, f"../{v.language.code}/{doc}.html")
                               for v in versions if v.language != lang]})
            result.append((lang, articles))
        return result

    def sitemap(self) -> list[dict]:
        """One entry per published page, with its alternates and x-default (needs base-url)."""
        entries = []
        for doc, versions in self.by_doc.items():
            alternates = [(v.language.tag, self.url(v.language.code, f"{doc}.html")) for v in versions]
            default = alternates[0][1]
            for version in versions:
                entries.append({"loc": self.url(version.language.code, f"{doc}.html"),
                                "alternates": alternates, "default": default})
        return entries
