"""JupyterLab for the study: a notebook run and saved in the lab reaches the disk without outputs,
and ``make lab`` starts headless, as root, at the project root, offering only the study's kernel.

Both go through a real Jupyter server and its REST API (contents and kernelspecs), not a function call.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat

from helpers.paths import PROJECT_ROOT
from helpers.run.lab import is_study_notebook, strip_outputs, strip_outputs_hook
from helpers.run.pipeline import KERNEL_NAME

CONFIG = PROJECT_ROOT / "jupyter_server_config.py"
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _executed_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1 + 1", execution_count=3)
    cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=3),
                    nbformat.v4.new_output("display_data", {"image/png": "iVBORw0KGgo="})]
    nb.cells = [nbformat.v4.new_markdown_cell("# A notebook"), cell]
    return nb


class Server:
    """A Jupyter process on a free port of 127.0.0.1 with a random token, stopped by :meth:`stop`.

    ``command(port, token)`` gives the command line.
    """

    def __init__(self, command, cwd: Path):
        self.port, self.token = _free_port(), secrets.token_hex(16)
        self.proc = subprocess.Popen(
            command(self.port, self.token), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True,
        )
        self.output: list[str] = []

    def wait_for_url(self, timeout: float = 180) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                if self.proc.poll() is not None:
                    break
                continue
            self.output.append(line)
            if f":{self.port}/" in line and "token=" in line:
                self._wait_until_serving(deadline)
                return line.strip()
        raise AssertionError("the server printed no URL:\n" + "".join(self.output))

    def _wait_until_serving(self, deadline: float) -> None:
        while True:
            try:
                self.request("GET", "/api/status")
                return
            except urllib.error.URLError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise
                time.sleep(0.5)

    def request(self, method: str, path: str, body: dict | None = None) -> dict:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read() or b"{}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.output.extend(self.proc.stdout.readlines())  # what it printed after the URL, kernels' too
        self.proc.stdout.close()


def test_strip_outputs_empties_code_cells_and_keeps_sources():
    nb = _executed_notebook()
    assert strip_outputs(nb) == 1
    code = nb.cells[1]
    assert code.outputs == [] and code.execution_count is None and code.source == "1 + 1"
    assert strip_outputs(nb) == 0


def test_only_the_study_notebooks_are_stripped():
    assert is_study_notebook("notebooks/05_report.ipynb") and is_study_notebook("/notebooks/sub/x.ipynb")
    assert not is_study_notebook("scratch.ipynb") and not is_study_notebook("notebooks/notes.md")
    model = {"type": "notebook", "content": _executed_notebook()}
    strip_outputs_hook(model=model, path="mine/scratch.ipynb")
    assert model["content"].cells[1].outputs, "a notebook outside notebooks/ keeps what its author saved"


def _jupyter_server(root):
    """A ``jupyter server`` with the project's config, serving ``root`` on loopback."""
    return Server(
        lambda port, token: [
            str(BIN / "jupyter"), "server", f"--config={CONFIG}", "--ip=127.0.0.1", f"--port={port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", "--no-browser",
            f"--ServerApp.root_dir={root}",
        ],
        cwd=root,
    )


def test_a_notebook_saved_through_the_server_reaches_the_disk_without_outputs(tmp_path):
    (tmp_path / "notebooks").mkdir()
    server = _jupyter_server(tmp_path)
    try:
        server.wait_for_url()
        for path in ("notebooks/01_try.ipynb", "scratch.ipynb"):
            saved = server.request("PUT", f"/api/contents/{path}",
                                   {"type": "notebook", "format": "json", "content": _executed_notebook()})
            assert saved["type"] == "notebook"
    finally:
        server.stop()
    on_disk = nbformat.read(tmp_path / "notebooks" / "01_try.ipynb", as_version=4)
    code = on_disk.cells[1]
    assert code.source == "1 + 1"
    assert code.outputs == [] and code.execution_count is None, "the pre-save hook did not strip the outputs"
    elsewhere = nbformat.read(tmp_path / "scratch.ipynb", as_version=4)
    assert elsewhere.cells[1].outputs, "only the study's notebooks are stripped"


def test_make_lab_starts_headless_at_the_project_root_with_only_the_study_kernel():
    """Without a display (``env -u DISPLAY``) and, on this machine, as root when the tests run as root."""
    server = Server(
        lambda port, token: [
            "env", "-u", "DISPLAY", "-u", "WAYLAND_DISPLAY", "make", "--no-print-directory", "lab",
            f"LAB_ARGS=--ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 --IdentityProvider.token={token}",
        ],
        cwd=PROJECT_ROOT,
    )
    try:
        url = server.wait_for_url()
        assert "/lab" in url
        specs = server.request("GET", "/api/kernelspecs")
        assert set(specs["kernelspecs"]) == {KERNEL_NAME}
        assert specs["default"] == KERNEL_NAME
        root = {item["name"] for item in server.request("GET", "/api/contents/")["content"]}
        assert {"README.md", "figures", "notebooks"} <= root, "the lab opens at the project root"
    finally:
        server.stop()
    text = "".join(server.output)
    assert "without encryption" not in text


def test_a_kernel_started_in_the_lab_runs_code_over_ipc(tmp_path):
    """The study's kernel starts from the lab and answers over its websocket, without the TCP warning."""
    import asyncio
    import uuid

    from tornado.websocket import websocket_connect

    server = _jupyter_server(tmp_path)

    async def execute(kernel_id: str, code: str) -> str:
        ws = await websocket_connect(f"ws://127.0.0.1:{server.port}/api/kernels/{kernel_id}/channels?token={server.token}")
        header = {"msg_id": uuid.uuid4().hex, "username": "test", "session": uuid.uuid4().hex,
                  "msg_type": "execute_request", "version": "5.3"}  # fmt: skip
        await ws.write_message(json.dumps({"header": header, "parent_header": {}, "metadata": {}, "channel": "shell",
                                           "content": {"code": code, "silent": False}, "buffers": []}))  # fmt: skip
        while True:
            reply = json.loads(await ws.read_message())
            if reply.get("msg_type") == "stream":
                ws.close()
                return reply["content"]["text"]

    try:
        server.wait_for_url()
        kernel = server.request("POST", "/api/kernels", {})
        assert kernel["name"] == KERNEL_NAME, "the lab's default kernel is the study's"
        assert asyncio.run(asyncio.wait_for(execute(kernel["id"], "print(6 * 7)"), 120)).strip() == "42"
    finally:
        server.stop()
    assert "without encryption" not in "".join(server.output)
