"""Whole-process timing: wall time and peak memory of subprocesses.

Each command runs as its own process (in its own session, so a timeout can end
it and everything it started).  Wall time is ``time.perf_counter()`` around the
process.  Peak memory is GNU time's ``%M`` (``/usr/bin/time -f %M``): the
largest resident set of the command or of any descendant it waited for (po4a's
``msgmerge``, for instance).  ``os.wait4``'s ``ru_maxrss`` is not used when GNU
time is there: a child forked from this harness inherits the harness's own
high-water mark, so small commands would all report the harness's size.

A :class:`Step` is what one measured run does: one or more commands in a row
(translate-toolkit needs one ``po2md`` per language), with untimed preparation
before each run (clearing an output folder, editing a source).  :func:`measure`
repeats a step and keeps every sample; :class:`Measurement` summarizes them as
median and min–max.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field


@dataclass
class Command:
    """One process to run: its arguments, working folder and acceptable exit codes."""

    argv: list[str]
    cwd: str | None = None
    ok_codes: tuple[int, ...] = (0,)
    env: dict[str, str] | None = None


@dataclass
class Sample:
    """One timed run of a step (all its commands)."""

    wall: float
    max_rss_kb: int
    ok: bool
    timed_out: bool = False
    returncode: int | None = None
    failed_command: str = ""
    cpu: float | None = None  # user + system seconds (GNU time), less sensitive to other load
    load: float | None = None  # the machine's 1-minute load average when the run started


@dataclass
class Step:
    """What one measured run does; ``before(i)`` and ``after(i)`` are not timed."""

    commands: list[Command]
    before: Callable[[int], None] | None = None
    after: Callable[[int], None] | None = None
    note: str = ""


@dataclass
class Measurement:
    """The samples of one tool's operation on one corpus, and how it went."""

    tool: str
    operation: str
    documents: int
    locales: int
    status: str = "ok"  # ok | failed | timeout | unavailable | skipped
    note: str = ""
    command: str = ""
    samples: list[Sample] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def good(self) -> list[Sample]:
        return [s for s in self.samples if s.ok]

    @property
    def median(self) -> float | None:
        return statistics.median(s.wall for s in self.good) if self.good and self.status == "ok" else None

    @property
    def minimum(self) -> float | None:
        return min(s.wall for s in self.good) if self.good and self.status == "ok" else None

    @property
    def maximum(self) -> float | None:
        return max(s.wall for s in self.good) if self.good and self.status == "ok" else None

    @property
    def cpu_median(self) -> float | None:
        """Median user + system seconds of the good runs."""
        values = [s.cpu for s in self.good if s.cpu is not None] if self.status == "ok" else []
        return statistics.median(values) if values else None

    @property
    def peak_rss_mb(self) -> float | None:
        good = self.good if self.status == "ok" else []
        return max(s.max_rss_kb for s in good) / 1024 if good else None

    def to_json(self) -> dict:
        data = asdict(self)
        data.update(median_s=self.median, min_s=self.minimum, max_s=self.maximum,
                    cpu_median_s=self.cpu_median, peak_rss_mb=self.peak_rss_mb, runs=len(self.good))
        return data


GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else shutil.which("time")


def run_command(command: Command, timeout: float | None, log_path: str | None) -> Sample:
    """Run one command to completion (or until ``timeout`` seconds), appending its output
    to ``log_path``; returns its wall time and peak resident memory."""
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL
    rss_file = None
    argv = command.argv
    if GNU_TIME:
        fd, rss_file = tempfile.mkstemp(prefix="bench-rss-", suffix=".txt")
        os.close(fd)
        argv = [GNU_TIME, "-f", "%M %U %S", "-o", rss_file, *argv]
    try:
        if log_path:
            log.write(f"\n$ {' '.join(command.argv)}   (in {command.cwd or os.getcwd()})\n".encode())
            log.flush()
        env = None if command.env is None else {**os.environ, **command.env}
        start = time.perf_counter()
        try:
            process = subprocess.Popen(argv, cwd=command.cwd, env=env, stdout=log,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True)
        except OSError as error:
            if log_path:
                log.write(f"cannot start: {error}\n".encode())
            return Sample(0.0, 0, False, returncode=None, failed_command=" ".join(command.argv))
        timed_out = threading.Event()

        def expire() -> None:
            timed_out.set()
            try:
                os.killpg(process.pid, signal.SIGKILL)  # the session this command started
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, expire) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        if timer:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        rss, cpu = _gnu_time(rss_file) if rss_file else (None, None)
    finally:
        if log_path:
            log.close()
        if rss_file and os.path.exists(rss_file):
            os.remove(rss_file)
    ok = process.returncode in command.ok_codes and not timed_out.is_set()
    if cpu is None:
        cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall, rss if rss is not None else int(usage.ru_maxrss), ok, timed_out.is_set(),
                  process.returncode, "" if ok else " ".join(command.argv), cpu)


def _gnu_time(path: str) -> tuple[int | None, float | None]:
    """The ``%M %U %S`` (KiB, seconds, seconds) that GNU time wrote as the last line of ``path``."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().strip().splitlines()
        rss, user, system = lines[-1].split()
        return int(rss), float(user) + float(system)
    except (OSError, ValueError, IndexError):
        return None, None


def run_step(step: Step, index: int, timeout: float | None, log_path: str | None) -> Sample:
    """One run of ``step``: ``before``, its commands in a row (times added, peak memory the
    largest), then ``after``.  Stops at the first failing command."""
    if step.before:
        step.before(index)
    # Flush what the preparation wrote or deleted (thousands of pages when an output folder
    # is cleared), so that the file system's write-back is not billed to the timed command.
    os.sync()
    load = os.getloadavg()[0]
    total, peak, worst, cpu = 0.0, 0, 0, 0.0
    for command in step.commands:
        sample = run_command(command, timeout, log_path)
        total += sample.wall
        cpu += sample.cpu or 0.0
        peak = max(peak, sample.max_rss_kb)
        if not sample.ok:
            return Sample(total, peak, False, sample.timed_out, sample.returncode, sample.failed_command,
                          cpu, load)
        worst = max(worst, sample.returncode or 0)  # an accepted non-zero exit (a withheld page)
    if step.after:
        step.after(index)
    return Sample(total, peak, True, returncode=worst, cpu=cpu, load=load)


def measure(step: Step, measurement: Measurement, runs: int, budget: float,
            timeout: float | None, log_path: str | None,
            say: Callable[[str], None] = print) -> Measurement:
    """Run ``step`` up to ``runs`` times, fewer once ``budget`` seconds have been spent
    (at least one run); the first failure or timeout ends the measurement."""
    measurement.command = " && ".join(" ".join(c.argv) for c in step.commands[:3]) + (
        f" && … ({len(step.commands)} commands)" if len(step.commands) > 3 else "")
    if step.note:
        measurement.note = step.note
    spent = 0.0
    for index in range(runs):
        try:
            sample = run_step(step, index, timeout, log_path)
        except Exception as error:  # noqa: BLE001 - a broken preparation is a failed run
            measurement.status, measurement.note = "failed", f"preparation failed: {error}"
            break
        measurement.samples.append(sample)
        spent += sample.wall
        if not sample.ok:
            measurement.status = "timeout" if sample.timed_out else "failed"
            measurement.note = (f"{'timed out after' if sample.timed_out else 'exit ' + str(sample.returncode) + ' after'} "
                                f"{sample.wall:.1f} s: {sample.failed_command[:200]}"
                                + (f" (log: {log_path})" if log_path else ""))
            break
        if spent >= budget:
            break
    if measurement.status == "ok":
        say(f"    {measurement.tool:<8} {measurement.operation:<14} "
            f"median {measurement.median:8.3f} s  [{measurement.minimum:.3f}–{measurement.maximum:.3f}] "
            f"× {len(measurement.good)}  cpu {measurement.cpu_median or 0:7.3f} s  "
            f"peak {measurement.peak_rss_mb:6.1f} MB  load {measurement.samples[0].load or 0:.1f}")
    else:
        say(f"    {measurement.tool:<8} {measurement.operation:<14} {measurement.status.upper()}: {measurement.note}")
    return measurement

