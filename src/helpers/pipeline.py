"""Run the whole study: execute the numbered notebooks in order with papermill.

    python -m helpers.pipeline --corpus seeds --build build --figures figures

Each notebook receives ``corpus_dir``, ``build_dir`` and ``figures_dir`` (and
``engine``) through its cell tagged ``parameters``; the executed copies are
written to ``<build>/notebooks/`` and are build products, never committed.
After the last notebook, the executed report notebook is exported with its
code hidden to ``<build>/report.html``.

A failing notebook stops the run with the notebook's name and the failing
cell's error; the partly executed copy stays in ``<build>/notebooks/`` for
inspection.

The executed copy is written when a notebook starts, every 30 s while a cell
runs long, and when it ends (failed or not), rather than before and after every
cell as papermill does by default: each of those writes serialises and
validates the whole notebook (the report's, with its figures, is 2 MB), some
240 writes and about half a second over the five notebooks. While the first
notebooks run, nbconvert is imported and its HTML template compiled in a
background thread (1.5 s of CPU), so that the export after the report does not
wait for them.

Each notebook gets a fresh kernel, started in the background while the
notebook before it runs (:func:`start_kernel`), so that no notebook waits for
its kernel to start. Where processes can be forked safely (Linux), the kernels
are forks of one template process (:mod:`helpers.kernel_template`) that has
imported, once, the modules the notebooks' own ``import`` statements name
(:func:`notebook_imports`) and let the study's modules among them load their
data (:mod:`helpers.kernel_preload`: ``sys.modules`` and caches only, no name
defined): five kernels no longer import IPython, pandas, matplotlib and jieba's
dictionary five times over. The template works one notebook ahead and runs no
notebook code, so each kernel starts from the same state whatever the notebook
before it did. Elsewhere each kernel is a new process that does the same
preload for itself as it starts. The kernel is killed as soon as the
notebook's last cell is done (:func:`stop_kernel`, in the background) instead
of being asked to shut down and waited for while it tears down its heap,
about half a second a notebook. Nothing is lost by it: every file a notebook
writes is written and closed by the cell that writes it, the executed copy is
written by this process, and a worker pool or Dask cluster a stage starts is
closed by that stage (any process left over is in the kernel's process group
and is killed with it).
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .paths import NOTEBOOKS_DIR, resolve

KERNEL_NAME = "covid-social-orgs"
REPORT_NOTEBOOK = "05_report.ipynb"
PAPERMILL_ENGINE = "covid-social-orgs-saves-at-ends"
"""The papermill engine the study registers: nbclient, writing the executed copy at its ends (see above)."""


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
    ``python -m helpers.pipeline`` directly gets it registered here, in this
    environment's prefix (nothing is written to the user's home folder).
    """
    from jupyter_client.kernelspec import KernelSpecManager

    if name not in KernelSpecManager().find_kernel_specs():
        from ipykernel.kernelspec import install

        install(kernel_name=name, display_name=f"Python 3 ({name})", prefix=sys.prefix)
    return name


@cache
def _register_papermill_engine() -> str:
    """Register (once) papermill's nbclient engine with an execution manager that saves at the ends."""
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    class SavesAtEnds(NotebookExecutionManager):
        """Writes the executed copy at the start, on autosave (a cell running 30 s) and at the end only."""

        skip_saves = False

        def save(self, **kwargs):
            if not self.skip_saves:
                super().save(**kwargs)

        def _without_saving(self, step, *args, **kwargs):
            """Run papermill's ``step`` (which ends by saving the notebook) without the save."""
            self.skip_saves = True
            try:
                step(*args, **kwargs)
            finally:
                self.skip_saves = False

        def cell_start(self, cell, cell_index=None, **kwargs):
            self._without_saving(super().cell_start, cell, cell_index, **kwargs)

        def cell_complete(self, cell, cell_index=None, **kwargs):
            self._without_saving(super().cell_complete, cell, cell_index, **kwargs)

    class SavesAtEndsEngine(NBClientEngine):
        """papermill's ``Engine.execute_notebook`` with :class:`SavesAtEnds` as the execution manager."""

        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
                             autosave_cell_every=30, **kwargs):
            nb_man = SavesAtEnds(nb, output_path=output_path, progress_bar=progress_bar,
                                 log_output=log_output, autosave_cell_every=autosave_cell_every)
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()  # writes the copy, also when a cell failed or the kernel died
            return nb_man.nb

    papermill_engines.register(PAPERMILL_ENGINE, SavesAtEndsEngine)
    return PAPERMILL_ENGINE


def notebook_imports(notebook: Path) -> list[tuple[str, list[str]]]:
    """The modules a notebook's code cells import, in order: ``(module, names)`` per statement.

    ``import a.b`` gives ``("a.b", [])``, ``from a import b, c`` gives
    ``("a", ["b", "c"])``; relative imports and cells that are not plain Python
    (magics) are left out. The notebook is read as the JSON it is, without
    nbformat's validation: this runs before the first kernel can start.
    """
    import ast
    import json

    found: list[tuple[str, list[str]]] = []
    for cell in json.loads(notebook.read_text(encoding="utf-8")).get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        try:
            tree = ast.parse("".join(source) if isinstance(source, list) else source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(alias.name, []) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.append((node.module, [alias.name for alias in node.names if alias.name != "*"]))
    return found


def start_kernel(kernel: str, cwd: Path, preload: list[tuple[str, list[str]]] = (), template=None):
    """Start a fresh ``kernel`` in folder ``cwd``; return its (asyncio) kernel manager.

    ``preload``: modules (from :func:`notebook_imports`) the kernel imports as it
    starts, before it reports ready, with the data of the study's modules
    (:mod:`helpers.kernel_preload`; only ``sys.modules`` and caches change, no
    name is defined). ``template``: a :class:`helpers.kernel_template.KernelTemplate`
    to fork the kernel from (it has loaded ``preload`` already, so the kernel's
    own preload finds everything done); without one the kernel is a new process.
    Safe to call in a background thread (it runs in an event loop of its own);
    the kernel manager is then handed to papermill, whose client waits until
    the kernel is ready. Stop it with :func:`stop_kernel`.
    """
    import asyncio
    import json
    import os
    import uuid

    from jupyter_client.manager import AsyncKernelManager

    from .kernel_preload import PRELOAD_ENV

    manager = AsyncKernelManager(kernel_name=kernel)
    if template is not None:
        from .kernel_template import ForkedProvisioner

        manager.kernel_id = str(uuid.uuid4())
        manager.provisioner = ForkedProvisioner(kernel_id=manager.kernel_id, kernel_spec=manager.kernel_spec,
                                                parent=manager)  # fmt: skip
        manager.provisioner.template = template
    env = {**os.environ, PRELOAD_ENV: json.dumps(list(preload), ensure_ascii=False)}
    asyncio.run(manager.start_kernel(cwd=str(cwd), env=env,
                                     extra_arguments=["--InteractiveShellApp.extra_extensions=helpers.kernel_preload"]))
    return manager


def stop_kernel(manager) -> None:
    """Kill a kernel started by :func:`start_kernel` and its process group; free its ports and files."""
    from jupyter_core.utils import run_sync

    run_sync(manager.shutdown_kernel)(now=True)


def execute_notebook(notebook: Path, paths: StudyPaths, engine: str, kernel: str, manager) -> Path:
    """Execute one notebook with papermill; raise :class:`NotebookFailed` naming it on error.

    ``manager``: the kernel manager from :func:`start_kernel` to run it in; the
    caller stops the kernel (:func:`stop_kernel`).
    """
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
            engine_name=_register_papermill_engine(),
            cwd=str(notebook.parent),
            progress_bar=False,
            report_mode=False,
            km=manager,
        )
    except pm.PapermillExecutionError as err:
        raise NotebookFailed(
            f"{notebook.name} failed in cell {err.exec_count}: {err.ename}: {err.evalue}\n"
            f"(executed copy with the traceback: {output})"
        ) from err
    return output


def report_exporter():
    """nbconvert's HTML exporter for the report, code cells hidden, its template already compiled."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.from_notebook_node(nbformat.v4.new_notebook())  # loads and compiles the template once
    return exporter


def export_report(executed_report: Path, html_path: Path, exporter=None) -> Path:
    """Export the executed report notebook to HTML with the code cells hidden.

    ``exporter``: one made by :func:`report_exporter` (made here when not given).
    """
    import nbformat

    nb = nbformat.read(str(executed_report), as_version=4)
    exporter = exporter if exporter is not None else report_exporter()
    body, _ = exporter.from_notebook_node(nb)
    html_path.write_text(body, encoding="utf-8")
    return html_path


def skip_iri_format_checker() -> None:
    """Keep jsonschema, in this process, from importing ``rfc3987_syntax``: 2-3 s spent at import.

    papermill and nbconvert import nbformat, which imports jsonschema, whose
    format checkers import ``rfc3987_syntax`` when it is installed (JupyterLab's
    dependencies install it). That module builds some 35 Earley parsers when it
    is imported (python-jsonschema/jsonschema#1428), for the ``iri`` format
    alone, which the notebook format's schema never uses. Marked absent before
    jsonschema is imported, it is passed over as jsonschema passes over any
    checker whose package is missing. Only the runner's process is touched, not
    the kernels, and nothing the study computes.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def run_study(paths: StudyPaths, engine: str = "local", notebooks: list[Path] | None = None,
              fork_kernels: bool | None = None) -> list[Path]:
    """Execute every numbered notebook in order; return the executed copies.

    ``fork_kernels``: start the kernels as forks of one process that has loaded
    their modules (:mod:`helpers.kernel_template`); default: where processes
    can be forked safely (:func:`helpers.forking.fork_is_safe`).
    """
    from .forking import fork_is_safe

    if not paths.corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder {paths.corpus_dir} does not exist")
    skip_iri_format_checker()
    kernel = ensure_kernel()
    notebooks = notebooks or study_notebooks()
    imports = [notebook_imports(notebook) for notebook in notebooks]
    has_report = any(notebook.name == REPORT_NOTEBOOK for notebook in notebooks)
    template = None
    if fork_kernels if fork_kernels is not None else fork_is_safe():
        from .kernel_template import KernelTemplate

        template = KernelTemplate.for_kernel(kernel)
        template.preload(imports[0])
    _register_papermill_engine()  # imports papermill (a second) while the first kernel starts
    executed = []
    exporter: Future | None = None
    stopped: list[Future] = []
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="study-background") as background:
        def start(i: int) -> Future:
            def started():
                manager = start_kernel(kernel, notebooks[i].parent, imports[i], template)
                if template is not None and i + 1 < len(notebooks):
                    template.preload(imports[i + 1])  # the template loads the next notebook's modules now
                return manager

            return background.submit(started)

        next_kernel = start(0)
        try:
            for i, notebook in enumerate(notebooks):
                started = time.perf_counter()
                print(f"[study] {notebook.name} ...", flush=True)
                manager = next_kernel.result()
                next_kernel = None
                if i + 1 < len(notebooks):  # the next notebook's kernel starts while this one runs
                    next_kernel = start(i + 1)
                if exporter is None and has_report:
                    # made while the first notebooks run, which leave a core free, rather than
                    # alongside the report's figures, which take both
                    exporter = background.submit(report_exporter)
                try:
                    executed.append(execute_notebook(notebook, paths, engine, kernel, manager))
                finally:  # the next notebook need not wait for the kill to be confirmed
                    stopped.append(background.submit(stop_kernel, manager))
                print(f"[study] {notebook.name} done in {time.perf_counter() - started:.1f} s", flush=True)
            report = next((p for p in executed if p.name == REPORT_NOTEBOOK), None)
            if report is not None:
                html = export_report(report, paths.build_dir / "report.html", exporter.result())
                print(f"[study] report: {html}", flush=True)
        finally:
            if next_kernel is not None and next_kernel.exception() is None:
                stop_kernel(next_kernel.result())  # a notebook failed: the next one's kernel is not needed
            for stop in stopped:
                stop.result()
            if template is not None:  # after the kernels: killed first, it would leave them unreaped
                template.close()
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
