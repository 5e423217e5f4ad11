"""Nothing a researcher has to learn to ignore: the tests print nothing past pytest's capture."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).parent


def test_no_test_writes_around_the_capture():
    loud = [p.name for p in TESTS.glob("test_*.py")
            if p.name != Path(__file__).name
            and any(s in p.read_text(encoding="utf-8") for s in ("capsys.disabled", "capfd.disabled", "sys.__stdout__"))]  # fmt: skip
    assert not loud, f"tests that print to the terminal (assert instead): {loud}"
