"""Markdown health articles → gettext catalogs → localized Markdown and HTML pages.

The library API a Python user can call without any files::

    import pipeline
    segments = pipeline.extract(text)              # list[Segment]
    localized = pipeline.localize(text, translate)  # translate(segment) -> str | None
    html = pipeline.render(localized)              # the page's article body
    fake = pipeline.pseudolocalize(segment.msgid)   # a pseudo-translation, for testing

The command line (``pipeline extract | init | update | check | stats | build``)
is a thin layer over the same functions.

``pipeline.render`` is the function: it hides the submodule of the same name as an
attribute of the package (``from pipeline.render import page_html`` still works).
"""

from .errors import PipelineError
from .merge import localize
from .pseudo import pseudolocalize
from .render import render
from .segments import Segment, extract

__all__ = ["PipelineError", "Segment", "extract", "localize", "pseudolocalize", "render"]
