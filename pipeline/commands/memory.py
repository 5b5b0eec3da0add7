"""``memory export``: the project's translation memory for CAT tools, and its conflicts.

The memory itself is read by the :class:`~pipeline.session.Session` (``update`` fills
catalogs from it); here it leaves the project as TMX, and ``check`` learns where two
reviewed translations of one message disagree.
"""

from __future__ import annotations

import os
import time

from pipeline.diagnostics import WARNING, Diagnostic, PipelineError
from pipeline.languages import language
from pipeline.po import tmx
from pipeline.po.memory import Conflict
from pipeline.project.files import write_atomic
from pipeline.session import Session, pipeline_version


def export(session: Session, code: str, output: str) -> tuple[int, int]:
    """Write ``code``'s reviewed translations (the session's memory, with no external one) as
    TMX 1.4b to ``output``; (written, skipped)."""
    config = session.config
    language(code)  # an unknown locale code is an error, not an empty file
    if code not in config.locales:
        raise PipelineError(f"'{code}' is not one of the configured locales "
                            f"({', '.join(config.locales)})", code="unknown-locale")
    units = sorted(session.memory(code).units(),
                   key=lambda u: (u.msgid, u.msgctxt or "", u.kind, u.msgstr))
    text, skipped = tmx.dumps(units, config.source_language, code, version=pipeline_version(),
                              date=_tmx_date())
    write_atomic(output, text)
    return len(units) - skipped, skipped


def conflicts(session: Session) -> list[Diagnostic]:
    """A warning per message whose reviewed translations disagree between catalogs of one
    language, at each of them, naming the others: the memory takes none of them."""
    found = []
    for code in session.config.locales:
        for conflict in session.memory(code).conflicts():
            found += _conflict_diagnostics(conflict)
    return found


def _conflict_diagnostics(conflict: Conflict) -> list[Diagnostic]:
    excerpt = conflict.msgid if len(conflict.msgid) <= 60 else conflict.msgid[:57] + "..."
    diagnostics = []
    for unit in conflict.units:
        others = ", ".join(other.origin for other in conflict.units if other is not unit)
        path, _, line = unit.origin.rpartition(":")
        diagnostics.append(Diagnostic(
            path, int(line), WARNING, "memory-conflict",
            f"\"{excerpt}\" is translated differently in {others}; the translation memory takes "
            "neither until they agree"))
    return diagnostics


def _tmx_date() -> str:
    """TMX's date format (ISO 8601 basic, UTC), from ``SOURCE_DATE_EPOCH`` when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = time.gmtime(int(epoch)) if epoch and epoch.isdigit() else time.gmtime()
    return time.strftime("%Y%m%dT%H%M%SZ", moment)
