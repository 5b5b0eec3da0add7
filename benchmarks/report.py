"""The machine's description and the results as Markdown tables.

Tables show the median wall time of each operation (seconds, min–max below it
in the JSON), peak resident memory, and ``ours / peer`` ratios: above 1 means
our pipeline is slower.  Peers only write Markdown; our ``build`` writes HTML
too, so the ``ours / floor`` column (markdown-it-py alone rendering the same
pages) says how much of the gap is rendering at all.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import subprocess
import sys
from collections.abc import Iterable

from timing import Measurement, Sample

OPERATION_ORDER = ("extract", "update", "update-memory", "build", "build-md", "build-j1", "noop", "edit")
OPERATION_TITLES = {
    "extract": "extract",
    "update": "update",
    "update-memory": "update, 10% new catalogs filled from the memory",
    "build": "full build",
    "build-md": "full build, Markdown only",
    "build-j1": "full build, -j 1",
    "noop": "no-op rebuild",
    "edit": "rebuild after 1 edit",
}

# Our operations compared with a peer operation of another name: the peers' build writes
# Markdown only, the same as ours with --markdown-only.
PEER_OPERATION = {"build-md": "build", "build-j1": "build"}


# --- machine ----------------------------------------------------------------------------------


def machine(repo: str) -> dict:
    """CPU model, cores, memory, OS, Python, and the versions of our packages."""
    cpu = "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = "?"
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal"):
                    memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    versions = {}
    for name in ("health-pipeline", "markdown-it-py", "mdit-py-plugins", "polib", "babel",
                 "jinja2", "rapidfuzz", "pyyaml", "click"):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "git": git_state(repo),
    }


def git_state(repo: str) -> dict:
    """The commit measured and how many files differed from it (read-only git calls)."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", "--no-optional-locks", "-C", repo, *args],
                              capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    changed = [line for line in git("status", "--porcelain").splitlines() if line.strip()]
    return {"commit": git("rev-parse", "--short", "HEAD"), "uncommitted_files": len(changed),
            "uncommitted": changed[:40]}


# --- tables -------------------------------------------------------------------------------------


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _cell(m: Measurement | None) -> str:
    if m is None:
        return ""
    if m.status == "timeout" and m.samples:
        return f"timeout (> {m.samples[-1].wall:.0f})"
    if m.status != "ok":
        return {"failed": "FAILED", "unavailable": "n/a", "skipped": "skipped"}.get(m.status, m.status)
    return _seconds(m.median)


def _ratio(ours: Measurement | None, other: Measurement | None) -> str:
    if ours is None or other is None or ours.median is None:
        return ""
    if other.status == "timeout" and other.samples:  # the peer took longer than its timeout
        return f"< {ours.median / other.samples[-1].wall:.2f}×"
    if other.median is None or other.median == 0:
        return ""
    return f"{ours.median / other.median:.2f}×"


def matrix_table(measurements: list[Measurement], peers: list[tuple[str, str]]) -> str:
    """Per (documents, locales): a table of median times and ours / theirs ratios (rows are
    operations), then one of peak memory."""
    index = {(m.tool, m.operation, m.documents, m.locales): m for m in measurements}
    sizes = sorted({(m.documents, m.locales) for m in measurements if m.tool == "ours"})
    names = [name for name, _ in peers]
    out = []
    for documents, locales in sizes:
        def get(tool: str, op: str) -> Measurement | None:
            return index.get((tool, op, documents, locales))

        floor = get("floor", "render")

        def peer(name: str, op: str) -> Measurement | None:
            return get(name, PEER_OPERATION.get(op, op))

        out.append(f"\n#### N = {documents} documents × L = {locales} locale(s)\n")
        header = ["operation", "ours s", *[f"{n} s" for n in names], "floor s",
                  *[f"ours/{n}" for n in names], "ours/floor"]
        memory = ["| " + " | ".join(["peak MB", "ours", *names, "floor"]) + " |",
                  "|---|" + "---:|" * (len(names) + 2)]
        out.append("| " + " | ".join(header) + " |")
        out.append("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
        for op in OPERATION_ORDER:
            ours = get("ours", op)
            if ours is None:
                continue
            on_floor = floor if op in ("build", "build-j1") else None
            row = [OPERATION_TITLES[op], _cell(ours), *[_cell(peer(n, op)) for n in names], _cell(on_floor),
                   *[_ratio(ours, peer(n, op)) for n in names], _ratio(ours, on_floor)]
            out.append("| " + " | ".join(row) + " |")
            memory.append("| " + " | ".join([OPERATION_TITLES[op], _mb(ours), *[_mb(peer(n, op)) for n in names],
                                             _mb(on_floor)]) + " |")
        out.append("")
        out.extend(memory)
    return "\n".join(out) + "\n"


def _mb(m: Measurement | None) -> str:
    return f"{m.peak_rss_mb:.0f}" if m is not None and m.peak_rss_mb is not None else ""


def range_table(measurements: Iterable[Measurement]) -> str:
    """Every measurement with median, min–max, runs and notes."""
    lines = ["| tool | operation | N | L | median s | min–max s | runs | CPU s | peak MB | load | status / note |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for m in measurements:
        spread = f"{_seconds(m.minimum)}–{_seconds(m.maximum)}" if m.median is not None else ""
        note = m.status if m.status != "ok" else ""
        note = "; ".join(x for x in (note, m.note, _extra(m)) if x)
        loads = [s.load for s in m.samples if s.load is not None]
        load = f"{max(loads):.1f}" if loads else ""
        lines.append(f"| {m.tool} | {m.operation} | {m.documents} | {m.locales} | {_seconds(m.median)} | "
                     f"{spread} | {len(m.good)} | {_seconds(m.cpu_median)} | {_mb(m)} | {load} | "
                     f"{note.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def _extra(m: Measurement) -> str:
    return ", ".join(f"{k}={v}" for k, v in m.extra.items() if k not in ("segments",))


def segment_table(rows: list[dict]) -> str:
    """Per-segment cost of extract and build for one-document projects of growing size."""
    lines = ["| document | segments | extract s | build s | extract µs/segment (net) | build µs/segment (net) |",
             "|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['document']} | {row['segments']} | {_seconds(row.get('extract_s'))} | "
                     f"{_seconds(row.get('build_s'))} | {_micro(row.get('extract_us_per_segment'))} | "
                     f"{_micro(row.get('build_us_per_segment'))} |")
    return "\n".join(lines) + "\n"


def _micro(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _loads(values: Iterable[float] | None) -> str:
    return "/".join(f"{v:.2f}" for v in values) if values else "?"


def machine_text(info: dict, installations: list[dict]) -> str:
    packages = ", ".join(f"{k} {v}" for k, v in info["packages"].items() if v)
    lines = [f"- CPU: {info['cpu']} ({info['cores']} cores), memory {info['memory']}",
             f"- OS: {info['os']}; Python {info['python']}",
             f"- ours: {packages}",
             f"- repository: commit {info['git']['commit']} with {info['git']['uncommitted_files']} "
             f"uncommitted file(s) (the working tree was measured)",
             f"- environment: {info.get('environment', {})}; load average (1, 5, 15 min) at start "
             f"{_loads(info.get('load_at_start'))}, at end {_loads(info.get('load_at_end'))}"]
    for inst in installations:
        state = f"{inst['version']} — {inst['how']}" if inst["ok"] else f"NOT INSTALLED: {inst['error'][:300]}"
        lines.append(f"- peer {inst['name']}: {state}")
    return "\n".join(lines) + "\n"


# --- the whole report ----------------------------------------------------------------------------


def measurement_from_json(data: dict) -> Measurement:
    """A :class:`Measurement` back from its ``to_json()`` form."""
    fields = Sample.__dataclass_fields__
    samples = [Sample(**{k: v for k, v in s.items() if k in fields}) for s in data.get("samples", [])]
    return Measurement(data["tool"], data["operation"], data["documents"], data["locales"],
                       data.get("status", "ok"), data.get("note", ""), data.get("command", ""),
                       samples, data.get("extra", {}))


def render(data: dict) -> str:
    """The Markdown report of one run's JSON results."""
    measurements = [measurement_from_json(m) for m in data["measurements"]]
    labels = {"ttk": "translate-toolkit"}
    peers = [tuple(p) for p in data.get("peer_labels", [])] or [
        (p["name"], labels.get(p["name"], p["name"])) for p in data["peers"] if p["ok"]]
    parts = [f"# Benchmark results {data['started']}\n",
             f"Command: `python {data['command']}` ({data['elapsed_s']:.0f} s in all)\n",
             "## Machine\n", machine_text(data["machine"], data["peers"]),
             "\n## Corpora\n",
             "\n".join(f"- N = {c['documents']} × L = {c['locales']}: {c['segments']} segments, "
                       f"{c['words']} words ({c['pseudo']}); `{c['root']}`; measured at commit "
                       f"{c.get('commit', '?')} + {c.get('uncommitted_files', '?')} uncommitted file(s)"
                       for c in data["corpora"]) + "\n",
             "\n## Median wall time (s), ratios and peak memory\n",
             "Ratios are ours / theirs (above 1: we are slower). Peers: "
             + (", ".join(f"{name} = {label}" for name, label in peers) or "none in this run")
             + ". Peers write Markdown only; our build also writes HTML, index pages and a "
             "sitemap. The floor is markdown-it-py alone parsing and rendering the N × L "
             "localized pages in one process. An empty cell: the tool has no such step "
             "(mdpo's md2po2md updates its catalogs as part of its build). A timeout is a "
             "lower bound, and so its ratio is an upper bound.\n",
             matrix_table([m for m in measurements if "[" not in m.operation], peers)]
    if data.get("per_segment"):
        parts += ["\n## Per-segment cost (one document, L = 1)\n",
                  "Net = (time − time of the tiny document) / (segments − its segments): "
                  "constant if nothing is quadratic.\n", segment_table(data["per_segment"])]
    parts += ["\n## Every measurement\n",
              "CPU s is user + system time of the process and its children (above the wall "
              "time: the work ran on both cores); load is the 1-minute load average at the "
              "start of the busiest run (the machine is shared).\n",
              range_table(measurements)]
    if data.get("profiles"):
        parts += ["\n## Profiles\n", "\n".join(f"- `{name}`" for name in data["profiles"]) + "\n"]
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    """``python benchmarks/report.py RESULTS.json…``: rewrite each RESULTS.md from its JSON."""
    for path in argv:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        target = path[:-5] + ".md" if path.endswith(".json") else path + ".md"
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(render(data))
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
