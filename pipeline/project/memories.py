"""Where a language's translation memory comes from: the project's own catalogs, and
external memories a maintainer names (``pipeline update --memory FILE``).

Reading only; the :class:`~pipeline.session.Session` keeps what is read for the run.
"""

from __future__ import annotations

import os

from pipeline.diagnostics import PipelineError
from pipeline.po import catalogs, tmx
from pipeline.po.memory import Unit, units_of
from pipeline.project.config import Config
from pipeline.project.layout import catalog_path, documents, load_catalog, relative


def project_units(config: Config, code: str) -> list[Unit]:
    """Every reviewed translation in ``code``'s article catalogs (the page chrome's are not
    article text).  A catalog that cannot be read is left out here: ``update`` and ``check``
    report it where it is used."""
    found: list[Unit] = []
    for doc in documents(config):
        try:
            po = load_catalog(config, code, doc)
        except PipelineError:
            continue
        if po is not None:
            path = relative(config, catalog_path(config, code, doc))
            found += units_of(po, path, reviewed=True, document=doc)
    return found


def external_units(path: str, source: str, target: str, shown: str | None = None) -> list[Unit]:
    """The units of a TMX file or a gettext compendium (``.po``/``.pot``) for ``target``:
    suggestions only (an outside translation is never taken as reviewed)."""
    shown = shown or path
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise PipelineError(f"cannot read the memory: {error.strerror}", path=shown,
                            code="memory") from None
    extension = os.path.splitext(path)[1].lower()
    if extension == ".tmx":
        return tmx.read(data, shown, source, target)
    if extension in (".po", ".pot"):
        try:
            po = catalogs.load(path)
        except PipelineError as error:
            raise PipelineError(error.message, path=shown, line=error.line, code=error.code) from None
        declared = po.metadata.get("Language", "").strip()
        if not declared:
            raise PipelineError("the compendium's header has no 'Language:': say which language "
                                "its translations are in", path=shown, line=1, code="memory")
        if _base(declared) != _base(target):
            return []  # another language's compendium: nothing for this one
        return units_of(po, shown, reviewed=False)
    raise PipelineError("a memory is a TMX file (.tmx) or a gettext compendium (.po)",
                        path=shown, code="memory")


def _base(code: str) -> str:
    return code.replace("_", "-").split("-")[0].casefold()
