"""Markdown health articles → gettext catalogs → localized Markdown and HTML pages.

The library API a Python user can call without any files::

    import pipeline
    segments = pipeline.extract(text)              # list[Segment]
    localized = pipeline.localize(text, translate)  # translate(segment) -> str | None

The command line (``pipeline extract | init | update | check | stats | build``)
is a thin layer over the same functions.
"""

from .errors import PipelineError
from .merge import localize
from .segments import Segment, extract

__all__ = ["PipelineError", "Segment", "extract", "localize"]
