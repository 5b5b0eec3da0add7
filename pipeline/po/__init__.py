"""Gettext catalogs: :mod:`.reader` (as strict as msgfmt), :mod:`.writer` (byte for byte as
GNU gettext writes), :mod:`.catalogs` (templates, new catalogs, msgmerge-like update,
statistics), :mod:`.plurals` (the Plural-Forms a header may declare), and the Babel
extractor for Markdown.
"""
