"""The published site: :mod:`.model` (which versions exist, links between them),
:mod:`.render` (HTML pages through Jinja2), :mod:`.chrome` (the templates' own strings,
translated), :mod:`.serve` (local preview with rebuild on save), and ``templates/``.
"""
