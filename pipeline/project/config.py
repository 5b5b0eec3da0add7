"""``[tool.pipeline]`` in ``pyproject.toml`` → a typed, validated :class:`Config`."""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass

from pipeline.diagnostics import PipelineError
from pipeline.languages import language, spelling


@dataclass(frozen=True)
class Config:
    """Where things live and which languages are published; paths are absolute."""

    root: str
    source_language: str = "en"
    locales: tuple[str, ...] = ()
    min_completeness: float = 0.8
    source_dir: str = "source"
    locales_dir: str = "locales"
    output_dir: str = "output"
    front_matter: tuple[str, ...] = ("title", "description")
    keep_as_is: tuple[str, ...] = ()
    base_url: str = ""

    def path(self, *parts: str) -> str:
        return os.path.join(self.root, *parts)

    @property
    def source(self) -> str:
        return self.path(self.source_dir)

    @property
    def locales_root(self) -> str:
        return self.path(self.locales_dir)

    @property
    def output(self) -> str:
        return self.path(self.output_dir)


# key in pyproject → (attribute, expected type, description for errors)
_KEYS: dict[str, tuple[str, type, str]] = {
    "source-language": ("source_language", str, "a locale code string"),
    "locales": ("locales", list, "a list of locale code strings"),
    "min-completeness": ("min_completeness", float, "a number from 0 to 1"),
    "source-dir": ("source_dir", str, "a folder path string"),
    "locales-dir": ("locales_dir", str, "a folder path string"),
    "output-dir": ("output_dir", str, "a folder path string"),
    "front-matter": ("front_matter", list, "a list of front-matter key strings"),
    "keep-as-is": ("keep_as_is", list, "a list of words left untranslated (drug names…)"),
    "base-url": ("base_url", str, "the site's absolute address, e.g. 'https://example.org/'"),
}


def load(start: str) -> Config:
    """The configuration of the project holding ``start``: the nearest ``pyproject.toml`` in
    it or a folder above (as git and pytest look), whose ``[tool.pipeline]`` table must exist.

    A missing table is an error naming the nearest table found, since a typo such as
    ``[tool.pipline]`` would otherwise configure no language, and a build would remove every
    translated page."""
    start = os.path.abspath(start)
    if not os.path.isdir(start):
        raise PipelineError("no such folder", path=start, code="config")
    root = _project_root(start)
    if root is None:
        raise PipelineError("no pyproject.toml here or in a folder above: run in a project "
                            "(or give its folder with -C)", path=start, code="config")
    path = os.path.join(root, "pyproject.toml")
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise PipelineError(f"invalid TOML: {error}", path=_shown(path, start),
                            line=_toml_line(error), code="config") from None
    except UnicodeDecodeError as error:
        raise PipelineError(f"not valid UTF-8 (byte 0x{error.object[error.start]:02x}); TOML files "
                            "are UTF-8", path=_shown(path, start), code="config") from None
    except OSError as error:
        raise PipelineError(f"cannot read: {error.strerror}", path=_shown(path, start),
                            code="config") from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict) or "pipeline" not in tool:
        raise PipelineError(f"no [tool.pipeline] table{_nearest_table(tool)}; the pipeline's "
                            "settings go there (at least: locales = [...])",
                            path=_shown(path, start), code="config")
    return parse(tool["pipeline"], root=root, path=_shown(path, start), lines=_key_lines(path))


def _project_root(start: str) -> str | None:
    folder = start
    while True:
        if os.path.isfile(os.path.join(folder, "pyproject.toml")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _shown(path: str, start: str) -> str:
    return os.path.relpath(path, start)


def _nearest_table(tool: object) -> str:
    names = [f"tool.{name}" for name in tool] if isinstance(tool, dict) else []
    close = difflib.get_close_matches("tool.pipeline", names, n=1, cutoff=0.75)
    return f" (did you mean [tool.pipeline], not [{close[0]}]?)" if close else ""


def parse(table: object, *, root: str, path: str = "pyproject.toml",
          lines: dict[str, int] | None = None) -> Config:
    """Validate the ``[tool.pipeline]`` table: unknown keys and wrong types name the key."""
    lines = lines or {}

    def fail(message: str, name: str = "") -> PipelineError:
        line = lines.get(name) or lines.get("")
        return PipelineError(message, path=path, line=line, code="config")

    if not isinstance(table, dict):
        raise fail("[tool.pipeline] must be a table")
    values: dict[str, object] = {}
    for name, value in table.items():
        if name not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            raise fail(f"unknown key '{name}' in [tool.pipeline] (known keys: {known})", name)
        attribute, kind, wanted = _KEYS[name]
        values[attribute] = _check(name, value, kind, wanted, lambda m: fail(m, name))
    config = Config(root=root, **values)
    if config.base_url and not re.match(r"^https?://[^/\s]+/(?:\S*/)?$", config.base_url):
        raise fail("'base-url' must be an absolute http(s) address ending with '/', "
                   f"not {config.base_url!r}", "base-url")
    for name, codes in (("source-language", [config.source_language]), ("locales", config.locales)):
        for code in codes:
            try:
                language(code)
            except PipelineError as error:
                raise fail(f"'{name}': {error.message}", name) from None
    source = config.source_language
    spellings = {spelling(source): source}
    for code in config.locales:
        same = spellings.get(spelling(code))
        spellings[spelling(code)] = code
        if same is not None:
            what = "the source language" if same == source else "a locale twice"
            raise fail(f"'locales' lists {what}: '{code}' is '{same}' (one folder per locale, "
                       "in one spelling)", "locales")
    return config


def _check(name: str, value: object, kind: type, wanted: str, fail) -> object:
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise fail(f"'{name}' must be {wanted}, not {value!r}")
        return float(value)
    if kind is list:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise fail(f"'{name}' must be {wanted}, not {value!r}")
        if len(set(value)) != len(value):
            raise fail(f"'{name}' lists an item twice: {value!r}")
        return tuple(value)
    if not isinstance(value, kind) or (kind is str and not value):
        raise fail(f"'{name}' must be {wanted}, not {value!r}")
    return value


def _key_lines(path: str) -> dict[str, int]:
    """Line numbers of ``[tool.pipeline]`` ("") and of each key in it, for error messages."""
    found: dict[str, int] = {}
    inside = False
    with open(path, encoding="utf-8") as handle:
        for number, text in enumerate(handle, 1):
            stripped = text.strip()
            if stripped.startswith("["):
                inside = stripped.replace(" ", "") == "[tool.pipeline]"
                if inside:
                    found[""] = number
            elif inside and "=" in stripped:
                found.setdefault(stripped.split("=", 1)[0].strip().strip('"'), number)
    return found


def _toml_line(error: tomllib.TOMLDecodeError) -> int | None:
    match = re.search(r"line (\d+)", str(error))
    return int(match.group(1)) if match else None
