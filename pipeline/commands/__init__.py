"""One orchestrator per command-line verb, each over a :class:`pipeline.session.Session`.

:mod:`.catalogs` (extract, init, update, pseudo, compile), :mod:`.check` (check,
stats) and :mod:`.build` (build) decide which files to read and write; every
other module of the package works on text and plain objects.
"""
