"""Bad input gives one clear line and writes nothing; concurrent runs and saves lose nothing.

Each row of the README's "Bad input" table is a case of
``test_bad_input_gives_one_line_and_writes_nothing``.
"""

from __future__ import annotations

import re
import shutil

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import polib
import pytest

from conftest import ARTICLE
from pipeline.project import config, lock
from pipeline.commands import catalogs as catalog_commands
from pipeline.session import Session
from pipeline.diagnostics import PipelineError

ES_PO = Path("locales/es/LC_MESSAGES") / f"{ARTICLE}.po"
SOURCE = Path("source") / f"{ARTICLE}.md"


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _break_po(old: str, new: str):
    return lambda project: _replace_in(project / ES_PO, old, new)


def _write_bytes(relative: str, data: bytes):
    return lambda project: (project / relative).write_bytes(data)


def _po_bytes(project: Path) -> bytes:
    return (project / ES_PO).read_bytes()


BAD_INPUTS = {
    # name: (make it bad, command, expected "path:line: error: code", exit status)
    "unterminated string in a catalog": (
        _break_po('msgstr "Conclusión"', 'msgstr "Conclusión'),
        "build", f"{ES_PO}:{{line}}: error: catalog-syntax: end-of-line within string", 2),
    "bad escape in a catalog": (
        _break_po('msgstr "Conclusión"', 'msgstr "Conclusi\\ón"'),
        "check", f"{ES_PO}:{{line}}: error: catalog-syntax: invalid control sequence", 2),
    "msgstr without msgid": (
        _break_po('msgid "Conclusion"\n', ''),
        "check", f"{ES_PO}:{{line}}: error: catalog-syntax: msgstr without a msgid", 2),
    "duplicate entry": (
        lambda p: (p / ES_PO).write_text((p / ES_PO).read_text(encoding="utf-8")
                                         + '\nmsgid "Conclusion"\nmsgstr "Fin"\n', encoding="utf-8"),
        "update", f"{ES_PO}:{{line}}: error: catalog-syntax: duplicate message definition", 2),
    "catalog with a byte order mark": (
        lambda p: (p / ES_PO).write_bytes(b"\xef\xbb\xbf" + _po_bytes(p)),
        "update", f"{ES_PO}:1: error: catalog-encoding: the file starts with a byte order mark", 2),
    "catalog not in its declared charset": (
        lambda p: (p / ES_PO).write_bytes(_po_bytes(p).replace("Conclusión".encode(), b"Conclusi\xf3n")),
        "check", f"{ES_PO}:{{line}}: error: catalog-encoding: invalid UTF-8 byte sequence", 2),
    "header Language of another locale": (
        _break_po('"Language: es\\n"', '"Language: de\\n"'),
        "build", f"{ES_PO}:{{line}}: error: header-language: the header says 'Language: de'", 2),
    "header with the wrong number of plural forms": (
        _break_po('"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', '"Plural-Forms: nplurals=4; plural=(n%4);\\n"'),
        "check", f"{ES_PO}:{{line}}: error: header-plural-forms: the header declares 4 plural forms", 2),
    "catalog charset that is not a text encoding": (
        _break_po("charset=UTF-8", "charset=hex"),
        "check", f"{ES_PO}:{{line}}: error: catalog-encoding: the header's charset 'hex' is not a text encoding", 2),
    "escape beyond Unicode in a catalog": (
        _break_po('msgstr "Conclusión"', 'msgstr "Conclusi\\x110000n"'),
        "check", f"{ES_PO}:{{line}}: error: catalog-syntax: an escape sequence names no Unicode character", 2),
    "unreadable plural formula": (
        _break_po("plural=(n != 1);", "plural=(n != ;"),
        "build", f"{ES_PO}:{{line}}: error: header-plural-forms: the plural formula '(n !=' cannot be read", 2),
    "front matter date that does not exist": (
        lambda p: _replace_in(p / SOURCE, 'date: 2026-11-02', 'date: 2026-02-30'),
        "build", f"{SOURCE}:2: error: front-matter: invalid YAML front matter: a value YAML cannot read", 2),
    "invalid YAML front matter": (
        lambda p: _replace_in(p / SOURCE, 'date: 2026-11-02', 'date: [2026-11-02'),
        "build", f"{SOURCE}:{{line}}: error: front-matter: invalid YAML front matter", 2),
    "source file that is not UTF-8": (
        lambda p: (p / SOURCE).write_bytes((p / SOURCE).read_bytes().replace(b"Conclusion", b"Concl\xfcsion")),
        "extract", f"{SOURCE}:{{line}}: error: encoding: not valid UTF-8", 2),
    "unknown locale code": (
        lambda p: None, "init zz", "pipeline: error: unknown-locale: unknown locale code 'zz'", 2),
    "locale code that is a path": (
        lambda p: None, "init ../../etc", "pipeline: error: unknown-locale: malformed locale code '../../etc'", 2),
    "output folder symlinked outside output/": (
        lambda p: (p / "output").mkdir() or os.symlink(p.parent, p / "output" / "es"),
        "build", "error: unsafe-path: refusing to write outside output/", 2),
    "configuration key with the wrong type": (
        lambda p: _replace_in(p / "pyproject.toml", 'locales = ["es", "de", "fr", "ar"]', 'locales = "es"'),
        "build", "pyproject.toml:{line}: error: config: 'locales' must be a list", 2),
}


def _expected_line(project: Path, case: str) -> int | None:
    """Where the problem is, found independently of the code under test."""
    lines = {
        "pyproject.toml": (project / "pyproject.toml").read_text().splitlines(),
    }
    if case == "configuration key with the wrong type":
        return lines["pyproject.toml"].index('locales = "es"') + 1
    if case in ("invalid YAML front matter",):
        return 4
    if case == "source file that is not UTF-8":
        return next(n for n, l in enumerate((project / SOURCE).read_bytes().split(b"\n"), 1) if b"Concl\xfc" in l)
    text = (project / ES_PO).read_bytes().decode("utf-8", "replace").splitlines()
    markers = {"unterminated string in a catalog": 'msgstr "Conclusión', "bad escape in a catalog": "Conclusi\\",
               "msgstr without msgid": None, "duplicate entry": None,
               "catalog not in its declared charset": "Conclusi\ufffdn",
               "header Language of another locale": '"Language: de', "header with the wrong number of plural forms": '"Plural-Forms',
               "catalog charset that is not a text encoding": '"Content-Type', "escape beyond Unicode in a catalog": "Conclusi\\x110000",
               "unreadable plural formula": '"Plural-Forms'}
    if case == "msgstr without msgid":
        return next(n for n, l in enumerate(text, 1) if l == 'msgstr "Conclusión"')
    if case == "duplicate entry":
        return max(n for n, l in enumerate(text, 1) if l == 'msgid "Conclusion"')
    return next(n for n, l in enumerate(text, 1) if l.startswith(markers[case]) or markers[case] in l)


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every input file (the output folder aside: the pages of other languages are built)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink() and ".pipeline.lock" not in p.name
            and not str(p.relative_to(root)).startswith("output/")}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_gives_one_line_and_writes_nothing(project, cli, case):
    spoil, command, expected, status = BAD_INPUTS[case]
    spoil(project)
    before = _snapshot(project)
    result = cli(project, *command.split())
    assert result.code == status, result.err
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(errors) == 1 and "Traceback" not in result.err, result.err
    line = _expected_line(project, case) if "{line}" in expected else None
    assert expected.format(line=line) in errors[0]
    assert _snapshot(project) == before  # nothing written, nothing half-written
    assert not (project / "output/es" / f"{ARTICLE}.html").exists()


@pytest.mark.parametrize("catalog", [f"{ARTICLE}.po", "_site.po"])
def test_one_broken_catalog_withholds_only_its_pages(project, cli, catalog):
    """An unterminated string in the Spanish catalog used to stop the whole site."""
    path = project / "locales/es/LC_MESSAGES" / catalog
    path.write_text(path.read_text("utf-8") + '\nmsgid "unterminated\nmsgstr ""\n', "utf-8")
    result = cli(project, "build")
    assert result.code == 2, result.err
    assert re.search(rf"^locales/es/LC_MESSAGES/{re.escape(catalog)}:\d+: error: catalog-syntax: ",
                     result.err, re.MULTILINE), result.err
    assert "es/ketamine-for-anxiety: WITHHELD" in result.err
    assert not (project / "output/es" / f"{ARTICLE}.html").exists()
    for code in ("en", "de", "fr", "ar"):
        assert (project / "output" / code / f"{ARTICLE}.html").exists(), code


def test_a_second_writer_is_refused_while_the_first_runs(project, cli):
    with lock.project_lock(str(project)):
        result = cli(project, "update")
    assert result.code == 2
    assert "error: locked: another pipeline command is writing this project (pid" in result.err
    assert cli(project, "update").code == 0  # the lock went with the first run


def test_update_never_overwrites_a_translator_save(project, monkeypatch):
    """The translator saves while update is merging: update merges again from their file."""
    settings = config.load(str(project))
    po_path = project / ES_PO
    original_update = catalog_commands.merge.update
    calls = []

    def slow_update(po, pot, *memory):
        merged = original_update(po, pot, *memory)
        if not calls:  # the translator saves during the first merge of the Spanish catalog
            if po.metadata.get("Language") == "es" and po.find("Conclusion"):
                edited = polib.pofile(str(po_path))
                edited.find("Conclusion").msgstr = "En resumen"
                time.sleep(0.01)
                edited.save(str(po_path))
                calls.append("saved")
        return merged

    monkeypatch.setattr(catalog_commands.merge, "update", slow_update)
    source = project / SOURCE
    source.write_text(source.read_text(encoding="utf-8").replace("## Conclusion\n", "## Conclusion\n\nA new paragraph.\n"),
                      encoding="utf-8")
    catalog_commands.update(Session(settings, jobs=1))
    assert calls == ["saved"]
    after = polib.pofile(str(po_path))
    assert after.find("Conclusion").msgstr == "En resumen"  # the translator's save survived
    assert after.find("A new paragraph.") is not None  # and the update happened


def test_obsolete_entries_are_kept_until_an_explicit_purge(project, cli):
    _replace_in(project / SOURCE, "Ketamine can also promote the growth of new brain cells, which can help improve\n"
                "mood and reduce symptoms of anxiety.\n\n", "")
    cli(project, "update")
    cli(project, "update")
    assert polib.pofile(str(project / ES_PO)).obsolete_entries()
    assert cli(project, "update", "--purge-obsolete").code == 0
    assert not polib.pofile(str(project / ES_PO)).obsolete_entries()


@pytest.mark.slow
def test_killing_build_and_update_leaves_every_file_old_or_new(project):
    """Kill the process at random moments, 50 times: every file is a complete old or new version."""
    subprocess.run([sys.executable, "-m", "pipeline", "-C", str(project), "build"], check=True, capture_output=True)
    old = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    source = project / SOURCE
    source.write_text(source.read_text(encoding="utf-8").replace("Conclusion", "In conclusion"), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pipeline", "-C", str(project), "update"], check=True, capture_output=True)
    catalogs_after_update = {p: p.read_bytes() for p in (project / "locales").rglob("*.po*")}
    versions: dict[Path, set[bytes]] = {p: {data} for p, data in old.items()}
    for attempt in range(50):
        process = subprocess.Popen([sys.executable, "-m", "pipeline", "-C", str(project),
                                    "update" if attempt % 2 else "build"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.05 + (attempt % 10) * 0.04)
        process.send_signal(signal.SIGKILL)
        process.wait()
        for path in (project / "output").rglob("*"):
            if path.is_file():
                assert not path.name.endswith(".tmp") or path.name.startswith("."), path
    leftovers = [p for p in project.rglob(".*.tmp")]
    for path in leftovers:  # a killed rename leaves at most a hidden temp file, never a broken page
        path.unlink()
    subprocess.run([sys.executable, "-m", "pipeline", "-C", str(project), "build"], capture_output=True)
    new = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    for path, data in catalogs_after_update.items():
        assert path.read_bytes() == data  # the catalogs are whole (no lost or half-written entry)
    for path in (project / "output").rglob("*.html"):
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert new  # the final build completed


def test_catalogs_in_another_declared_charset_or_with_crlf_are_read_as_gettext_reads_them(project, cli):
    es = project / ES_PO
    text = es.read_text(encoding="utf-8").replace("charset=UTF-8", "charset=ISO-8859-1")
    es.write_bytes(text.encode("iso-8859-1"))
    de = project / "locales/de/LC_MESSAGES" / f"{ARTICLE}.po"
    de.write_bytes(de.read_bytes().replace(b"\n", b"\r\n"))
    result = cli(project, "build")
    assert result.code == 0, result.err
    assert "<h2>Conclusión</h2>" in (project / "output/es" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert "<h2>Fazit</h2>" in (project / "output/de" / f"{ARTICLE}.html").read_text(encoding="utf-8")


def test_pages_are_readable_by_a_web_server_and_keep_permissions_set_by_hand(project, cli):
    """A new page gets 0666 & ~umask, as any new file (not a temp file's 0600); a page
    whose permissions were changed by hand keeps them when it is rewritten."""
    old_umask = os.umask(0o022)
    try:
        assert cli(project, "build").code == 0
        page = project / "output" / "es" / f"{ARTICLE}.html"
        assert page.stat().st_mode & 0o777 == 0o644
        page.chmod(0o640)
        _replace_in(project / SOURCE, "## Conclusion", "## In conclusion")
        cli(project, "build")
        assert "In conclusion" in page.read_text(encoding="utf-8")
        assert page.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old_umask)


def test_a_lock_file_that_is_a_symlink_is_refused_and_its_target_untouched(project, cli, tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n", "utf-8")
    (project / ".pipeline.lock").symlink_to(target)
    result = cli(project, "update")
    assert result.code == 2
    assert ".pipeline.lock: error: unsafe-path: the lock file is a symbolic link" in result.err
    assert target.read_text("utf-8") == "keep me\n"


@pytest.mark.parametrize("name", ["javascript:alert(document.domain)", "index", "x" * 250, "-rf",
                                  "a b"])
def test_a_document_name_that_could_turn_into_a_link_or_collide_is_refused(project, cli, name):
    """'javascript:alert(document.domain).md' put href="javascript:…" on every index page."""
    try:
        (project / "source" / f"{name}.md").write_text("# Title\n\nText.\n", "utf-8")
    except OSError:  # a name the file system itself refuses (too long)
        pytest.skip("the file system refuses this name")
    result = cli(project, "build")
    assert result.code == 2
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(errors) == 1 and "error: unsafe-name: the document name" in errors[0], result.err
    assert not any("javascript:" in p.read_text("utf-8") for p in (project / "output").rglob("*.html"))


def test_a_full_disk_is_one_line_and_exit_2(project, cli, monkeypatch):
    import errno

    from pipeline.project import files

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "write", full)
    result = cli(project, "build")
    assert result.code == 2
    errors = [line for line in result.err.splitlines() if "error" in line]
    assert len(errors) == 1 and errors[0].endswith(": error: os: cannot write the file: No space "
                                                   "left on device"), result.err
    assert errors[0].startswith("output/"), errors[0]  # relative to the project, as every path
    assert "Traceback" not in result.err


def test_yaml_alias_expansion_in_front_matter_is_refused_at_once(project, cli):
    """A 330-byte source with nested aliases in its title took 57 s and 3.5 GB, and wrote 4.3 GB."""
    aliases = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        aliases += f"{level}: &{level} [{','.join(['*' + previous] * 9)}]\n"
    (project / "source/bomb.md").write_text(f"---\n{aliases}title: *i\n---\n\n# Bomb\n", "utf-8")
    started = time.monotonic()
    result = cli(project, "build")
    assert time.monotonic() - started < 30
    assert result.code == 2
    assert "source/bomb.md:2: error: front-matter: YAML aliases (*name) are not allowed" in result.err
    assert not (project / "output/en/bomb.html").exists()


def test_one_broken_source_withholds_only_its_pages(project, cli):
    """A source whose front matter YAML cannot read used to stop the whole site."""
    (project / "source/broken.md").write_text("---\ntitle: [unclosed\n---\n\n# Broken\n", "utf-8")
    result = cli(project, "build")
    assert result.code == 2
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith("source/broken.md:2: error: front-matter: ")
    for code in ("en", "es", "de", "fr", "ar"):
        assert (project / "output" / code / f"{ARTICLE}.html").exists(), code
        assert not (project / "output" / code / "broken.html").exists(), code
    check = cli(project, "check")
    assert check.code == 2 and "es/ketamine-for-anxiety: publishable" in check.out


@pytest.mark.parametrize("command", ["extract", "update"])
def test_one_broken_source_leaves_only_its_own_catalogs_alone(project, cli, command):
    """A broken source used to stop extract and update for every document."""
    (project / "source/broken.md").write_text("---\ntitle: [unclosed\n---\n\n# Broken\n", "utf-8")
    _replace_in(project / SOURCE, "# Ketamine", "# Ketamine, revised,")
    result = cli(project, command)
    assert result.code == 2, result.err
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith("source/broken.md:2: error: front-matter: "), errors
    assert "Ketamine, revised," in (project / "locales/templates" / f"{ARTICLE}.pot").read_text("utf-8")
    assert not (project / "locales/templates/broken.pot").exists()
    if command == "update":
        assert "Ketamine, revised," in (project / ES_PO).read_text("utf-8")


def test_one_broken_catalog_does_not_stop_the_update_of_the_others(project, cli):
    path = project / "locales/es/LC_MESSAGES/_site.po"
    broken = path.read_text("utf-8") + '\nmsgid "unterminated\nmsgstr ""\n'
    path.write_text(broken, "utf-8")
    _replace_in(project / SOURCE, "# Ketamine", "# Ketamine, revised,")
    result = cli(project, "update")
    assert result.code == 2
    assert re.search(r"^locales/es/LC_MESSAGES/_site.po:\d+: error: catalog-syntax: ", result.err, re.M)
    assert path.read_text("utf-8") == broken  # left for the translator to fix
    for code in ("es", "de", "fr", "ar"):
        text = (project / "locales" / code / "LC_MESSAGES" / f"{ARTICLE}.po").read_text("utf-8")
        assert "Ketamine, revised," in text, code


def test_a_source_symlinked_outside_the_project_is_not_published(project, cli, tmp_path_factory):
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.md"
    secret.write_text("# Root password\n\nhunter2\n", "utf-8")
    (project / "source/secret.md").symlink_to(secret)
    result = cli(project, "build")
    assert result.code == 2
    assert "source/secret.md: error: unsafe-path: resolves outside the project" in result.err
    assert not list((project / "output").rglob("secret.*"))
    assert (project / "output/es" / f"{ARTICLE}.html").exists()  # the rest is built


def test_a_locale_folder_symlinked_outside_the_project_is_not_written(project, cli, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project / "locales/es").rename(elsewhere / "es")
    (project / "locales/es").symlink_to(elsewhere / "es")
    before = {p: p.read_bytes() for p in (elsewhere / "es").rglob("*.po")}
    _replace_in(project / SOURCE, "# Ketamine", "# Ketamine, revised,")
    result = cli(project, "update")
    assert result.code == 2
    assert re.search(r"^locales/es/LC_MESSAGES/\S+\.po: error: unsafe-path: ", result.err, re.M), result.err
    assert {p: p.read_bytes() for p in (elsewhere / "es").rglob("*.po")} == before
    assert "Ketamine, revised," in (project / "locales/de/LC_MESSAGES" / f"{ARTICLE}.po").read_text("utf-8")


def test_the_next_run_removes_what_a_killed_run_left(project, cli):
    assert cli(project, "build").code == 0
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    page = project / "output/es" / f".{ARTICLE}.html.{dead}-0.tmp"
    catalog = project / "locales/es/LC_MESSAGES" / f".{ARTICLE}.po.{dead}-3.tmp"
    live = project / "output/es" / f".{ARTICLE}.html.{os.getpid()}-7.tmp"  # a running writer's
    for path in (page, catalog, live):
        path.write_text("half a file", "utf-8")
    assert cli(project, "build").code == 0
    assert not page.exists() and live.exists() and catalog.exists()
    assert cli(project, "update").code == 0
    assert not catalog.exists()


@pytest.mark.parametrize("command", ["check", "update"])
def test_catalogs_of_an_unconfigured_locale_are_reported(project, cli, command):
    """They used to be ignored in silence: a translator's delivery that nobody would see."""
    (project / "locales/he/LC_MESSAGES").mkdir(parents=True)
    shutil.copy(project / ES_PO, project / "locales/he/LC_MESSAGES" / f"{ARTICLE}.po")
    result = cli(project, command)
    assert result.code == 0, result.err
    assert ("locales/he: warning: unconfigured-locale: catalogs of 'he' are never checked, "
            "updated or published: add \"he\" to `locales`") in result.err
