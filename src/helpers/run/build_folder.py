"""One run at a time per build folder, and a clear word when the folder cannot be used.

:func:`hold_build_folder` checks that the build folder can be written, takes a lock on
it (``<build>/.study.lock``, with the ``filelock`` library; the operating system releases
it when the process ends, however it ends) and writes the holder's pid beside it
(``<build>/.study.pid``). A second run into the same folder stops at once, naming the
folder and the pid of the run that holds it: two runs never interleave their tables.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from ..outputs import output_file
from ..paths import resolve

LOCK_NAME = ".study.lock"
PID_NAME = ".study.pid"


class BuildFolderProblem(Exception):
    """The build folder cannot be written, or another run holds it."""


def check_writable(folder: str | Path, role: str = "build folder", create: bool = True) -> Path:
    """``folder`` resolved; :class:`BuildFolderProblem` naming it when it cannot be created or
    written. With ``create`` false a missing folder is not made: the nearest folder above it
    that exists must take a file."""
    folder = resolve(folder)
    try:
        if create:
            folder.mkdir(parents=True, exist_ok=True)
        probe_in = folder
        while not create and not probe_in.exists() and probe_in != probe_in.parent:
            probe_in = probe_in.parent
        if not probe_in.is_dir():
            raise NotADirectoryError(20, "Not a directory", str(probe_in))
        probe = probe_in / f".write-check-{os.getpid()}"
        with output_file(probe) as tmp:
            tmp.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise BuildFolderProblem(
            f"{role} {folder} cannot be written ({exc.strerror or type(exc).__name__}"
            f"{': ' + str(exc.filename) if getattr(exc, 'filename', None) and str(exc.filename) != str(folder) else ''})"
        ) from None
    return folder


def holder_pid(build_dir: str | Path) -> str:
    """The pid recorded by the run that holds ``build_dir`` ('?' when unknown)."""
    try:
        return (resolve(build_dir) / PID_NAME).read_text(encoding="utf-8").strip() or "?"
    except OSError:
        return "?"


@contextmanager
def hold_build_folder(build_dir: str | Path) -> Iterator[Path]:
    """Hold the lock on ``build_dir`` for the block; :class:`BuildFolderProblem` at once when
    another run holds it or the folder cannot be written."""
    build = check_writable(build_dir)
    lock = FileLock(str(build / LOCK_NAME), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise BuildFolderProblem(
            f"build folder {build} is in use by another run of the study (pid {holder_pid(build)}); "
            "wait for it to end, or give this run another --build folder"
        ) from None
    pid_file = build / PID_NAME
    try:
        with output_file(pid_file) as tmp:
            tmp.write_text(f"{os.getpid()}\n", encoding="utf-8")
        yield build
    finally:
        pid_file.unlink(missing_ok=True)
        lock.release()
