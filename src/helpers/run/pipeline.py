"""Run the whole study: execute the numbered notebooks in order with papermill.

    python -m helpers.run.pipeline --corpus seeds --build build --figures figures

Each notebook receives those of ``corpus_dir``, ``build_dir``, ``figures_dir``,
``engine``, ``gold_dir`` and ``labels`` that its cell tagged ``parameters`` declares
(papermill's parameter injection); the executed copies are written to
``<build>/notebooks/`` and are build products, never committed.

The bundled study (the seeds, Chinese labels) writes ``build/`` and the committed
``figures/``; any other corpus, or English labels, writes to
``runs/<corpus name>[-en]/build`` and ``.../figures`` unless ``--build`` and
``--figures`` say otherwise, so that it never overwrites the bundled study. After the last notebook the executed report
notebook is exported, its code hidden, to ``<build>/report.html``.

Each notebook runs in a fresh kernel that papermill starts and shuts down, one
notebook after the other, as papermill is documented to be used. The kernel talks
to papermill over local (IPC) sockets, not TCP, where the system has them. The executed
copy is written when the notebook ends or fails (``request_save_on_cell_execute=False``),
not around every cell.

A failing notebook stops the run with the notebook's name and the failing
cell's error; the partly executed copy stays in ``<build>/notebooks/`` for
inspection. Every run writes ``<build>/run_record.json`` (:mod:`.record`): the
commit, versions, environment, parameters and corpus manifest, and whether the
run is still going, complete or failed.

A run never lies about what it leaves behind:

* it checks its folders first (a corpus that is missing, a file, unreadable or holds no
  document; a build or figures folder that cannot be written) and stops with one
  ``[study] stopped: ...`` line naming the path and the problem;
* it holds a lock on the build folder (:mod:`helpers.run.build_folder`): a second run
  into the same folder stops at once, naming the holder's pid;
* it marks the build folder ``running`` when it starts and ``complete`` or ``failed``
  when it ends (:mod:`helpers.run.record`), so a table read from a run that did not end
  well says so;
* Ctrl-C, SIGTERM or SIGHUP (to the runner or to its process group) stop the running
  kernel and every process it started before the runner exits (:func:`stopping_kernels_on_signals`).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..corpus.listing import CorpusProblem, check_corpus
from ..outputs import write_text
from ..paths import (
    BUILD_DIR,
    FIGURES_DIR,
    GOLD_DIR,
    NOTEBOOKS_DIR,
    PROJECT_ROOT,
    SEEDS_DIR,
    resolve,
)
from .build_folder import BuildFolderProblem, check_writable, hold_build_folder
from .record import RECORD_NAME, RUN_ID_ENV, recorded_run

KERNEL_NAME = "covid-social-orgs"
REPORT_NOTEBOOK = "05_report.ipynb"
RUNS_DIR = PROJECT_ROOT / "runs"
"""Where other corpora's runs go by default: ``runs/<corpus name>/build`` and ``.../figures``."""
LABEL_LANGUAGES = ("zh", "en")


class NotebookFailed(RuntimeError):
    """A notebook of the study raised an error in one of its cells."""


class StudyInterrupted(KeyboardInterrupt):
    """The study was stopped by a signal (Ctrl-C, SIGTERM, SIGHUP); its kernels are stopped."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(f"interrupted by {signal.Signals(signum).name}; the running kernel was stopped")


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
INJECTED_CELL_ID = "injected-parameters"
"""The id given to the cell papermill injects (papermill makes a random one, so the report's
HTML would differ between identical runs)."""


@dataclass(frozen=True)
class StudyPaths:
    corpus_dir: Path
    build_dir: Path
    figures_dir: Path
    gold_dir: Path = GOLD_DIR

    @classmethod
    def from_args(
        cls,
        corpus: str | Path,
        build: str | Path | None = None,
        figures: str | Path | None = None,
        gold: str | Path | None = None,
        labels: str = "zh",
    ) -> StudyPaths:
        """Resolve the folders; ``build``/``figures`` left out default to :func:`default_outputs`."""
        corpus_dir = resolve(corpus)
        default_build, default_figures = default_outputs(corpus_dir, labels)
        return cls(
            corpus_dir,
            resolve(build) if build else default_build,
            resolve(figures) if figures else default_figures,
            resolve(gold) if gold else GOLD_DIR,
        )


def default_outputs(corpus_dir: Path, labels: str = "zh") -> tuple[Path, Path]:
    """Build and figures folders of a run: ``build/`` and ``figures/`` for the bundled study only.

    The seeds with Chinese labels are the committed study; any other corpus or
    language goes to ``runs/<corpus folder name>[-en]/{build,figures}`` (git-ignored).
    """
    if corpus_dir.resolve() == SEEDS_DIR.resolve() and labels == "zh":
        return BUILD_DIR, FIGURES_DIR
    name = corpus_dir.resolve().name or "corpus"
    run = RUNS_DIR / (name if labels == "zh" else f"{name}-{labels}")
    return run / "build", run / "figures"


def study_notebooks(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks (``01_ingest.ipynb`` ...), in the order they run."""
    found = sorted(p for p in notebooks_dir.glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise FileNotFoundError(f"no numbered notebooks in {notebooks_dir}")
    return found


def ensure_kernel(name: str = KERNEL_NAME) -> str:
    """Make sure the study's kernel is registered for this interpreter; return its name.

    ``make`` registers it when it creates ``.venv``; a conda user running
    ``python -m helpers.run.pipeline`` directly gets it registered here, in this
    environment's prefix (nothing is written to the user's home folder).
    """
    from jupyter_client.kernelspec import KernelSpecManager

    if name not in KernelSpecManager().find_kernel_specs():
        from ipykernel.kernelspec import install

        install(kernel_name=name, display_name=f"Python 3 ({name})", prefix=sys.prefix)
    return name


def kernel_config():
    """Kernels reached over IPC sockets where the system has them (no "TCP without encryption" warning)."""
    import os

    from traitlets.config import Config

    return Config({"KernelManager": {"transport": "ipc" if os.name == "posix" else "tcp"}})


def study_parameters(paths: StudyPaths, engine: str, labels: str = "zh",
                     count_duplicates: bool = False) -> dict[str, str | bool]:
    """The study's parameters, offered to every notebook (and held by the run record).

    ``count_duplicates`` (notebooks 04 and 05): every document counted, copies of another
    too, instead of each story once."""
    return {
        "corpus_dir": str(paths.corpus_dir),
        "build_dir": str(paths.build_dir),
        "figures_dir": str(paths.figures_dir),
        "engine": engine,
        "gold_dir": str(paths.gold_dir),
        "labels": labels,
        "count_duplicates": count_duplicates,
    }


def execute_notebook(
    notebook: Path, paths: StudyPaths, engine: str, kernel: str = KERNEL_NAME, labels: str = "zh",
    count_duplicates: bool = False,
) -> Path:
    """Execute one notebook with papermill; raise :class:`NotebookFailed` naming it on error.

    The notebook gets those of the study's parameters that its parameters cell declares.
    """
    import papermill as pm

    out_dir = paths.build_dir / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    output = out_dir / notebook.name
    offered = study_parameters(paths, engine, labels, count_duplicates)
    declared = pm.inspect_notebook(str(notebook))
    parameters = {k: v for k, v in offered.items() if k in declared}
    try:
        pm.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            kernel_name=kernel,
            cwd=str(notebook.parent),
            progress_bar=False,
            request_save_on_cell_execute=False,
            config=kernel_config(),
        )
    except pm.PapermillExecutionError as err:
        raise NotebookFailed(
            f"{notebook.name} failed in cell {err.exec_count}: {err.ename}: {err.evalue}\n"
            f"(executed copy with the traceback: {output})"
        ) from err
    except Exception as err:  # the kernel died or did not start: nbclient's own errors
        raise NotebookFailed(f"{notebook.name} stopped: {type(err).__name__}: {err}") from err
    return output


def fix_injected_cell_id(executed: Path) -> None:
    """Give papermill's injected-parameters cell a fixed id, so identical runs write identical files."""
    import nbformat

    nb = nbformat.read(str(executed), as_version=4)
    changed = False
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []) and cell.get("id") != INJECTED_CELL_ID:
            cell["id"] = INJECTED_CELL_ID
            changed = True
    if changed:
        write_text(executed, nbformat.writes(nb))


def export_report(executed_report: Path, html_path: Path, labels: str = "zh") -> Path:
    """Export the executed report notebook to HTML with the code cells hidden.

    The page gets the study's title and language (``<title>``, ``<html lang>``) in
    the report's language; the figures carry their alt text (notebook 05). Markdown
    cells tagged ``methods`` explain the notebook to whoever runs it, in English, and
    are left out: the report's own headings come from its code cells, in its language.
    """
    import nbformat
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    from ..report.captions import text

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            language_code=labels)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"methods"}), enabled=True)
    notebook = nbformat.read(str(executed_report), as_version=4)
    notebook.metadata["title"] = text(labels, "report.title")
    body, _ = exporter.from_notebook_node(notebook)
    return write_text(html_path, body)


def stop_child_processes(timeout: float = 5.0) -> list[int]:
    """Terminate every process this one started (kernels and their workers), deepest first,
    killing those still alive after ``timeout`` seconds; return their pids."""
    import psutil

    children = psutil.Process().children(recursive=True)
    for child in reversed(children):
        try:
            child.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(children, timeout=timeout)
    for child in alive:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=timeout)
    return [c.pid for c in children]


@contextmanager
def stopping_kernels_on_signals() -> Iterator[None]:
    """While the block runs, Ctrl-C, SIGTERM and SIGHUP stop the kernels and raise
    :class:`StudyInterrupted`. Jupyter starts each kernel in a session of its own, so a
    signal to the runner or to its process group would otherwise leave the kernel running
    and writing. The previous handlers are put back afterwards."""
    def stop(signum, _frame):
        for sig in STOP_SIGNALS:  # a second signal while the kernels stop changes nothing
            signal.signal(sig, signal.SIG_IGN)
        stop_child_processes()
        raise StudyInterrupted(signum)

    if threading.current_thread() is not threading.main_thread():  # only the main thread gets signals
        yield
        return
    previous = {sig: signal.signal(sig, stop) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def check_study_folders(paths: StudyPaths) -> None:
    """Stop before any notebook runs when a folder cannot be used: :class:`CorpusProblem` or
    :class:`BuildFolderProblem` naming the path and the problem."""
    check_corpus(paths.corpus_dir)
    check_writable(paths.build_dir, "build folder")
    check_writable(paths.figures_dir, "figures folder", create=False)


def run_study(
    paths: StudyPaths, engine: str = "local", notebooks: list[Path] | None = None, labels: str = "zh",
    count_duplicates: bool = False,
) -> list[Path]:
    """Execute every numbered notebook in order, then export the report; return the executed copies.

    Holds the build folder for the whole run. The last lines printed say where the tables, the figures, their index, the report and
    the run record are. ``<build>/run_record.json`` (:mod:`.record`) is written as the run
    starts (status ``running``) and as it ends (``complete``, or ``failed`` with the error).
    """
    if labels not in LABEL_LANGUAGES:
        raise ValueError(f"labels must be one of {', '.join(LABEL_LANGUAGES)}, not {labels!r}")
    check_study_folders(paths)
    kernel = ensure_kernel()
    notebooks = notebooks or study_notebooks()
    parameters = {**study_parameters(paths, engine, labels, count_duplicates), "notebooks": [p.name for p in notebooks]}
    with (hold_build_folder(paths.build_dir), stopping_kernels_on_signals(),
          recorded_run(paths.corpus_dir, paths.build_dir, parameters) as record):
        previous_id = os.environ.get(RUN_ID_ENV)
        os.environ[RUN_ID_ENV] = record["run_id"]  # the kernels inherit it: their own tables are no surprise
        try:
            executed = _run_notebooks(paths, engine, kernel, notebooks, labels, count_duplicates)
        finally:
            if previous_id is None:
                os.environ.pop(RUN_ID_ENV, None)
            else:
                os.environ[RUN_ID_ENV] = previous_id
    return executed


def _run_notebooks(paths: StudyPaths, engine: str, kernel: str, notebooks: list[Path], labels: str,
                   count_duplicates: bool = False) -> list[Path]:
    executed = []
    for notebook in notebooks:
        started = time.perf_counter()
        print(f"[study] {notebook.name} ...", flush=True)
        executed.append(execute_notebook(notebook, paths, engine, kernel, labels, count_duplicates))
        fix_injected_cell_id(executed[-1])
        print(f"[study] {notebook.name} done in {time.perf_counter() - started:.1f} s", flush=True)
    report = next((p for p in executed if p.name == REPORT_NOTEBOOK), None)
    html = export_report(report, paths.build_dir / "report.html", labels) if report is not None else None
    for line in where_the_results_are(paths, html):
        print(f"[study] {line}", flush=True)
    return executed


def where_the_results_are(paths: StudyPaths, html: Path | None) -> list[str]:
    """The run's last lines: the folders and files a researcher opens next."""
    lines = [f"tables:  {paths.build_dir}", f"figures: {paths.figures_dir}"]
    index = paths.figures_dir / "index.md"
    if index.is_file():
        lines.append(f"figure index: {index}")
    if html is not None:
        lines.append(f"report:  {html}")
    lines.append(f"run record: {paths.build_dir / RECORD_NAME}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="seeds", help="folder of documents (default: seeds)")
    parser.add_argument("--build", default=None, help="folder for tables and executed notebooks (default: build/ for the seeds, runs/<corpus name>/build otherwise)")
    parser.add_argument("--figures", default=None, help="folder for the figures and their index (default: figures/ for the seeds, runs/<corpus name>/figures otherwise)")
    parser.add_argument("--gold", default=None, help="folder of gold annotations to score the extraction against (default: gold/)")
    parser.add_argument("--labels", default="zh", choices=LABEL_LANGUAGES, help="language of the figures, captions and index: zh (default) or en")
    parser.add_argument(
        "--engine",
        default="local",
        choices=["local", "processes", "dask"],
        help="how the per-document stages run: local (one process, default), processes (a pool over the cores), dask (a LocalCluster, or the scheduler in $COVID_ORGS_DASK_SCHEDULER)",
    )
    parser.add_argument(
        "--count-duplicates",
        action="store_true",
        help="count every document, copies of another report too (default: each story once)",
    )
    args = parser.parse_args(argv)
    paths = StudyPaths.from_args(args.corpus, args.build, args.figures, args.gold, args.labels)
    try:
        run_study(paths, engine=args.engine, labels=args.labels, count_duplicates=args.count_duplicates)
    except (NotebookFailed, CorpusProblem, BuildFolderProblem, FileNotFoundError) as err:
        print(f"[study] stopped: {err}", file=sys.stderr)
        return 1
    except StudyInterrupted as err:
        print(f"[study] stopped: {err}", file=sys.stderr)
        return 128 + err.signum
    return 0


if __name__ == "__main__":
    sys.exit(main())
