"""Benchmarks of the study: the per-document stages on large synthetic corpora, and the notebooks.

    python benchmarks/run_benchmarks.py [--sizes 1000 10000] [--workers 1 2]

For each corpus size it writes a synthetic corpus made from the seeds (see
``synthetic_corpus.py``) into a temporary folder and runs ``run_ingest``,
``run_clean`` and ``run_extract`` (helpers.run.stages), each in a fresh process so
its peak memory is its own. It prints, per stage and size: wall time, documents
and characters per second, peak resident memory; as reference floors on the same
cleaned text, the speed of ``jieba.lcut`` and of a plain ``re.finditer(r"\\d+")``
scan, and ``extract_one`` against ``jieba.lcut`` timed by turns on the same documents
(robust to a shared machine's slow spells); the speed-up of more workers over one on the largest corpus; and the whole
study on the seeds through papermill against five empty notebooks on the same
kernel (three runs of each by turns, medians compared). Each figure is printed next to its target, marked met or not met.

One worker means the ``local`` engine (this process, no pool); more workers run
on ``--engine`` (default: ``processes``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from synthetic_corpus import write_corpus  # noqa: E402

from helpers.paths import SEEDS_DIR  # noqa: E402
from helpers.run.stages import USABLE_STATUSES  # noqa: E402
from helpers.run.tables import iter_table_batches  # noqa: E402

STAGES = ("ingest", "clean", "extract")
STAGE_FLAG = "--run-one-stage"  # how the benchmark calls itself to run one stage in a new process
FLOORS_FLAG = "--measure-floors"  # ... and to time the reference floors in a new process
MEMORY_GROWTH_TARGET = 1.2
SPEEDUP_TARGET = 1.7
STUDY_VS_EMPTY_TARGET = 2.0
MB = 1024 * 1024


# --- one stage in a fresh process ------------------------------------------------------

def floors_process_main(argv: list[str]) -> None:
    """Child process: time the reference floors on a build, then write them as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", type=Path, required=True)
    parser.add_argument("--max-chars", type=int, default=0)
    parser.add_argument("--result", type=Path, required=True)
    args = parser.parse_args(argv)
    floors = measure_floors(args.build, args.max_chars or None)
    args.result.write_text(json.dumps(floors.__dict__), encoding="utf-8")


def stage_process_main(argv: list[str]) -> None:
    """Child process: run one stage, then write its wall time and peak memory as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("stage", choices=STAGES)
    for name in ("--corpus", "--build", "--engine", "--result"):
        parser.add_argument(name, required=True)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--chunk-size", type=int, default=200)
    args = parser.parse_args(argv)

    from helpers.run.stages import run_clean, run_extract, run_ingest

    options = {"engine": args.engine, "workers": args.workers, "chunk_size": args.chunk_size}
    started = time.perf_counter()
    if args.stage == "ingest":
        run_ingest(args.corpus, args.build, **options)
    elif args.stage == "clean":
        run_clean(args.build, **options)
    else:
        run_extract(args.build, **options)
    seconds = time.perf_counter() - started
    result = {
        "seconds": seconds,
        "peak_main_bytes": own_peak_rss_bytes(),
        # Linux reports ru_maxrss in KiB; children are the pool's worker processes.
        "peak_worker_bytes": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
    }
    Path(args.result).write_text(json.dumps(result), encoding="utf-8")


def own_peak_rss_bytes() -> int:
    """This process's peak resident memory since it started its program (``VmHWM``).

    Not ``ru_maxrss``: Linux carries that over an ``exec`` from the process that
    spawned it, so every stage would report at least the benchmark's own peak.
    """
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # not Linux


def measure_floors_in_new_process(build: Path, max_chars: int) -> Floors:
    """:func:`measure_floors` in a fresh interpreter, whose extraction has remembered nothing yet."""
    result = build / "_bench_floors.json"
    subprocess.run([sys.executable, str(Path(__file__).resolve()), FLOORS_FLAG, "--build", str(build),
                    "--max-chars", str(max_chars), "--result", str(result)], check=True)
    floors = Floors(**json.loads(result.read_text(encoding="utf-8")))
    result.unlink()
    return floors


def run_stage_in_new_process(stage: str, corpus: Path, build: Path, engine: str,
                             workers: int, chunk_size: int) -> dict:
    """Run one stage in a fresh interpreter (its progress lines pass through); return its figures."""
    result = build / f"_bench_{stage}.json"
    command = [sys.executable, str(Path(__file__).resolve()), STAGE_FLAG, stage,
               "--corpus", str(corpus), "--build", str(build), "--engine", engine,
               "--workers", str(workers), "--chunk-size", str(chunk_size), "--result", str(result)]
    subprocess.run(command, check=True)
    figures = json.loads(result.read_text(encoding="utf-8"))
    result.unlink()
    return figures


# --- what a stage read -----------------------------------------------------------------

@dataclass
class StageRun:
    """The figures of one stage on one corpus with one engine."""

    size: int
    stage: str
    engine: str
    workers: int
    documents: int
    chars: int
    seconds: float
    peak_main_bytes: int
    peak_worker_bytes: int

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds

    @property
    def chars_per_second(self) -> float:
        return self.chars / self.seconds

    @property
    def peak_bytes(self) -> int:
        return max(self.peak_main_bytes, self.peak_worker_bytes)


def stage_input(build: Path, stage: str) -> tuple[int, int]:
    """(documents, characters) a stage read: raw texts for ingest and clean, cleaned texts for extract."""
    if stage == "extract":
        return _count_texts(build, "texts", "text_clean")
    return _count_texts(build, "documents", "raw_text", usable_only=(stage == "clean"))


def _count_texts(build: Path, table: str, column: str, usable_only: bool = False) -> tuple[int, int]:
    documents = chars = 0
    wanted = [column, "status"] if usable_only else [column]
    for batch in iter_table_batches(build, table, 1000, columns=wanted):
        if usable_only:
            batch = batch[batch["status"].isin(USABLE_STATUSES)]
        documents += len(batch)
        chars += int(batch[column].fillna("").str.len().sum())
    return documents, chars


def run_stages(size: int, corpus: Path, build: Path, engine: str, workers: int,
               chunk_size: int) -> list[StageRun]:
    """Ingest, clean and extract ``corpus`` into ``build``, each stage in a new process."""
    runs = []
    for stage in STAGES:
        print(f"--- {stage}: {size} documents, engine {engine}, {workers} worker(s)", flush=True)
        figures = run_stage_in_new_process(stage, corpus, build, engine, workers, chunk_size)
        documents, chars = stage_input(build, stage)
        runs.append(StageRun(size, stage, engine, workers, documents, chars, **figures))
    return runs


# --- reference floors ------------------------------------------------------------------

@dataclass
class Floors:
    """Speeds of plain operations on the same cleaned text the extract stage read."""

    documents: int
    chars: int
    jieba_chars_per_second: float
    regex_chars_per_second: float
    distinct_sentences: float = 1.0  # share of the corpus's sentences that are not repeats
    #: extract_one and jieba.lcut timed by turns, document by document, in one fresh process
    interleaved_extract_chars_per_second: float = 0.0
    interleaved_jieba_chars_per_second: float = 0.0


def cleaned_texts(build: Path, max_chars: int | None) -> list[str]:
    """The cleaned texts in document order, up to about ``max_chars`` characters."""
    texts, total = [], 0
    for batch in iter_table_batches(build, "texts", 1000, columns=["text_clean"]):
        for text in batch["text_clean"].fillna(""):
            if max_chars is not None and total >= max_chars:
                return texts
            texts.append(text)
            total += len(text)
    return texts


def measure_floors(build: Path, max_chars: int | None) -> Floors:
    """Time ``jieba.lcut`` and ``re.finditer(r"\\d+")`` over every cleaned text (jieba warmed up)."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    texts = cleaned_texts(build, max_chars)
    chars = sum(map(len, texts))
    started = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    jieba_seconds = time.perf_counter() - started
    digits = re.compile(r"\d+")
    started = time.perf_counter()
    for text in texts:
        for _ in digits.finditer(text):
            pass
    regex_seconds = time.perf_counter() - started
    extract_speed, jieba_speed = time_extract_and_jieba_by_turns(build, max_chars)
    return Floors(len(texts), chars, chars / jieba_seconds, chars / max(regex_seconds, 1e-9),
                  distinct_sentence_share(build), extract_speed, jieba_speed)


def time_extract_and_jieba_by_turns(build: Path, max_chars: int | None) -> tuple[float, float]:
    """Characters per second of ``extract_one`` and of ``jieba.lcut`` on the same documents,
    timed by turns (one document segmented, then extracted), so that a slow spell of a
    shared machine weighs on both alike. The first document only warms both up."""
    import jieba

    from helpers.run.stages import extract_one, iter_extract_inputs

    texts = {}
    for batch in iter_table_batches(build, "texts", 1000, columns=["doc_id", "text_clean"]):
        texts.update(zip(batch["doc_id"], batch["text_clean"].fillna(""), strict=True))
    chars = extract_seconds = jieba_seconds = 0.0
    for i, doc in enumerate(iter_extract_inputs(build)):
        text = texts[doc[0]["doc_id"].iloc[0]]
        started = time.perf_counter()
        jieba.lcut(text)
        segmented = time.perf_counter()
        extract_one(doc)
        extracted = time.perf_counter()
        if i == 0:
            continue
        jieba_seconds += segmented - started
        extract_seconds += extracted - segmented
        chars += len(text)
        if max_chars is not None and chars >= max_chars:
            break
    return chars / max(extract_seconds, 1e-9), chars / max(jieba_seconds, 1e-9)


def distinct_sentence_share(build: Path) -> float:
    """The share of the sentences of ``build`` whose text no earlier sentence had.

    The synthetic documents vary numbers, names and places but keep the seeds' other
    sentences, and the extraction remembers its recent results per sentence and name,
    so the lower this share, the more the extract figure flatters a corpus of real,
    mostly distinct reports.
    """
    seen, total = set(), 0
    for batch in iter_table_batches(build, "sentences", 20_000, columns=["text"]):
        texts = batch["text"].tolist()
        seen.update(texts)
        total += len(texts)
    return len(seen) / total if total else 1.0


# --- the study against empty notebooks -------------------------------------------------

def time_study(work: Path) -> tuple[float, dict[str, float]]:
    """Seconds to run the whole study on the seeds through papermill, as ``make run`` does, and per notebook.

    A notebook's seconds run from its start to its end as papermill records them
    in the executed copy; the total also holds what lies between them (the first
    kernel's start, the report's HTML export).
    """
    import nbformat

    from helpers.run.pipeline import StudyPaths, run_study

    paths = StudyPaths(SEEDS_DIR, work / "build", work / "figures")
    started = time.perf_counter()
    executed = run_study(paths)
    total = time.perf_counter() - started
    per_notebook = {path.name: float(nbformat.read(str(path), as_version=4).metadata.papermill.duration)
                    for path in executed}
    return total, per_notebook


@dataclass
class StudyTimes:
    """Repeated runs of the study and of five empty notebooks, taken by turns."""

    study: list[float]
    empty: list[float]
    per_notebook: list[dict[str, float]]


def time_study_against_empty(work: Path, repeats: int = 3) -> StudyTimes:
    """Run five empty notebooks, then the study, ``repeats`` times by turns.

    By turns, so that a slow spell of a shared machine (on this one, the same
    run varies by a third from one minute to the next) falls on both rather
    than on one of them; the report compares the medians.
    """
    times = StudyTimes([], [], [])
    for i in range(repeats):
        times.empty.append(time_empty_notebooks(work / f"empty-{i}"))
        total, per_notebook = time_study(work / f"study-{i}")
        times.study.append(total)
        times.per_notebook.append(per_notebook)
    return times


def time_empty_notebooks(work: Path, count: int = 5) -> float:
    """Seconds to run ``count`` one-cell notebooks with papermill on the study's kernel."""
    import nbformat
    import papermill as pm

    from helpers.run.pipeline import ensure_kernel

    kernel = ensure_kernel()
    folder = work / "empty_notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    notebooks = []
    for i in range(count + 1):  # the first one only warms the disk cache up
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
        nb.metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
        path = folder / f"{i:02d}_empty.ipynb"
        nbformat.write(nb, str(path))
        notebooks.append(path)
    for i, path in enumerate(notebooks):
        if i == 1:
            started = time.perf_counter()
        pm.execute_notebook(str(path), str(path.with_suffix(".out.ipynb")), kernel_name=kernel,
                            progress_bar=False, cwd=str(folder))
    return time.perf_counter() - started


# --- the report ------------------------------------------------------------------------

def format_table(headers: list[str], rows: list[list[object]]) -> str:
    """A plain text table: text columns left-aligned, numbers right-aligned."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [all(isinstance(row[i], int | float) for row in rows) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(row, widths, numeric, strict=True))

    return "\n".join([line(cells[0]), line(["-" * w for w in widths])] + [line(r) for r in cells[1:]])


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def stage_table(runs: list[StageRun]) -> str:
    rows = [[r.size, r.stage, r.engine, r.workers, r.documents, r.chars / 1e6, r.seconds,
             r.docs_per_second, r.chars_per_second / 1e3, r.peak_main_bytes / MB,
             r.peak_worker_bytes / MB] for r in runs]
    return format_table(["size", "stage", "engine", "workers", "docs", "Mchars", "wall s", "docs/s",
                         "kchars/s", "peak MB", "worker peak MB"], rows)


def floors_table(floors: dict[int, Floors], runs: list[StageRun]) -> str:
    extract = {r.size: r for r in runs if r.stage == "extract" and r.workers == 1}
    rows = []
    for size, f in floors.items():
        speed = extract[size].chars_per_second
        rows.append([size, f.documents, f.chars / 1e6, f.jieba_chars_per_second / 1e3,
                     f.regex_chars_per_second / 1e3, speed / 1e3,
                     speed / f.jieba_chars_per_second,
                     verdict(speed >= f.jieba_chars_per_second),
                     f.interleaved_extract_chars_per_second / f.interleaved_jieba_chars_per_second,
                     f"{f.distinct_sentences:.0%}"])
    return format_table(["size", "docs timed", "Mchars", "jieba.lcut kchars/s", r"re \d+ kchars/s",
                         "extract kchars/s", "extract/jieba",
                         "target: extract >= jieba.lcut", "by turns: extract/jieba", "distinct sentences"], rows)


def memory_table(runs: list[StageRun], small: int, large: int) -> str:
    peak = {(r.size, r.stage): r.peak_bytes for r in runs if r.workers == 1}
    rows = []
    for stage in STAGES:
        ratio = peak[large, stage] / peak[small, stage]
        rows.append([stage, peak[small, stage] / MB, peak[large, stage] / MB, ratio,
                     verdict(ratio <= MEMORY_GROWTH_TARGET)])
    return format_table(["stage", f"peak MB {small}", f"peak MB {large}", "ratio",
                         f"target: <= {MEMORY_GROWTH_TARGET}x"], rows)


def speedup_table(runs: list[StageRun], size: int, workers: list[int]) -> str:
    seconds = {(r.workers, r.stage): r.seconds for r in runs if r.size == size}
    base = min(workers)
    rows = []
    for w in workers:
        if w == base:
            continue
        for stage in (*STAGES, "total"):
            one = _seconds(seconds, base, stage)
            many = _seconds(seconds, w, stage)
            rows.append([w, stage, one, many, one / many,
                         verdict(one / many >= SPEEDUP_TARGET) if stage == "total" else ""])
    return format_table(["workers", "stage", f"{base} worker s", "wall s", "speed-up",
                         f"target (total): >= {SPEEDUP_TARGET}x"], rows)


def _seconds(seconds: dict, workers: int, stage: str) -> float:
    if stage == "total":
        return sum(seconds[workers, s] for s in STAGES)
    return seconds[workers, stage]


def study_table(times: StudyTimes) -> str:
    import statistics

    empty = statistics.median(times.empty)
    total = statistics.median(times.study)
    spread = f"runs: {', '.join(f'{t:.1f}' for t in times.study)}"
    rows = [[f"whole study on the seeds ({len(times.per_notebook[0])} notebooks)", total, total / empty,
             verdict(total / empty < STUDY_VS_EMPTY_TARGET), spread]]
    for name in times.per_notebook[0]:
        seconds = statistics.median(run[name] for run in times.per_notebook)
        rows.append([f"  {name}", seconds, seconds / empty, "", ""])
    rows.append(["five empty notebooks", empty, 1.0, "", f"runs: {', '.join(f'{t:.1f}' for t in times.empty)}"])
    return (f"Medians of {len(times.study)} runs of each, taken by turns.\n"
            + format_table(["papermill run", "wall s", "ratio", f"target: < {STUDY_VS_EMPTY_TARGET}x", ""], rows))


# --- main ------------------------------------------------------------------------------

def machine_summary() -> str:
    import psutil

    return (f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores, "
            f"{psutil.virtual_memory().total / 1024**3:.0f} GiB, load average "
            f"{', '.join(f'{x:.2f}' for x in os.getloadavg())} at the start")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000],
                        help="corpus sizes in documents (default: 1000 10000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="worker counts compared on the largest corpus (default: 1 2)")
    parser.add_argument("--engine", default="processes", choices=["processes", "dask"],
                        help="engine of the runs with more than one worker (default: processes)")
    parser.add_argument("--chunk-size", type=int, default=200, help="documents per chunk (default: 200)")
    parser.add_argument("--floor-chars", type=int, default=5_000_000,
                        help="characters of cleaned text to time jieba and the regex on (0: all)")
    parser.add_argument("--seed", type=int, default=2020, help="random seed of the synthetic corpora")
    parser.add_argument("--skip-study", action="store_true", help="leave out the papermill comparison")
    parser.add_argument("--study-repeats", type=int, default=3,
                        help="runs of the study and of the empty notebooks, by turns (default: 3)")
    parser.add_argument("--results", type=Path, default=None,
                        help="also write the report to this file (e.g. benchmarks/RESULTS.md)")
    parser.add_argument("--readme", type=Path, default=None,
                        help="also put the report in this file's benchmark block (README.md)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args(argv)


def run_all(args: argparse.Namespace, work: Path) -> str:
    """Run every benchmark in ``work``; return the report."""
    machine = machine_summary()
    sizes, largest = sorted(args.sizes), max(args.sizes)
    runs: list[StageRun] = []
    floors: dict[int, Floors] = {}
    for size in sizes:
        corpus = work / f"corpus_{size}"
        started = time.perf_counter()
        write_corpus(SEEDS_DIR, corpus, size, seed=args.seed)
        print(f"=== corpus of {size} documents written in {time.perf_counter() - started:.1f} s",
              flush=True)
        build = work / f"build_{size}_local"
        runs += run_stages(size, corpus, build, "local", 1, args.chunk_size)
        floors[size] = measure_floors_in_new_process(build, args.floor_chars)
    for workers in sorted(set(args.workers) - {1}):
        build = work / f"build_{largest}_{args.engine}_{workers}"
        runs += run_stages(largest, work / f"corpus_{largest}", build, args.engine, workers,
                           args.chunk_size)

    sections = [
        f"Machine: {machine}; load average at the end: "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the machine slows every figure)",
        "Per-document stages (each in a fresh process; 1 worker = engine local)\n" + stage_table(runs),
        "Reference floors on the same cleaned text (extraction must cost no more than jieba.lcut); "
        "by turns: extract_one and jieba.lcut timed document by document, alternately, in one fresh process\n"
        + floors_table(floors, runs),
    ]
    if len(sizes) > 1:
        sections.append(f"Peak memory, {largest} vs {sizes[0]} documents (streaming)\n"
                        + memory_table(runs, sizes[0], largest))
    if len(args.workers) > 1:
        sections.append(f"Speed-up on {largest} documents ({args.engine} engine vs local)\n"
                        + speedup_table(runs, largest, sorted(set(args.workers) | {1})))
    if not args.skip_study:
        sections.append("The study through papermill\n"
                        + study_table(time_study_against_empty(work / "study", args.study_repeats)))
    return "\n\n".join(sections)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    command = "python benchmarks/run_benchmarks.py " + " ".join(sys.argv[1:] if argv is None else argv)
    work = Path(tempfile.mkdtemp(prefix="covid-orgs-bench-"))
    try:
        report = run_all(args, work)
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
        args.readme.write_text(with_benchmark_block(text, f"`{command.strip()}`\n\n```\n{report}\n```"),
                               encoding="utf-8")
    return 0


README_START, README_END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"


def with_benchmark_block(text: str, report: str) -> str:
    """``text`` (the README) with ``report`` between its benchmark markers, which must be there."""
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"the README has no {README_START} ... {README_END} block to put the report in")
    return f"{text[:start + len(README_START)]}\n{report}\n{text[end:]}"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == STAGE_FLAG:
        stage_process_main(sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == FLOORS_FLAG:
        floors_process_main(sys.argv[2:])
    else:
        sys.exit(main())
