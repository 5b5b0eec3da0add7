"""Benchmark harness: our pipeline against mdpo, translate-toolkit and po4a.

One command generates the corpus, installs the peers, times everything and
writes ``benchmarks/results/results-<time>.{json,md}``::

    python benchmarks/run.py                        # quick: N = 10, 100; L = 1
    python benchmarks/run.py --sizes 10,100,1000 --locales 1,10
    python benchmarks/run.py --full                 # the same, full matrix
    python benchmarks/run.py --sizes 1000 --ops extract,build --segments 0

Generated corpora, virtualenvs, peers' work folders and logs live under
``--workdir`` (default ``/tmp/bench``), never in the repository.  See
``benchmarks/README.md`` for what each measurement means.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from dataclasses import asdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import corpus as corpora  # noqa: E402
import ours  # noqa: E402
import report  # noqa: E402
from peers import PEERS, Installation, Peer  # noqa: E402
from timing import Measurement, Step, measure  # noqa: E402

REPO = os.path.dirname(HERE)
QUICK_SIZES, QUICK_LOCALES = [10, 100], [1]
FULL_SIZES, FULL_LOCALES = [10, 100, 1000], [1, 10]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", help="documents per corpus, comma-separated (default 10,100)")
    parser.add_argument("--locales", help="locales per corpus, comma-separated (default 1)")
    parser.add_argument("--full", action="store_true", help="N = 10,100,1000 × L = 1,10")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--budget", type=float, default=120.0,
                        help="stop repeating a measurement once it has taken this many seconds "
                             "(at least one run; default 120)")
    parser.add_argument("--timeout", type=float, default=180.0,
                        help="per-command timeout in seconds, reported as a timeout (default 180)")
    parser.add_argument("--seed", type=int, default=20251125)
    parser.add_argument("--workdir", default="/tmp/bench",
                        help="corpora, venvs, peers' work and logs (default /tmp/bench)")
    parser.add_argument("--peers", default=",".join(PEERS),
                        help=f"peers to run, comma-separated, or 'none' (default {','.join(PEERS)})")
    parser.add_argument("--ops", default=",".join(ours.OPERATIONS),
                        help="operations to time (default all: " + ",".join(ours.OPERATIONS) + ")")
    parser.add_argument("--ops-at", action="append", default=[], metavar="N=OPS",
                        help="operations for corpora of N or more documents, e.g. 1000=extract,build")
    parser.add_argument("--no-floor", action="store_true", help="skip the markdown-it-py floor")
    parser.add_argument("--segments", type=int, default=10_000,
                        help="segments of the extra-large document (0 skips the per-segment check)")
    parser.add_argument("--profile", action="store_true",
                        help="also write cProfile summaries of our update and build to the results")
    parser.add_argument("--results", default=os.path.join(HERE, "results"))
    parser.add_argument("--label", default="", help="added to the results' file names")
    args = parser.parse_args(argv)
    args.size_list = _ints(args.sizes) or (FULL_SIZES if args.full else QUICK_SIZES)
    args.locale_list = _ints(args.locales) or (FULL_LOCALES if args.full else QUICK_LOCALES)
    args.peer_list = [] if args.peers in ("", "none") else args.peers.split(",")
    unknown = [p for p in args.peer_list if p not in PEERS]
    if unknown:
        parser.error(f"unknown peer(s) {unknown}; known: {list(PEERS)}")
    args.op_list = args.ops.split(",")
    args.ops_by_size = sorted((int(n), ops.split(",")) for n, ops in (x.split("=", 1) for x in args.ops_at))
    return args


def _ints(text: str | None) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()] if text else []


def code_fingerprint() -> tuple:
    """When and how big each file of the pipeline package was: other people edit the
    working tree, and a change between two runs makes them measure different code."""
    folder = os.path.join(REPO, "pipeline")
    entries = []
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if name.endswith((".py", ".html", ".css", ".xml")):
            info = os.stat(os.path.join(folder, name))
            entries.append((name, info.st_mtime_ns, info.st_size))
    return tuple(entries)


def wanted_ops(args: argparse.Namespace, documents: int) -> list[str]:
    chosen = args.op_list
    for threshold, ops in args.ops_by_size:
        if documents >= threshold:
            chosen = ops
    return chosen


class Harness:
    """Holds the options, the log and everything measured so far."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.logs = os.path.join(args.workdir, "logs")
        os.makedirs(self.logs, exist_ok=True)
        self.cmd = ours.pipeline_command()
        self.measurements: list[Measurement] = []
        self.installations: list[Installation] = []
        self.peers: list[Peer] = []
        self.segments: list[dict] = []
        self.profiles: dict[str, str] = {}
        self.corpora: list[dict] = []
        self.t0 = time.perf_counter()

    def say(self, text: str) -> None:
        print(text, flush=True)

    def measure(self, tool: str, op: str, step: Step, documents: int, locales: int,
                runs: int | None = None, **extra: object) -> Measurement:
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", op).strip("-")
        log = os.path.join(self.logs, f"{tool}-{slug}-n{documents}-l{locales}.log")
        if os.path.exists(log):
            os.remove(log)
        m = Measurement(tool, op, documents, locales, extra=dict(extra))
        before = code_fingerprint()
        m = measure(step, m, runs or self.args.runs, self.args.budget, self.args.timeout, log, self.say)
        if tool in ("ours", "floor") and code_fingerprint() != before:
            m.note = "; ".join(x for x in (m.note, "the pipeline's code changed during these runs") if x)
            self.say("      (the pipeline's code changed during these runs)")
        self.measurements.append(m)
        return m

    # --- the parts of a run ---

    def install_peers(self) -> None:
        for name in self.args.peer_list:
            peer = PEERS[name]()
            self.say(f"installing peer {name} …")
            installation = peer.install(self.args.workdir)
            self.installations.append(installation)
            if installation.ok:
                self.peers.append(peer)
                self.say(f"  {name} {installation.version} ({installation.how})")
            else:
                self.say(f"  {name} NOT AVAILABLE: {installation.error[:500]}")

    def matrix(self) -> None:
        for documents in self.args.size_list:
            for locales in self.args.locale_list:
                self.one_corpus(documents, locales)

    def one_corpus(self, documents: int, locales: int) -> None:
        ops = wanted_ops(self.args, documents)
        self.say(f"\n== N = {documents} documents × L = {locales} locale(s): {', '.join(ops)}")
        started = time.perf_counter()
        project = corpora.corpus_project(os.path.join(self.args.workdir, "corpus"), self.args.seed,
                                         documents, locales, self.cmd, self.say)
        git = report.git_state(REPO)
        self.corpora.append({"documents": documents, "locales": locales, "root": project.root,
                             "commit": git["commit"], "uncommitted_files": git["uncommitted_files"],
                             "segments": project.segments, "words": project.words,
                             "pseudo": project.pseudo, "prepared_s": round(time.perf_counter() - started, 1)})
        for op in ours.operations(project, self.cmd):
            if op.name in ops:
                self.measure("ours", op.name, op.step, documents, locales)
                if op.cleanup:
                    op.cleanup()
        if not self.args.no_floor:
            ours.ensure_built(project, self.cmd)
            self.measure("floor", "render", ours.floor_step(project), documents, locales,
                         pages=documents * locales)
        for peer in self.peers:
            self.run_peer(peer, project, ops)
        if self.args.profile:
            for op in ("update", "build", "noop"):
                name = f"profile-n{documents}-l{locales}-{op}.txt"
                os.makedirs(self.args.results, exist_ok=True)
                ours.profile(project, op, os.path.join(self.args.results, name), self.cmd)
                self.profiles[name] = os.path.join(self.args.results, name)
                self.say(f"    profile of {op} → {name}")

    def run_peer(self, peer: Peer, project: corpora.Corpus, ops: list[str]) -> None:
        documents, locales = len(project.documents), len(project.locales)
        work = os.path.join(self.args.workdir, "work", peer.name, os.path.basename(project.root))
        try:
            started = time.perf_counter()
            peer.setup(project, work)
            self.say(f"    {peer.name:<8} set up in {time.perf_counter() - started:.1f} s ({work})")
        except Exception as error:  # noqa: BLE001 - a peer that cannot be set up is recorded
            self.say(f"    {peer.name:<8} SETUP FAILED: {str(error)[:500]}")
            for op in ops:
                m = Measurement(peer.name, op, documents, locales, status="failed",
                                note=f"setup failed: {str(error)[:500]}")
                self.measurements.append(m)
            return
        wanted = {report.PEER_OPERATION.get(op, op) for op in ops}
        for op in peer.operations(project, work):
            if op.name not in wanted:
                continue
            m = self.measure(peer.name, op.name, op.step, documents, locales)
            if op.name == "build" and m.status == "ok":
                written = peer.outputs(project, work)
                m.extra["pages"] = f"{written}/{documents * locales}"

    def per_segment(self) -> None:
        if not self.args.segments:
            return
        self.say("\n== per-segment cost: one document of growing size (L = 1)")
        base = os.path.join(self.args.workdir, "corpus")
        seed = self.args.seed
        sizes = sorted({1_000, self.args.segments})
        documents = [("tiny", corpora.small_document(seed)), ("article", corpora.article(seed, 1))]
        documents += [(f"large-{n}", corpora.large_document(seed, n)) for n in sizes]
        baseline: dict[str, float] = {}
        base_segments = 0
        for name, text in documents:
            project = corpora.single_document_project(base, name, text, seed, self.cmd, self.say)
            row: dict = {"document": name, "segments": project.segments, "words": project.words}
            for op in ours.single_operations(project, self.cmd):
                m = self.measure("ours", f"{op.name} [{name}]", op.step, 1, 1,
                                 segments=project.segments)
                row[f"{op.name}_s"] = m.median
                if m.median is None:
                    continue
                if name == "tiny":
                    baseline[op.name], base_segments = m.median, project.segments
                elif op.name in baseline and project.segments > base_segments:
                    row[f"{op.name}_us_per_segment"] = (m.median - baseline[op.name]) / (
                        project.segments - base_segments) * 1e6
            self.segments.append(row)
            if name == "large-1000":
                self.refused_translation(project, base)

    def refused_translation(self, project: corpora.Corpus, base: str) -> None:
        """The same 1,000-segment page with one translation the merge refuses: the build
        finds it without re-parsing the page once per translation."""
        name = "large-1000, 1 refused"
        spoiled = corpora.with_refused_translation(project, os.path.join(base, "single-refused"))
        row: dict = {"document": name, "segments": spoiled.segments, "words": spoiled.words}
        build = next(op for op in ours.single_operations(spoiled, self.cmd) if op.name == "build")
        row["build_s"] = self.measure("ours", f"build [{name}]", build.step, 1, 1,
                                      segments=spoiled.segments).median
        self.segments.append(row)

    # --- output ---

    def write(self, info: dict, started: float) -> tuple[str, str]:
        os.makedirs(self.args.results, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        name = f"results-{stamp}" + (f"-{self.args.label}" if self.args.label else "")
        data = {
            "command": " ".join([os.path.relpath(sys.argv[0], REPO) if sys.argv[0] else "run.py", *sys.argv[1:]]),
            "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)),
            "elapsed_s": round(time.perf_counter() - self.t0, 1),
            "options": {k: v for k, v in vars(self.args).items()},
            "machine": info,
            "peers": [asdict(i) for i in self.installations],
            "peer_labels": [[p.name, p.label] for p in self.peers],
            "corpora": self.corpora,
            "measurements": [m.to_json() for m in self.measurements],
            "per_segment": self.segments,
            "profiles": sorted(self.profiles),
        }
        json_path = os.path.join(self.args.results, name + ".json")
        with open(json_path, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1, default=str)
        markdown = report.render(data)
        md_path = os.path.join(self.args.results, name + ".md")
        with open(md_path, "w", encoding="utf-8") as handle:
            handle.write(markdown)
        return json_path, md_path


def prepare_environment(workdir: str) -> dict[str, str]:
    """Every Python process (ours, the peers', the floor) caches its bytecode under
    ``workdir/pycache`` — a user's machine keeps .pyc files, and the repository must not
    get ``__pycache__`` folders — even where PYTHONDONTWRITEBYTECODE is set."""
    changes = {"PYTHONPYCACHEPREFIX": os.path.join(workdir, "pycache")}
    os.environ.update(changes)
    if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
        changes["PYTHONDONTWRITEBYTECODE"] = "(unset by the harness)"
    return changes


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    environment = prepare_environment(args.workdir)
    harness = Harness(args)
    started = time.time()
    info = report.machine(REPO)
    info["environment"] = environment
    info["load_at_start"] = os.getloadavg()
    harness.say(f"machine: {info['cpu']}, {info['cores']} cores, {info['memory']}, Python {info['python']}")
    harness.say(f"matrix: N = {args.size_list} × L = {args.locale_list}; runs ≤ {args.runs}, "
                f"budget {args.budget:.0f} s per measurement, timeout {args.timeout:.0f} s; work in {args.workdir}")
    harness.say(f"pseudo-translation: {corpora.pseudo_function()[1]}")
    harness.install_peers()
    try:
        harness.matrix()
        harness.per_segment()
    except KeyboardInterrupt:
        harness.say("interrupted: writing what was measured so far")
    info["load_at_end"] = os.getloadavg()
    json_path, md_path = harness.write(info, started)
    with open(md_path, encoding="utf-8") as handle:
        text = handle.read()
    start = text.index("## Median wall time")
    end = text.index("## Every measurement")
    print("\n" + text[start:end])
    print(f"results: {os.path.relpath(json_path)} and {os.path.relpath(md_path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
