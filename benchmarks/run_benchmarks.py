"""Benchmark of the whole study on large corpora of varied reports, against one segmentation pass.

    python benchmarks/run_benchmarks.py [--sizes 1000 10000] [--workers 1 2]

For each size it writes a synthetic corpus made from the seeds and the
development corpus (``synthetic_corpus.py``: places, names, numbers and every
sentence's opening varied, so that few sentences repeat; the share is reported)
and runs the whole study on it through papermill, exactly as ``make run`` does
(``python -m helpers.run.pipeline``, one process per run), once per worker count
(1 = engine ``local``, more = engine ``processes``). While the study runs, the
resident memory of its process tree (runner, kernels, pool workers) is sampled;
each notebook's seconds and peak come from the executed copies' papermill times.
Then, in a fresh process, one ``jieba.lcut`` pass over the same cleaned text
(jieba's dictionary loaded before the clock starts) gives the reference every
figure is compared with. Each target of the scale issue is printed next to its
figure, marked met or NOT MET. Nothing is timed inside the test suite: this
script prints figures.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from synthetic_corpus import write_corpus  # noqa: E402

from helpers.paths import DEV_DOCS_DIR, SEEDS_DIR  # noqa: E402
from helpers.run.tables import iter_table_batches  # noqa: E402

NOTEBOOKS = ("01_ingest", "02_clean", "03_extract", "04_compare_regions", "05_report")
JIEBA_FLAG = "--time-jieba"  # how the benchmark calls itself to time jieba in a fresh process
STUDY_VS_JIEBA_TARGET = {1: 1.5, 2: 1.0}  # workers -> at most this many jieba passes
CLEAN_VS_JIEBA_TARGET = 3.0  # cleaning at least 3x faster than jieba.lcut
REPEATED_SENTENCES_TARGET = 0.10
MB = 1024 * 1024


# --- one jieba pass, in a fresh process ------------------------------------------------

def cleaned_texts(build: Path) -> list[str]:
    """Every cleaned text of a build, in document order."""
    texts = []
    for batch in iter_table_batches(build, "texts", 2000, columns=["text_clean"]):
        texts.extend(batch["text_clean"].fillna(""))
    return texts


def jieba_process_main(argv: list[str]) -> None:
    """Child process: one ``jieba.lcut`` pass over a build's cleaned texts; print seconds and characters."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    texts = cleaned_texts(Path(argv[0]))
    started = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    print(json.dumps({"seconds": time.perf_counter() - started, "chars": sum(map(len, texts))}))


def time_jieba(build: Path) -> tuple[float, int]:
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), JIEBA_FLAG, str(build)],
                          check=True, capture_output=True, text=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return figures["seconds"], figures["chars"]


# --- the whole study, with its memory sampled ------------------------------------------

class TreeMemory:
    """Samples the resident memory of a process and its descendants every ``interval`` s."""

    def __init__(self, pid: int, interval: float = 0.1):
        import psutil

        self.root, self.interval = psutil.Process(pid), interval
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            try:
                for proc in [self.root, *self.root.children(recursive=True)]:
                    try:
                        total += proc.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                return
            self.samples.append((time.time(), total))
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def peak_between(self, start: float, end: float) -> int:
        return max((rss for t, rss in self.samples if start <= t <= end), default=0)


@dataclass
class StudyRun:
    size: int
    workers: int
    seconds: float
    notebooks: dict[str, tuple[float, int]] = field(default_factory=dict)  # name -> (seconds, peak bytes)
    peak: int = 0
    chars: int = 0
    jieba_seconds: float = 0.0

    @property
    def ratio(self) -> float:
        return self.seconds / self.jieba_seconds if self.jieba_seconds else float("nan")


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def run_study(corpus: Path, work: Path, size: int, workers: int) -> StudyRun:
    """The whole study on ``corpus`` in a new process, as ``make run`` runs it."""
    import nbformat

    build, figures = work / "build", work / "figures"
    engine = "local" if workers == 1 else "processes"
    command = [sys.executable, "-m", "helpers.run.pipeline", "--corpus", str(corpus), "--build", str(build),
               "--figures", str(figures), "--engine", engine]
    print(f"--- study on {size:,} documents, {workers} worker(s): {' '.join(command[1:])}", flush=True)
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    memory = TreeMemory(proc.pid)
    output = proc.communicate()[0]
    seconds = time.perf_counter() - started
    memory.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"the study failed on {corpus}:\n{output[-3000:]}")
    run = StudyRun(size, workers, seconds, peak=max((rss for _, rss in memory.samples), default=0))
    for name in NOTEBOOKS:
        meta = nbformat.read(build / "notebooks" / f"{name}.ipynb", as_version=4).metadata.papermill
        start, end = _epoch(meta["start_time"]), _epoch(meta["end_time"])
        run.notebooks[name] = (end - start, memory.peak_between(start, end))
    run.jieba_seconds, run.chars = time_jieba(build)
    return run


def repeated_sentence_share(build: Path) -> float:
    """The share of the corpus's sentences whose text stands more than once in it."""
    counts: collections.Counter = collections.Counter()
    for batch in iter_table_batches(build, "sentences", 50_000, columns=["text"]):
        counts.update(batch["text"].tolist())
    total = sum(counts.values())
    return sum(n for n in counts.values() if n > 1) / total if total else 0.0


# --- the report ------------------------------------------------------------------------

def format_table(headers: list[str], rows: list[list[object]]) -> str:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def study_table(runs: list[StudyRun]) -> str:
    rows = []
    for r in runs:
        target = STUDY_VS_JIEBA_TARGET.get(r.workers)
        rows.append([r.size, r.workers, r.chars / 1e6, r.seconds, r.jieba_seconds, r.ratio,
                     f"<= {target}x: {verdict(r.ratio <= target)}" if target else "", r.peak / MB])
    return format_table(["docs", "workers", "Mchars", "study s", "jieba.lcut s", "ratio", "target",
                         "peak MB"], rows)


def notebook_table(runs: list[StudyRun]) -> str:
    rows = []
    for r in runs:
        for name, (seconds, peak) in r.notebooks.items():
            rows.append([r.size, r.workers, name, seconds, seconds / r.jieba_seconds, peak / MB])
    return format_table(["docs", "workers", "notebook", "s", "x jieba", "peak MB"], rows)


def clean_table(runs: list[StudyRun]) -> str:
    rows = []
    for r in runs:
        clean = r.notebooks["02_clean"][0]
        speed = r.jieba_seconds / clean
        rows.append([r.size, r.workers, clean, r.jieba_seconds, speed,
                     f">= {CLEAN_VS_JIEBA_TARGET}x faster: {verdict(speed >= CLEAN_VS_JIEBA_TARGET)}"])
    return format_table(["docs", "workers", "02_clean s", "jieba.lcut s", "jieba / clean", "target"], rows)


def scaling_table(runs: list[StudyRun], small: int, large: int) -> str:
    """Per notebook, one worker: how time and peak grow from ``small`` to ``large`` documents."""
    by = {(r.size, r.workers): r for r in runs}
    a, b = by.get((small, 1)), by.get((large, 1))
    if a is None or b is None:
        return "(needs both sizes with one worker)"
    growth = b.chars / a.chars
    rows = []
    for name in NOTEBOOKS:
        (sa, pa), (sb, pb) = a.notebooks[name], b.notebooks[name]
        time_ratio = sb / sa if sa else float("nan")
        rows.append([name, sa, sb, time_ratio, pa / MB, pb / MB, pb / pa if pa else float("nan"),
                     verdict(time_ratio <= growth * 1.1 and pb <= pa * growth * 1.1)])
    return (f"text grows {growth:.1f}x; target: time and peak grow at most linearly (within 10%)\n"
            + format_table(["notebook", f"s at {small:,}", f"s at {large:,}", "time x", f"MB at {small:,}",
                            f"MB at {large:,}", "peak x", "target"], rows))


def machine_summary() -> str:
    import psutil

    return (f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores, "
            f"{psutil.virtual_memory().total / 1024**3:.0f} GiB, load average "
            f"{', '.join(f'{x:.2f}' for x in os.getloadavg())} at the start")


def summary(runs: list[StudyRun], repeated: dict[int, float]) -> str:
    """A few lines for the README: the largest corpus's figures against the targets."""
    largest = max(r.size for r in runs)
    lines = [f"Whole study on {largest:,} varied documents "
             f"({repeated[largest]:.0%} of sentences repeat), against one `jieba.lcut` pass over the same text:"]
    for r in runs:
        if r.size == largest:
            target = STUDY_VS_JIEBA_TARGET.get(r.workers)
            lines.append(f"- {r.workers} worker(s): {r.seconds:.0f} s against {r.jieba_seconds:.0f} s, "
                         f"{r.ratio:.1f}x (target <= {target}x: {verdict(r.ratio <= target)})")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000],
                        help="corpus sizes in documents (default: 1000 10000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="worker counts of each study run (default: 1 2)")
    parser.add_argument("--seed", type=int, default=2020, help="random seed of the synthetic corpora")
    parser.add_argument("--results", type=Path, default=None,
                        help="also write the report to this file (e.g. benchmarks/RESULTS.md)")
    parser.add_argument("--readme", type=Path, default=None,
                        help="also put a short summary in this file's benchmark block (README.md)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args(argv)


def run_all(args: argparse.Namespace, work: Path) -> tuple[str, str]:
    """Run every benchmark in ``work``; return the report and its summary."""
    machine = machine_summary()
    sizes = sorted(args.sizes)
    runs: list[StudyRun] = []
    repeated: dict[int, float] = {}
    for size in sizes:
        corpus = work / f"corpus_{size}"
        started = time.perf_counter()
        write_corpus([SEEDS_DIR, DEV_DOCS_DIR], corpus, size, seed=args.seed)
        print(f"=== corpus of {size:,} documents written in {time.perf_counter() - started:.1f} s", flush=True)
        for workers in sorted(args.workers):
            out = work / f"study_{size}_{workers}"
            runs.append(run_study(corpus, out, size, workers))
            repeated.setdefault(size, repeated_sentence_share(out / "build"))
            shutil.rmtree(out / "build" / "notebooks", ignore_errors=True)
    corpus_rows = [[size, f"{share:.1%}", f"< {REPEATED_SENTENCES_TARGET:.0%}: "
                    f"{verdict(share < REPEATED_SENTENCES_TARGET)}"] for size, share in repeated.items()]
    sections = [
        f"Machine: {machine}; load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())} "
        "(other work on the machine slows every figure)",
        "Corpus: sentences that repeat another\n" + format_table(["docs", "repeated", "target"], corpus_rows),
        "The whole study through papermill against one jieba.lcut pass over the same cleaned text\n"
        + study_table(runs),
        "Per notebook (seconds from the executed copies; peak = resident memory of the study's processes)\n"
        + notebook_table(runs),
        "Cleaning against segmentation\n" + clean_table(runs),
    ]
    if len(sizes) > 1:
        sections.append(f"Growth from {sizes[0]:,} to {sizes[-1]:,} documents\n"
                        + scaling_table(runs, sizes[0], sizes[-1]))
    return "\n\n".join(sections), summary(runs, repeated)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    command = "python benchmarks/run_benchmarks.py " + " ".join(sys.argv[1:] if argv is None else argv)
    work = Path(tempfile.mkdtemp(prefix="covid-orgs-bench-"))
    try:
        report, short = run_all(args, work)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("\n" + report)
    if args.results:
        args.results.write_text(f"# Benchmark results\n\n`{command.strip()}`\n\n```\n{report}\n```\n",
                                encoding="utf-8")
    if args.readme:
        text = args.readme.read_text(encoding="utf-8")
        link = f"\n\nAll figures, per notebook and per size: [benchmarks/RESULTS.md](benchmarks/RESULTS.md) (`{command.strip()}`)."
        args.readme.write_text(with_benchmark_block(text, short + link), encoding="utf-8")
    return 0


README_START, README_END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"


def with_benchmark_block(text: str, report: str) -> str:
    """``text`` (the README) with ``report`` between its benchmark markers, which must be there."""
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"the README has no {README_START} ... {README_END} block to put the report in")
    return f"{text[:start + len(README_START)]}\n{report}\n{text[end:]}"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == JIEBA_FLAG:
        jieba_process_main(sys.argv[2:])
    else:
        sys.exit(main())
