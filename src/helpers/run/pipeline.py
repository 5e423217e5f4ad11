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
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..paths import (
    BUILD_DIR,
    FIGURES_DIR,
    GOLD_DIR,
    NOTEBOOKS_DIR,
    PROJECT_ROOT,
    SEEDS_DIR,
    resolve,
)
from .record import RECORD_NAME, recorded_run

KERNEL_NAME = "covid-social-orgs"
REPORT_NOTEBOOK = "05_report.ipynb"
RUNS_DIR = PROJECT_ROOT / "runs"
"""Where other corpora's runs go by default: ``runs/<corpus name>/build`` and ``.../figures``."""
LABEL_LANGUAGES = ("zh", "en")


class NotebookFailed(RuntimeError):
    """A notebook of the study raised an error in one of its cells."""


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
    html_path.write_text(body, encoding="utf-8")
    return html_path


def run_study(
    paths: StudyPaths, engine: str = "local", notebooks: list[Path] | None = None, labels: str = "zh",
    count_duplicates: bool = False,
) -> list[Path]:
    """Execute every numbered notebook in order, then export the report; return the executed copies.

    The last lines printed say where the tables, the figures, their index, the report and
    the run record are. ``<build>/run_record.json`` (:mod:`.record`) is written as the run
    starts (status ``running``) and as it ends (``complete``, or ``failed`` with the error).
    """
    if not paths.corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder {paths.corpus_dir} does not exist")
    if labels not in LABEL_LANGUAGES:
        raise ValueError(f"labels must be one of {', '.join(LABEL_LANGUAGES)}, not {labels!r}")
    notebooks = notebooks or study_notebooks()
    parameters = {**study_parameters(paths, engine, labels, count_duplicates), "notebooks": [p.name for p in notebooks]}
    with recorded_run(paths.corpus_dir, paths.build_dir, parameters):
        kernel = ensure_kernel()
        executed = []
        for notebook in notebooks:
            started = time.perf_counter()
            print(f"[study] {notebook.name} ...", flush=True)
            executed.append(execute_notebook(notebook, paths, engine, kernel, labels, count_duplicates))
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
    except (NotebookFailed, FileNotFoundError) as err:
        print(f"[study] stopped: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
