"""Run the whole study: execute the numbered notebooks in order with papermill.

    python -m helpers.run.pipeline --corpus seeds --build build --figures figures

Each notebook receives ``corpus_dir``, ``build_dir``, ``figures_dir`` and
``engine`` through its cell tagged ``parameters`` (papermill's parameter
injection); the executed copies are written to ``<build>/notebooks/`` and are
build products, never committed. After the last notebook the executed report
notebook is exported, its code hidden, to ``<build>/report.html``.

Each notebook runs in a fresh kernel that papermill starts and shuts down, one
notebook after the other, as papermill is documented to be used. The executed
copy is written when the notebook ends or fails (``request_save_on_cell_execute=False``),
not around every cell.

A failing notebook stops the run with the notebook's name and the failing
cell's error; the partly executed copy stays in ``<build>/notebooks/`` for
inspection.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..paths import NOTEBOOKS_DIR, resolve

KERNEL_NAME = "covid-social-orgs"
REPORT_NOTEBOOK = "05_report.ipynb"


class NotebookFailed(RuntimeError):
    """A notebook of the study raised an error in one of its cells."""


@dataclass(frozen=True)
class StudyPaths:
    corpus_dir: Path
    build_dir: Path
    figures_dir: Path

    @classmethod
    def from_args(cls, corpus: str | Path, build: str | Path, figures: str | Path) -> StudyPaths:
        return cls(resolve(corpus), resolve(build), resolve(figures))


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


def execute_notebook(notebook: Path, paths: StudyPaths, engine: str, kernel: str = KERNEL_NAME) -> Path:
    """Execute one notebook with papermill; raise :class:`NotebookFailed` naming it on error."""
    import papermill as pm

    out_dir = paths.build_dir / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    output = out_dir / notebook.name
    parameters = {
        "corpus_dir": str(paths.corpus_dir),
        "build_dir": str(paths.build_dir),
        "figures_dir": str(paths.figures_dir),
        "engine": engine,
    }
    try:
        pm.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            kernel_name=kernel,
            cwd=str(notebook.parent),
            progress_bar=False,
            request_save_on_cell_execute=False,
        )
    except pm.PapermillExecutionError as err:
        raise NotebookFailed(
            f"{notebook.name} failed in cell {err.exec_count}: {err.ename}: {err.evalue}\n"
            f"(executed copy with the traceback: {output})"
        ) from err
    except Exception as err:  # the kernel died or did not start: nbclient's own errors
        raise NotebookFailed(f"{notebook.name} stopped: {type(err).__name__}: {err}") from err
    return output


def export_report(executed_report: Path, html_path: Path) -> Path:
    """Export the executed report notebook to HTML with the code cells hidden."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nbformat.read(str(executed_report), as_version=4))
    html_path.write_text(body, encoding="utf-8")
    return html_path


def run_study(paths: StudyPaths, engine: str = "local", notebooks: list[Path] | None = None) -> list[Path]:
    """Execute every numbered notebook in order, then export the report; return the executed copies."""
    if not paths.corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder {paths.corpus_dir} does not exist")
    kernel = ensure_kernel()
    executed = []
    for notebook in notebooks or study_notebooks():
        started = time.perf_counter()
        print(f"[study] {notebook.name} ...", flush=True)
        executed.append(execute_notebook(notebook, paths, engine, kernel))
        print(f"[study] {notebook.name} done in {time.perf_counter() - started:.1f} s", flush=True)
    report = next((p for p in executed if p.name == REPORT_NOTEBOOK), None)
    if report is not None:
        html = export_report(report, paths.build_dir / "report.html")
        print(f"[study] report: {html}", flush=True)
    return executed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="seeds", help="folder of documents (default: seeds)")
    parser.add_argument("--build", default="build", help="folder for tables and executed notebooks")
    parser.add_argument("--figures", default="figures", help="folder for the figures and their index")
    parser.add_argument(
        "--engine",
        default="local",
        choices=["local", "processes", "dask"],
        help="how the per-document stages run: local (one process, default), processes (a pool over the cores), dask (a LocalCluster, or the scheduler in $COVID_ORGS_DASK_SCHEDULER)",
    )
    args = parser.parse_args(argv)
    paths = StudyPaths.from_args(args.corpus, args.build, args.figures)
    try:
        run_study(paths, engine=args.engine)
    except (NotebookFailed, FileNotFoundError) as err:
        print(f"[study] stopped: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
