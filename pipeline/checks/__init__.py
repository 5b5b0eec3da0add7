"""Checks of translations, and the decision whether a page may be published.

:mod:`.quality` holds the per-translation checks (links, code, placeholders, HTML,
emphasis...), each a small function in a registry; :mod:`.gate` decides, per page and
language, what may be used and whether the page is published (disclaimers, completeness).
"""
