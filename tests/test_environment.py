"""The locked environment: the lock agrees with pyproject.toml, and this Python is the lock."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from helpers.paths import LOCK_FILE, PROJECT_ROOT
from helpers.run.environment import (
    LockError,
    applicable,
    check_installed,
    lock_digest,
    lock_disagreements,
    read_lock,
)

HASH = "--hash=sha256:" + "0" * 64


def write(path, text):
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_lock_pins_every_pyproject_requirement():
    assert lock_disagreements() == [], "run `make lock` and commit requirements.lock"


def test_installed_environment_is_exactly_the_lock():
    check = check_installed()
    assert check.matches, f"{check.describe()}: run `make` to rebuild .venv from the lock"


def test_lock_has_hashes_and_names_no_index():
    text = LOCK_FILE.read_text(encoding="utf-8")
    packages = read_lock()
    assert len(packages) > 100
    assert all(package.hashes for package in packages)
    assert "://" not in text, "the lock must install from whatever index the researcher's pip uses"


def test_environment_yml_installs_from_the_same_lock():
    spec = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_lines = next(item["pip"] for item in spec["dependencies"] if isinstance(item, dict))
    assert "python=3.11" in spec["dependencies"]
    assert f"-r {LOCK_FILE.name}" in pip_lines and "--require-hashes" in pip_lines
    assert len(pip_lines) == 2, "every package comes from the lock, none named beside it"


def test_a_pyproject_pin_the_lock_does_not_satisfy_is_reported(tmp_path):
    lock = write(
        tmp_path / "requirements.lock",
        f"""\
        # header
        pandas==3.1.1 \\
            {HASH}
            # via project
        numpy==2.4.6 \\
            {HASH}
        """,
    )
    pyproject = write(
        tmp_path / "pyproject.toml",
        """\
        [project]
        name = "x"
        dependencies = ["pandas==3.1.1", "numpy>=2.5"]
        [project.optional-dependencies]
        dev = ["pytest==9.2.0"]
        """,
    )
    problems = lock_disagreements(pyproject, lock)
    assert len(problems) == 2
    assert "numpy>=2.5" in problems[0] and "numpy==2.4.6" in problems[0]
    assert "pytest==9.2.0" in problems[1] and "not in the lock" in problems[1]


def test_installed_versus_lock_names_what_differs(tmp_path):
    lock = write(
        tmp_path / "requirements.lock",
        f"""\
        pillow==13.0.0 {HASH}
        pyyaml==6.0.3 {HASH}
        appnope==1.0.0 ; sys_platform == 'never' {HASH}
        numpy==2.4.6 {HASH}
        """,
    )
    installed = {
        "Pillow": "13.0.1",  # other version
        "PyYAML": "6.0.3",  # same, spelt as distributed
        "fonttools": "4.69.1",  # not in the lock
        "covid-social-orgs": "0.1.0",  # the project itself: never in the lock
        "pip": "26.3",  # the installer: not compared
    }
    check = check_installed(lock, installed=installed, project="covid_social_orgs")
    assert not check.matches
    assert check.missing == ("numpy==2.4.6",)
    assert check.extra == ("fonttools==4.69.1",)
    assert check.mismatched == ("pillow installed 13.0.1, locked 13.0.0",)
    assert "fonttools" in check.describe()
    same = {"pillow": "13.0.0", "pyyaml": "6.0.3", "numpy": "2.4.6", "pip": "23.2.1"}
    assert check_installed(lock, installed=same, project="covid-social-orgs").matches


def test_markers_choose_one_entry_per_environment(tmp_path):
    lock = write(
        tmp_path / "requirements.lock",
        f"""\
        soupsieve==2.10 ; python_full_version < '3.11.5' \\
            {HASH}
        soupsieve==4.1.4 ; python_full_version >= '3.11.5' \\
            {HASH}
        """,
    )
    packages = read_lock(lock)
    assert applicable(packages, {"python_full_version": "3.11.2"})["soupsieve"].version == "2.10"
    assert applicable(packages, {"python_full_version": "3.11.7"})["soupsieve"].version == "4.1.4"
    twice = write(tmp_path / "twice.lock", f"a==1 {HASH}\na==2 {HASH}\n")
    with pytest.raises(LockError, match="pinned twice"):
        applicable(read_lock(twice))


@pytest.mark.parametrize(
    "line, problem",
    [
        ("pandas>=3 " + HASH, "not pinned to one exact version"),
        ("pandas==3.1.1", "has no --hash"),
        ("--index-url https://example.org/simple", "option '--index-url'"),
        ("pandas==3.1.1 --no-binary=:all: " + HASH, "unexpected option"),
        ("not a requirement! " + HASH, "not a requirement"),
    ],
)
def test_a_bad_lock_line_is_named_with_its_file_and_line(tmp_path, line, problem):
    lock = write(tmp_path / "bad.lock", f"# header\n{line}\n")
    with pytest.raises(LockError, match=problem) as error:
        read_lock(lock)
    assert "bad.lock, line 2" in str(error.value)


def test_lock_digest_is_the_sha256_of_its_bytes(tmp_path):
    lock = write(tmp_path / "a.lock", f"a==1 {HASH}\n")
    before = lock_digest(lock)
    lock.write_bytes(lock.read_bytes().replace(b"a==1", b"a==2"))
    assert len(before) == 64 and lock_digest(lock) != before
