"""Markdown health articles → gettext catalogs → localized Markdown and HTML pages.

The library API a Python user can call without any files::

    import pipeline
    segments = pipeline.extract(text)              # list[Segment]
    localized = pipeline.localize(text, translate)  # translate(segment) -> str | None
    html = pipeline.render(localized)              # the page's article body
    fake = pipeline.pseudolocalize(segment.msgid)   # a pseudo-translation, for testing

The command line (``pipeline extract | init | update | check | stats | build``)
is a thin layer over the same functions.

The package is laid out by the steps of that flow: ``markdown`` (the parser),
``segments`` and ``merge`` (Markdown to segments and back), ``po`` (catalogs),
``checks`` (what a translation may change, and the publish gate), ``site`` (pages),
``project`` (files on disk), ``commands`` (one orchestrator per command-line verb over
a :class:`~pipeline.session.Session`).
"""

from pipeline.diagnostics import PipelineError
from pipeline.merge import localize
from pipeline.pseudo import pseudolocalize
from pipeline.site.render import render
from pipeline.segments import Segment, extract

__all__ = ["PipelineError", "Segment", "extract", "localize", "pseudolocalize", "render"]
