"""Start the study's kernels by forking one process that has already loaded their modules.

Every notebook of the study runs in a kernel of its own (nothing one notebook
defines or changes can reach the next). Started the usual way, each of the five
kernels is a new Python that imports IPython, pandas, pyarrow, matplotlib and
jieba's dictionary again: about a second of CPU each, spent five times on a
2-core machine while the notebook before it runs.

Here one *template* process (:func:`serve`, started by :class:`KernelTemplate`)
imports those modules and loads their data once (:func:`helpers.kernel_preload.preload`,
the same preload a kernel otherwise does for itself), and each kernel is a
``fork`` of it that then starts IPython's kernel exactly as
``python -m ipykernel_launcher -f <connection file>`` does, in the notebook's
folder and environment, in a session (process group) of its own. The template
defines no name and runs no notebook code, so every kernel still starts from the
same state, whatever the notebooks before it did; and the template works one
notebook ahead: after forking a kernel it loads the modules of the next
notebook while that kernel runs.

:class:`ForkedProvisioner` is the jupyter_client provisioner that asks the
template for a kernel instead of ``Popen``; interrupting and killing a kernel
work as for any local kernel (signals to its process group). A kernel command
the template cannot run (another interpreter, not ``-m ipykernel_launcher``)
is launched the usual way. Where processes cannot be forked safely (:func:`helpers.forking.fork_is_safe`)
the study does not use a template.
"""

from __future__ import annotations

import json
import os
import runpy
import signal
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

from .kernel_preload import preload

KERNEL_MODULE = "ipykernel_launcher"
"""The kernel command the template runs: ``<interpreter> -m ipykernel_launcher ...``."""

EXITED = -1
"""The return code a forked kernel reports once it has exited: not its own, which its
parent (the template) collects; the study only needs to know that it exited."""


# ----------------------------------------------------------------------------- the template process

def serve(reply_fd: int) -> None:
    """The template's loop: read commands (JSON lines) on stdin, answer forks on ``reply_fd``.

    ``{"preload": [[module, [names]], ...]}`` loads modules (no answer);
    ``{"fork": [argv...], "cwd": folder, "env": {...}}`` forks a kernel and
    answers ``{"pid": n}`` (or ``{"error": message}``). End of input ends it.
    Commands are done in the order they come, so a fork waits for the
    preloads sent before it.
    """
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernels are reaped as they exit: no zombies
    commands = sys.stdin.buffer
    while line := commands.readline():
        command = json.loads(line)
        if "preload" in command:
            preload([(m, list(n)) for m, n in command["preload"]])
        elif "fork" in command:
            try:
                answer = {"pid": _fork_kernel(command["fork"], command["cwd"], command["env"], reply_fd)}
            except Exception as err:  # noqa: BLE001 - reported to the runner, which raises it
                answer = {"error": f"{type(err).__name__}: {err}"}
            os.write(reply_fd, (json.dumps(answer) + "\n").encode())


def _fork_kernel(argv: list[str], cwd: str, env: dict[str, str], reply_fd: int) -> int:
    """Fork; in the child, run ``argv`` (``[-m, ipykernel_launcher, args...]``) as ``python`` would.

    Return the child's pid."""
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:  # the child: a new kernel
        os.setsid()  # its own process group, which the runner signals (interrupt, kill)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.close(reply_fd)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)  # the template's commands are not the kernel's input
        os.close(devnull)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - the process's stdin
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update({**env, "JPY_PARENT_PID": str(os.getppid())})
        module, args = argv[1], argv[2:]
        # ipykernel read JPY_PARENT_PID when the template imported it: given here, the
        # kernel watches the template and exits if it dies, as a kernel watches its launcher
        sys.argv = [module, *args, f"--IPKernelApp.parent_handle={os.getppid()}"]
        sys.path.insert(0, os.getcwd())  # as ``python -m`` sets it (the template removed its own)
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BaseException:  # noqa: BLE001 - printed where the kernel's errors go
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001, S110
                pass
        os._exit(code)


def main() -> None:
    """``python -m helpers.kernel_template <reply fd>``: the template process."""
    if sys.path and Path(sys.path[0] or ".").resolve() == Path.cwd().resolve():
        del sys.path[0]  # load nothing from the runner's folder, as ipykernel_launcher does
    # what IPKernelApp.init_gui_pylab sets before a notebook's code runs, and what
    # matplotlib reads when it is imported (here, not in the kernel)
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    preload([("ipykernel.kernelapp", [])])
    serve(int(sys.argv[1]))


# ----------------------------------------------------------------------------- the runner's side

class KernelTemplate:
    """The runner's handle on a template process: :meth:`preload`, :meth:`fork`, :meth:`close`.

    ``interpreter``: the kernel command up to ``-m`` (interpreter and its
    options, from the kernelspec); kernels asked for with another one are not
    forked (:meth:`can_fork`). Thread-safe: forks are asked for one at a time.
    """

    def __init__(self, interpreter: list[str]):
        self.interpreter = list(interpreter)
        read_fd, write_fd = os.pipe()
        try:
            self.process = subprocess.Popen(
                [*self.interpreter, "-m", __name__, str(write_fd)],
                stdin=subprocess.PIPE, pass_fds=(write_fd,), start_new_session=True,
            )  # fmt: skip
        finally:
            os.close(write_fd)
        self._replies = os.fdopen(read_fd, "rb")
        self._lock = threading.Lock()

    @classmethod
    def for_kernel(cls, kernel_name: str) -> KernelTemplate:
        """A template with the interpreter of kernelspec ``kernel_name``."""
        from jupyter_client.kernelspec import KernelSpecManager

        argv = KernelSpecManager().get_kernel_spec(kernel_name).argv
        return cls(argv[: argv.index("-m")] if "-m" in argv else argv[:1])

    def _send(self, command: dict[str, Any]) -> None:
        self.process.stdin.write((json.dumps(command, ensure_ascii=False) + "\n").encode())
        self.process.stdin.flush()

    def _exited(self) -> RuntimeError:
        return RuntimeError(f"the kernel template (pid {self.process.pid}) exited with code {self.process.wait()}")

    def preload(self, imports: list[tuple[str, list[str]]]) -> None:
        """Have the template load these modules (see :func:`helpers.kernel_preload.preload`); returns at once.

        A template that has exited is passed over: its kernels start the usual way (:meth:`can_fork`).
        """
        with self._lock:
            try:
                self._send({"preload": [[m, list(n)] for m, n in imports]})
            except BrokenPipeError:
                pass

    def can_fork(self, cmd: list[str]) -> bool:
        n = len(self.interpreter)
        return cmd[:n] == self.interpreter and cmd[n:n + 2] == ["-m", KERNEL_MODULE] and self.process.poll() is None

    def fork(self, cmd: list[str], cwd: str | Path, env: dict[str, str]) -> int:
        """Start kernel command ``cmd`` as a fork of the template; return its pid."""
        with self._lock:
            try:
                self._send({"fork": cmd[len(self.interpreter):], "cwd": str(cwd), "env": dict(env)})
            except BrokenPipeError:
                raise self._exited() from None
            line = self._replies.readline()
        if not line:
            raise self._exited()
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"the kernel template could not fork a kernel: {answer['error']}")
        return answer["pid"]

    def close(self) -> None:
        """Stop the template (kernels forked from it are stopped by their own managers).

        It is killed, as the study's kernels are: it holds nothing but loaded
        modules, and tearing down their heap would take half a second.
        """
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self._replies):
            try:
                stream.close()
            except OSError:
                pass


class ForkedKernelProcess:
    """What :class:`ForkedProvisioner` keeps of a forked kernel, in place of a ``Popen``.

    The kernel is the template's child, not this process's: it is polled by
    its pid (the template reaps it as it exits) and killed by signals.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except (ProcessLookupError, PermissionError):  # gone (or its pid reused by another user's process)
                self.returncode = EXITED
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkedProvisioner(LocalProvisioner):
    """A local provisioner whose kernels are forks of a :class:`KernelTemplate` (``template``)."""

    template: KernelTemplate | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        if self.template is None or not self.template.can_fork(cmd):
            return await super().launch_kernel(cmd, **kwargs)
        import asyncio

        cwd = kwargs.get("cwd") or os.getcwd()
        pid = await asyncio.to_thread(self.template.fork, cmd, cwd, kwargs.get("env") or dict(os.environ))
        self.process = ForkedKernelProcess(pid)
        self.pid = self.pgid = pid  # the kernel leads its own process group (setsid)
        self.cwd = cwd
        return self.connection_info


if __name__ == "__main__":
    main()
