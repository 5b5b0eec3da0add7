"""Fuzzing the command line: whatever the project holds and whatever is typed, the user
sees one line per problem and a documented exit status, never a traceback.

Hypothesis breaks a copy of the test project (bytes or lines spliced into a source, a
catalog, the configuration or the front matter; a file replaced by a folder, a broken
symlink or a symlink loop) and runs one command line, in-process, so that an exception
escaping ``pipeline.cli.main`` fails the test with its traceback.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ARTICLE, FIXTURE, copy_project
from pipeline.cli import main

pytestmark = pytest.mark.slow

FILES = ["pyproject.toml", f"source/{ARTICLE}.md", f"locales/es/LC_MESSAGES/{ARTICLE}.po",
         "locales/ar/LC_MESSAGES/_site.po", f"locales/templates/{ARTICLE}.pot"]
SPLICES = st.one_of(
    st.binary(max_size=12),
    st.text(max_size=12),
    st.sampled_from([
        "\n[tool.pipeline]\n", 'locales = "es"\n', "min-completeness = 7\n", 'locales = ["es", "es"]\n',
        '"Plural-Forms: nplurals=9; plural=(n%;\\n"\n', '"Content-Type: text/plain; charset=rot13\\n"\n',
        'msgid "x\nmsgstr ""\n', "\\x110000", "---\ntitle: *a\n---\n", "date: 2026-02-30\n",
        "title: !!python/object:os.system x\n", "<!-- disclaimer -->\n", "::: disclaimer\n",
        "| a |\n|-|\n| b\\|\n", "[x]: javascript:alert(1)\n", "\0", "\ufeff", "\r", "\u202e",
    ]),
)
DAMAGE = st.sampled_from(["none", "splice", "folder", "dangling-link", "link-loop", "empty", "delete"])
COMMANDS = st.sampled_from([
    ["check"], ["check", "--format", "json"], ["check", "--format", "github"], ["stats"],
    ["stats", "--format", "json"], ["extract"], ["update"], ["update", "--purge-obsolete"],
    ["build", "-j", "1"], ["build", "--markdown-only", "-j", "1"], ["build", "--force", "-j", "1"],
    ["init", "he"], ["init", "zz"], ["init", "../x"], ["pseudo"], ["pseudo", "es"], ["compile"],
    ["check", "--format", "xml"], ["build", "--jobs", "0"], ["nonsense"], ["-C", "/nonexistent", "check"],
])
ONE_LINE = re.compile(r"^(\S[^\n]*?)(:\d+)?: (error|warning): [a-z0-9-]+: \S")


def _damage(project: Path, name: str, how: str, splice: bytes | str, where: int) -> None:
    path = project / name
    if how == "splice":
        data = path.read_bytes()
        extra = splice.encode("utf-8", "surrogatepass") if isinstance(splice, str) else splice
        at = where % (len(data) + 1)
        path.write_bytes(data[:at] + extra + data[at:])
    elif how == "folder":
        path.unlink()
        path.mkdir()
    elif how == "dangling-link":
        path.unlink()
        path.symlink_to(project / "nowhere")
    elif how == "link-loop":
        path.unlink()
        path.symlink_to(path)
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "delete":
        path.unlink()


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=list(HealthCheck))
@given(name=st.sampled_from(FILES), how=DAMAGE, splice=SPLICES, where=st.integers(0, 40_000),
       command=COMMANDS)
def test_no_input_and_no_command_line_gives_a_traceback(tmp_path_factory, capsys, name, how, splice,
                                                         where, command):
    project = copy_project(FIXTURE, tmp_path_factory.mktemp("fuzz"))
    _damage(project, name, how, splice, where)
    try:
        main(["-C", str(project), *command])
        code = 0
    except SystemExit as exit:
        code = exit.code
    captured = capsys.readouterr()
    assert code in (0, 1, 2), (code, captured.err)
    assert "Traceback" not in captured.err + captured.out
    for line in captured.err.splitlines():
        if "error" in line.split(":", 3)[-1][:10] or ": error: " in line:
            assert ONE_LINE.match(line) or line.startswith(("pipeline: error:", "Error: ", "Usage: ",
                                                            "Try ")), line
    leftovers = [p for p in project.rglob("*.tmp")]
    assert leftovers == []
