"""The run record, ``<build>/run_record.json``, and what of it ``figures/index.md`` states.

Every run of the study (:func:`helpers.run.pipeline.run_study`) writes the record as it
starts, with ``"status": "running"``, and again as it ends, with ``"complete"`` or
``"failed"`` and the error: a record still ``running`` is a run going on, or one that died.
Each write replaces the file whole (written beside it, then renamed), so a reader never
sees half a record. Its fields:

- ``status``, ``error``, ``started``, ``ended`` (UTC, ISO 8601, to the second);
- ``code``: ``package``, ``version`` (``helpers.__version__``), ``git_commit`` and
  ``git_dirty`` (tracked changes or untracked files as the run starts); both None, with
  ``git_unavailable`` saying why, when git is absent or the project is no git checkout;
- ``python``: ``version``, ``implementation``, ``executable``, ``platform``;
- ``environment``: ``lock_file``, ``lock_sha256`` (the environment's digest),
  ``matches_lock`` (the installed packages are exactly the lock's) and ``summary``;
- ``parameters``: what the notebooks were given (folders absolute, the engine);
- ``corpus``: ``path``, ``digest``, ``digest_method``, ``files``, ``bytes`` and ``manifest``,
  every file read with its ``path``, ``bytes`` and ``sha256`` (:mod:`helpers.corpus.manifest`).

The figures depend on the code's version, the corpus and the environment, not on the time,
the commit of an unchanged study or the folders: :class:`Reproducibility` is that part, as
``figures/index.md`` states it, so that an unchanged study rewrites the index byte for byte.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import helpers

from ..corpus.manifest import corpus_manifest
from ..paths import PROJECT_ROOT, display_path, resolve
from ..report.captions import text
from .environment import environment_state, project_name

RECORD_NAME = "run_record.json"
RUNNING, COMPLETE, FAILED = "running", "complete", "failed"
RUN_ID_ENV = "COVID_ORGS_RUN_ID"
"""The runner gives its kernels the run's id here, so that a notebook reading its own run's
tables is not warned that the run is not complete yet (:func:`incomplete_run_warning`)."""


def utc_now() -> str:
    """The time in UTC to the second, ISO 8601: ``2026-12-06T21:04:05Z``."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def git_state(root: Path = PROJECT_ROOT) -> dict:
    """``git_commit`` and ``git_dirty`` of the checkout at ``root``; both None, and
    ``git_unavailable`` saying why, when git is not installed or ``root`` has no commit."""
    git = shutil.which("git")
    if git is None:
        return {"git_commit": None, "git_dirty": None, "git_unavailable": "git is not installed"}

    def git_says(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([git, "-C", str(root), *args], capture_output=True, text=True, check=False)

    head = git_says("rev-parse", "--verify", "HEAD")
    if head.returncode != 0:
        said = (head.stderr.strip().splitlines() or ["no commit"])[-1]
        return {"git_commit": None, "git_dirty": None,
                "git_unavailable": f"{root} is not a git checkout with a commit ({said})"}
    status = git_says("status", "--porcelain")
    return {"git_commit": head.stdout.strip(), "git_dirty": bool(status.stdout.strip()),
            "git_unavailable": None}


def start_record(corpus_dir: str | Path, parameters: dict) -> dict:
    """The record of a run starting now on ``corpus_dir`` with ``parameters``."""
    corpus = resolve(corpus_dir)
    return {
        "status": RUNNING,
        "error": None,
        "started": utc_now(),
        "ended": None,
        "run_id": uuid.uuid4().hex,
        "pid": os.getpid(),
        "code": {"package": project_name(), "version": helpers.__version__, **git_state()},
        "python": {
            "version": platform.python_version(),
            "implementation": platform.python_implementation(),
            "executable": sys.executable,
            "platform": platform.platform(),
        },
        "environment": environment_state(),
        "parameters": dict(parameters),
        "corpus": {"path": str(corpus), **corpus_manifest(corpus).as_dict()},
    }


def write_record(record: dict, build_dir: str | Path) -> Path:
    """Write ``record`` to ``build_dir/run_record.json``, replacing the file whole."""
    build = resolve(build_dir)
    build.mkdir(parents=True, exist_ok=True)
    path = build / RECORD_NAME
    partial = build / f".{RECORD_NAME}.{os.getpid()}.partial"
    partial.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path


def read_record(build_dir: str | Path) -> dict:
    return json.loads((resolve(build_dir) / RECORD_NAME).read_text(encoding="utf-8"))


@contextmanager
def recorded_run(corpus_dir: str | Path, build_dir: str | Path, parameters: dict) -> Iterator[dict]:
    """Write the run record as the run starts (``running``) and as it ends: ``complete``,
    or ``failed`` with the error when the body raises (the error goes on up)."""
    record = start_record(corpus_dir, parameters)
    write_record(record, build_dir)
    try:
        yield record
    except BaseException as error:
        record.update(status=FAILED, error=f"{type(error).__name__}: {error}".splitlines()[0], ended=utc_now())
        write_record(record, build_dir)
        raise
    record.update(status=COMPLETE, ended=utc_now())
    write_record(record, build_dir)


def incomplete_run_warning(build_dir: str | Path) -> str:
    """A warning when the tables of ``build_dir`` come from a run that did not complete
    (and the reader is not that run itself); ``''`` otherwise, or without a record."""
    try:
        record = read_record(build_dir)
    except (OSError, ValueError):
        return ""
    status = record.get("status")
    if status == COMPLETE:
        return ""
    if status == RUNNING and record.get("run_id") and record.get("run_id") == os.environ.get(RUN_ID_ENV):
        return ""
    how = {RUNNING: "is still running or was killed",
           FAILED: f"failed ({record.get('error') or 'no error recorded'})"}.get(status, f"is {status}")
    return (f"build folder {resolve(build_dir)} is from an incomplete run: the run started "
            f"{record.get('started', '?')} (pid {record.get('pid', '?')}) {how}; its tables may be partial "
            "or left from an earlier run: run the study again")


@dataclass(frozen=True)
class Reproducibility:
    """What the figures of a study depend on, as ``figures/index.md`` states it."""

    version: str
    corpus: str
    """The corpus parameter, relative to the project root when inside it (``seeds``)."""
    labels: str
    corpus_files: int
    corpus_bytes: int
    corpus_digest: str
    lock_file: str | None
    lock_sha256: str | None
    matches_lock: bool | None
    """The installed packages are exactly the lock's (None: no lock to compare with)."""

    def index_lines(self) -> list[str]:
        """The section of ``figures/index.md`` that says what makes its figures reproducible,
        in the figures' language."""
        language = self.labels
        if self.lock_sha256 and self.matches_lock is not None:
            state = text(language, "index.env_exact" if self.matches_lock else "index.env_differs")
            environment = text(language, "index.environment", lock_file=self.lock_file,
                               lock_sha256=self.lock_sha256, state=state)
        else:
            environment = text(language, "index.env_none")
        return [
            f"## {text(language, 'index.reproducible')}",
            "",
            text(language, "index.reproducible_intro"),
            "",
            f"- {text(language, 'index.version', version=self.version)}",
            f"- {text(language, 'index.corpus', digest=self.corpus_digest, files=self.corpus_files, size=f'{self.corpus_bytes:,}')}",
            f"- {environment}",
            f"- {text(language, 'index.parameters', corpus=repr(self.corpus), labels=repr(self.labels))}",
            "",
        ]


def reproducibility(corpus_dir: str | Path, labels: str = "zh") -> Reproducibility:
    """The version, corpus and environment a study of ``corpus_dir`` is made with, now."""
    manifest = corpus_manifest(corpus_dir)
    environment = environment_state()
    return Reproducibility(
        version=helpers.__version__,
        corpus=display_path(corpus_dir),
        labels=labels,
        corpus_files=len(manifest.files),
        corpus_bytes=manifest.total_bytes,
        corpus_digest=manifest.digest,
        lock_file=environment["lock_file"],
        lock_sha256=environment["lock_sha256"],
        matches_lock=environment["matches_lock"],
    )
