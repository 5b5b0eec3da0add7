"""The peers: other Markdown ↔ gettext tools, installed and run the way their docs say.

==================  =============================  ==========================================
peer                installed                      invocation timed
==================  =============================  ==========================================
mdpo                PyPI ``mdpo`` in its own venv  extract: ``md2po "src/*.md" -q -s -p X.pot``
                                                   (one process, all documents, one catalog);
                                                   build: ``md2po2md "src/*.md" -q -l LANGS
                                                   -o "site/{lang}"`` — mdpo's many-files
                                                   wrapper around md2po + po2md: per document
                                                   and language it updates ``<doc>.md.po``
                                                   and writes the translated ``<doc>.md``
translate-toolkit   PyPI ``translate-toolkit       extract: ``md2po -P -i src -o pot`` (folder
                    [markdown,levenshtein]`` in    in, folder out); update: ``pot2po -t po/L
                    its own venv                   -i pot -o new/L`` per language; build:
                                                   ``po2md -i po/L -t src -o out/L`` per
                                                   language; noop: the same with ``-S``
po4a                Debian ``po4a`` (apt-get)      ``po4a.cfg`` with ``[type: text]`` and
                                                   ``-o markdown`` for every document, one
                                                   POT/PO per language (po4a's default);
                                                   extract: ``po4a --no-translations --force``
                                                   with no POT/PO yet; update: the same on
                                                   filled POs; build: ``po4a --no-update -k 0``
                                                   (translation step only); noop: ``po4a -k 0``
                                                   with everything up to date
==================  =============================  ==========================================

Before timing, each peer extracts once with its own tool and its catalogs are
filled with the same pseudo-translations as ours (:func:`corpus.fill_tree`), so
its build really translates.  A peer that cannot be installed or fails is
recorded, not fatal: :class:`PeerError` carries the reason to the results.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

from corpus import Corpus, fill_tree
from ours import Operation
from timing import Command, Step


class PeerError(Exception):
    """A peer could not be installed or set up on this corpus."""


@dataclass
class Installation:
    """How a peer was installed, or why it could not be."""

    name: str
    ok: bool
    version: str = ""
    how: str = ""
    error: str = ""


def _run(argv: list[str], cwd: str | None = None, timeout: float | None = 1800,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env=None if env is None else {**os.environ, **env})


def _check(done: subprocess.CompletedProcess, what: str) -> None:
    if done.returncode != 0:
        tail = (done.stderr or done.stdout or "").strip()[-1500:]
        raise PeerError(f"{what} failed (exit {done.returncode}): {tail}")


def _fresh(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, exist_ok=True)


def _count(pattern: str) -> int:
    return len(glob.glob(pattern))


class Peer:
    """A tool to compare with: installs itself, prepares its catalogs, lists its steps."""

    name = ""
    label = ""

    def install(self, base: str) -> Installation:
        raise NotImplementedError

    def setup(self, corpus: Corpus, work: str) -> None:
        """Untimed: extract once with the peer's own tool and fill its catalogs."""
        raise NotImplementedError

    def operations(self, corpus: Corpus, work: str) -> list[Operation]:
        raise NotImplementedError

    def outputs(self, corpus: Corpus, work: str) -> int:
        """How many translated Markdown pages the last build wrote (N × L expected)."""
        raise NotImplementedError


class VenvPeer(Peer):
    """A peer installed from PyPI into its own virtual environment."""

    requirement = ""
    distribution = ""
    probe = ""  # a console script that must exist after installation

    def install(self, base: str) -> Installation:
        self.venv = os.path.join(base, "venvs", self.name)
        python = os.path.join(self.venv, "bin", "python")
        try:
            if not os.path.exists(os.path.join(self.venv, "bin", self.probe)):
                _check(_run([sys.executable, "-m", "venv", "--clear", self.venv]), "python -m venv")
                _check(_run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                             self.requirement]), f"pip install {self.requirement}")
            version = _run([python, "-c", "import importlib.metadata as m, sys; "
                            f"print(m.version({self.distribution!r}))"])
            _check(version, "reading the installed version")
        except (PeerError, subprocess.TimeoutExpired, OSError) as error:
            return Installation(self.name, False, how=f"pip install {self.requirement}",
                                error=str(error))
        return Installation(self.name, True, version.stdout.strip(),
                            how=f"venv {self.venv}: pip install {self.requirement!r}")

    def bin(self, script: str) -> str:
        return os.path.join(self.venv, "bin", script)


class Mdpo(VenvPeer):
    name, label = "mdpo", "mdpo"
    requirement, distribution, probe = "mdpo", "mdpo", "md2po2md"

    def _md2po2md(self, corpus: Corpus, work: str) -> list[str]:
        return [self.bin("md2po2md"), os.path.join(corpus.source, "*.md"), "--quiet",
                "-l", *corpus.locales, "-o", os.path.join(work, "site", "{lang}")]

    def setup(self, corpus: Corpus, work: str) -> None:
        _fresh(work)
        _check(_run(self._md2po2md(corpus, work), cwd=work), "md2po2md (first extraction)")
        if fill_tree(os.path.join(work, "site")) == 0:
            raise PeerError("md2po2md wrote no catalog entries")

    def operations(self, corpus: Corpus, work: str) -> list[Operation]:
        extract_dir = os.path.join(work, "extract")
        extract = Command([self.bin("md2po"), os.path.join(corpus.source, "*.md"), "--quiet",
                           "--save", "--po-filepath", os.path.join(extract_dir, "messages.pot")], cwd=work)

        def clear_pages(_i: int) -> None:
            for path in glob.glob(os.path.join(work, "site", "*", "*.md")):
                os.remove(path)

        return [
            Operation("extract", Step([extract], before=lambda _i: _fresh(extract_dir),
                                      note="one process, all documents into one catalog")),
            Operation("build", Step([Command(self._md2po2md(corpus, work), cwd=work)], before=clear_pages,
                                    note="md2po2md: updates each <doc>.md.po and writes each page")),
        ]

    def outputs(self, corpus: Corpus, work: str) -> int:
        return _count(os.path.join(work, "site", "*", "*.md"))


class TranslateToolkit(VenvPeer):
    name, label = "ttk", "translate-toolkit"
    requirement, distribution, probe = "translate-toolkit[markdown,levenshtein]", "translate-toolkit", "po2md"

    def setup(self, corpus: Corpus, work: str) -> None:
        _fresh(work)
        os.makedirs(os.path.join(work, "po"))
        _check(_run([self.bin("md2po"), "--progress=none", "-P", "-i", corpus.source, "-o",
                     os.path.join(work, "pot")]), "md2po")
        for lang in corpus.locales:
            _check(_run([self.bin("pot2po"), "--progress=none", "-i", os.path.join(work, "pot"),
                         "-o", os.path.join(work, "po", lang)]), f"pot2po ({lang})")
        if fill_tree(os.path.join(work, "po")) == 0:
            raise PeerError("pot2po wrote no catalog entries")

    def operations(self, corpus: Corpus, work: str) -> list[Operation]:
        pot, po = os.path.join(work, "pot"), os.path.join(work, "po")
        out, new, fresh = os.path.join(work, "out"), os.path.join(work, "updated"), os.path.join(work, "extract")

        def po2md(*extra: str) -> list[Command]:
            return [Command([self.bin("po2md"), "--progress=none", *extra, "-i", os.path.join(po, lang),
                             "-t", corpus.source, "-o", os.path.join(out, lang)]) for lang in corpus.locales]

        def ensure_built(_i: int) -> None:
            if not os.path.isdir(out):
                os.makedirs(out)
                for command in po2md():
                    _run(command.argv)

        return [
            Operation("extract", Step([Command([self.bin("md2po"), "--progress=none", "-P", "-i", corpus.source,
                                                "-o", os.path.join(fresh, "pot")])],
                                      before=lambda _i: _fresh(fresh))),
            Operation("update", Step([Command([self.bin("pot2po"), "--progress=none", "-t", os.path.join(po, lang),
                                               "-i", pot, "-o", os.path.join(new, lang)])
                                      for lang in corpus.locales], before=lambda _i: _fresh(new),
                                     note="pot2po per language, into a new folder")),
            Operation("build", Step(po2md(), before=lambda _i: _fresh(out), note="po2md per language")),
            Operation("noop", Step(po2md("-S"), before=ensure_built,
                                   note="po2md -S (skip if output newer) per language")),
        ]

    def outputs(self, corpus: Corpus, work: str) -> int:
        return _count(os.path.join(work, "out", "*", "*.md"))


class Po4a(Peer):
    name, label = "po4a", "po4a"

    def install(self, base: str) -> Installation:
        how = "Debian package: apt-get install -y po4a"
        if not shutil.which("po4a"):
            if os.geteuid() != 0:
                return Installation(self.name, False, how=how, error="po4a missing and not root")
            env = {"DEBIAN_FRONTEND": "noninteractive"}
            done = _run(["apt-get", "install", "-y", "-q", "po4a"], env=env)
            if done.returncode != 0:
                _run(["apt-get", "update", "-q"], env=env)
                done = _run(["apt-get", "install", "-y", "-q", "po4a"], env=env)
            if done.returncode != 0 or not shutil.which("po4a"):
                return Installation(self.name, False, how=how, error=done.stderr[-1000:])
        version = _run(["po4a", "--version"]).stdout.strip().splitlines()
        msgmerge = _run(["msgmerge", "--version"]).stdout.splitlines()
        return Installation(self.name, True, (version[0] if version else "?").replace("po4a version ", "").rstrip("."),
                            how=f"{how} (with {msgmerge[0] if msgmerge else 'msgmerge ?'})")

    @staticmethod
    def config(corpus: Corpus, po_dir: str, out_dir: str) -> str:
        lines = [f"[po4a_langs] {' '.join(corpus.locales)}",
                 f"[po4a_paths] {po_dir}/bench.pot $lang:{po_dir}/$lang.po",
                 '[options] opt:"-o markdown -o yfm_keys=title,description"']
        lines += [f"[type: text] {corpus.source_path(doc)} $lang:{out_dir}/$lang/{doc}.md"
                  for doc in corpus.documents]
        return "\n".join(lines) + "\n"

    def setup(self, corpus: Corpus, work: str) -> None:
        _fresh(work)
        for name, po_dir, out_dir in (("po4a.cfg", "po", "out"), ("extract.cfg", "extract", "extract-out")):
            with open(os.path.join(work, name), "w", encoding="utf-8") as handle:
                handle.write(self.config(corpus, po_dir, out_dir))
        _check(_run(["po4a", "--no-translations", "po4a.cfg"], cwd=work), "po4a --no-translations")
        if fill_tree(os.path.join(work, "po")) == 0:
            raise PeerError("po4a wrote no catalog entries")

    def operations(self, corpus: Corpus, work: str) -> list[Operation]:
        def po4a(*args: str) -> list[Command]:
            return [Command(["po4a", *args], cwd=work, env={"LC_ALL": "C.UTF-8"})]

        def ensure_built(_i: int) -> None:
            if not os.path.isdir(os.path.join(work, "out")):
                _run(["po4a", "--no-update", "-k", "0", "po4a.cfg"], cwd=work)

        return [
            Operation("extract", Step(po4a("--no-translations", "--force", "extract.cfg"),
                                      before=lambda _i: shutil.rmtree(os.path.join(work, "extract"), ignore_errors=True),
                                      note="POT and empty PO files from scratch")),
            Operation("update", Step(po4a("--no-translations", "--force", "po4a.cfg"),
                                     note="POT regenerated, msgmerge into each filled PO")),
            Operation("build", Step(po4a("--no-update", "-k", "0", "po4a.cfg"),
                                    before=lambda _i: shutil.rmtree(os.path.join(work, "out"), ignore_errors=True),
                                    note="translation step only")),
            Operation("noop", Step(po4a("-k", "0", "po4a.cfg"), before=ensure_built,
                                   note="po4a's own up-to-date checks")),
        ]

    def outputs(self, corpus: Corpus, work: str) -> int:
        return _count(os.path.join(work, "out", "*", "*.md"))


PEERS: dict[str, Callable[[], Peer]] = {"mdpo": Mdpo, "ttk": TranslateToolkit, "po4a": Po4a}
