"""Where a project's files are, and reading them: sources, templates, catalogs.

Every path a message shows is relative to the project root (:func:`relative`),
and every reader here turns a problem into a :class:`PipelineError` located in
its file.
"""

from __future__ import annotations

import os
import re

import polib

from pipeline.po import catalogs, glossary, header
from pipeline.project.config import Config
from pipeline.diagnostics import WARNING, Diagnostic, PipelineError
from pipeline.project.files import read_text
from pipeline.languages import language, spelling
from pipeline.segments import Document, read


def documents(config: Config) -> list[str]:
    """Names of the source documents (``source/<doc>.md``; ``_*.md`` are not articles)."""
    if not os.path.isdir(config.source):
        raise PipelineError("source folder not found", path=relative(config, config.source),
                            code="config")
    names = sorted(name[:-3] for name in os.listdir(config.source)
                   if name.endswith(".md") and not name.startswith(("_", ".")))
    for name in names:
        _safe_name(name, relative(config, source_path(config, name)))
    return names


# A document's name becomes a file name and a relative link on every index page: letters,
# digits, '-', '_' and '.', starting with a letter or digit, so that it can never read as a
# URL scheme ("javascript:…") or a path; "index" is the language's index page.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_RESERVED = frozenset({"index"})


def _safe_name(name: str, where: str) -> str:
    if not _NAME.fullmatch(name) or name.lower() in _RESERVED:
        why = ("is the name of the index page the site writes" if name.lower() in _RESERVED else
               "may hold only letters, digits, '-', '_' and '.', start with a letter or digit, "
               "and be at most 100 characters long")
        raise PipelineError(f"the document name {name!r} {why}: rename {name}.md",
                            path=where, code="unsafe-name")
    return name


def source_path(config: Config, doc: str) -> str:
    return os.path.join(config.source, f"{doc}.md")


def template_path(config: Config, domain: str) -> str:
    return os.path.join(config.locales_root, "templates", f"{domain}.pot")


def catalog_path(config: Config, code: str, domain: str) -> str:
    return os.path.join(config.locales_root, code, "LC_MESSAGES", f"{domain}.po")


def glossary_path(config: Config, code: str) -> str:
    """``locales/<lang>/glossary.po``: beside ``LC_MESSAGES``, so no step takes it for an article's catalog."""
    return os.path.join(config.locales_root, code, "glossary.po")


def relative(config: Config, path: str) -> str:
    """Paths in messages and ``#:`` references are relative to the project root."""
    return os.path.relpath(path, config.root)


def inside(config: Config, path: str) -> str:
    """``path``, if it resolves inside the project: a symlinked source, catalog or
    ``locales/<lang>`` folder pointing elsewhere would publish a file of the machine
    (``/etc/passwd``) or make ``update`` write outside the project."""
    root = os.path.realpath(config.root)
    resolved = os.path.realpath(path)
    if resolved != root and not resolved.startswith(root.rstrip(os.sep) + os.sep):
        raise PipelineError("resolves outside the project (a symbolic link?); refusing to "
                            "read or write it", path=relative(config, path), code="unsafe-path")
    return path


def read_document(config: Config, doc: str, inline: bool = True) -> Document:
    path = inside(config, source_path(config, doc))
    try:
        return read(read_text(path), config.front_matter, inline)
    except PipelineError as error:
        raise error.at(relative(config, path)) if error.path is None else error


def load_glossary(config: Config, code: str) -> glossary.Glossary | None:
    """A locale's terminology base, or None if it has none; read as strictly as a catalog."""
    po = _load_po(config, code, glossary_path(config, code))
    return None if po is None else glossary.from_catalog(po, relative(config, glossary_path(config, code)))


def load_catalog(config: Config, code: str, domain: str) -> polib.POFile | None:
    """A locale's catalog, or None if it has none; its header must match its folder."""
    return _load_po(config, code, catalog_path(config, code, domain))


def _load_po(config: Config, code: str, path: str) -> polib.POFile | None:
    path = inside(config, path)
    if not os.path.exists(path):
        return None
    shown = relative(config, path)
    try:
        po = catalogs.load(path)
    except PipelineError as error:
        raise PipelineError(error.message, path=shown, line=error.line, code=error.code) from None
    header.check_header(po, language(code), shown)
    return po


def unconfigured_catalogs(config: Config) -> list[Diagnostic]:
    """A warning for each ``locales/<lang>/LC_MESSAGES`` folder of a locale the
    configuration does not list: its catalogs are never checked, updated or published,
    which a translator who just delivered them would not guess."""
    configured = {spelling(code) for code in config.locales}
    try:
        names = sorted(os.listdir(config.locales_root))
    except OSError:
        return []
    return [Diagnostic(relative(config, os.path.join(config.locales_root, name)), None, WARNING,
                       "unconfigured-locale",
                       f"catalogs of '{name}' are never checked, updated or published: add "
                       f"\"{name}\" to `locales` in [tool.pipeline] of pyproject.toml, or remove the folder")
            for name in names
            if name != "templates" and spelling(name) not in configured
            and os.path.isdir(os.path.join(config.locales_root, name, "LC_MESSAGES"))]
