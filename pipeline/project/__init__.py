"""A project on disk: :mod:`.config` (``[tool.pipeline]``), :mod:`.layout` (where files
are, reading them), :mod:`.files` (atomic writes), :mod:`.lock` (one writer at a time).
"""
