"""The locked environment: what ``requirements.lock`` pins, and whether this Python has it.

``requirements.lock`` is generated from ``pyproject.toml`` by ``make lock`` (uv's
``pip compile --universal --generate-hashes``): every package the study installs, runtime
and dev, at one exact version with the hashes of its files, for every platform (entries
carry environment markers; those that do not apply here are skipped). ``make`` installs
from it with ``pip install --require-hashes``, then the project itself without its
dependencies, so the project is never in the lock.

This module reads the lock, checks it against ``pyproject.toml`` and against the installed
distributions (``importlib.metadata``), and gives its digest, the sha256 of its bytes, which
the run record and ``figures/index.md`` cite as the environment the figures were made in.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from helpers.paths import LOCK_FILE, PYPROJECT_FILE

BOOTSTRAP_PACKAGES = frozenset({"pip", "setuptools", "wheel", "distribute"})
"""The installer's own packages, which a new virtual environment brings and ``pip freeze``
leaves out; they are compared only when the lock pins them."""


class LockError(ValueError):
    """The lock file cannot be read: the message names the file, the line and the problem."""


@dataclass(frozen=True)
class LockedPackage:
    """One pinned entry of the lock: ``name`` canonical (PEP 503), one exact version."""

    name: str
    version: str
    marker: Marker | None = None
    hashes: tuple[str, ...] = ()
    line: int = 0

    def applies(self, environment: dict[str, str] | None = None) -> bool:
        """Whether this entry is for ``environment`` (default: the running Python)."""
        return self.marker is None or self.marker.evaluate(environment)


@dataclass(frozen=True)
class EnvironmentCheck:
    """Installed distributions against the lock (the entries that apply to this Python)."""

    missing: tuple[str, ...] = ()
    """Pinned in the lock, not installed: ``name==version``."""
    extra: tuple[str, ...] = ()
    """Installed, not in the lock: ``name==version``."""
    mismatched: tuple[str, ...] = field(default=())
    """Installed at another version than the lock's: ``name installed X, locked Y``."""

    @property
    def matches(self) -> bool:
        return not (self.missing or self.extra or self.mismatched)

    def describe(self) -> str:
        if self.matches:
            return "the installed packages are exactly the lock's"
        parts = []
        for label, items in (
            ("missing", self.missing),
            ("not in the lock", self.extra),
            ("other version", self.mismatched),
        ):
            if items:
                parts.append(f"{label}: {', '.join(items)}")
        return "; ".join(parts)


def _logical_lines(text: str):
    """``(first line number, text)`` of each requirement, continuation lines joined."""
    pending, start = [], 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not pending:
            start = number
        if line.endswith("\\"):
            pending.append(line[:-1].strip())
            continue
        pending.append(line.strip())
        joined = " ".join(part for part in pending if part)
        pending = []
        if joined:
            yield start, joined
    if pending and any(pending):
        yield start, " ".join(part for part in pending if part)


def read_lock(path: str | Path = LOCK_FILE) -> list[LockedPackage]:
    """Every entry of the lock file at ``path``, in file order."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise LockError(f"{path}: cannot read the lock file ({error.strerror or error})") from error
    packages = []
    for number, line in _logical_lines(text):
        if line.startswith("-"):
            raise LockError(
                f"{path}, line {number}: option {line.split()[0]!r}: the lock holds only "
                "pinned requirements (no index, find-links or other options)"
            )
        spec, *options = line.split(" --")
        hashes = tuple(opt.removeprefix("hash=") for opt in options if opt.startswith("hash="))
        unknown = [opt for opt in options if not opt.startswith("hash=")]
        if unknown:
            raise LockError(f"{path}, line {number}: unexpected option --{unknown[0]}")
        try:
            requirement = Requirement(spec)
        except InvalidRequirement as error:
            raise LockError(f"{path}, line {number}: not a requirement: {error}") from error
        pins = list(requirement.specifier)
        if len(pins) != 1 or pins[0].operator != "==" or "*" in pins[0].version:
            raise LockError(
                f"{path}, line {number}: {requirement.name} is not pinned to one exact version "
                f"({requirement.specifier or 'no version'})"
            )
        if not hashes:
            raise LockError(f"{path}, line {number}: {requirement.name} has no --hash")
        packages.append(
            LockedPackage(
                name=canonicalize_name(requirement.name),
                version=pins[0].version,
                marker=requirement.marker,
                hashes=hashes,
                line=number,
            )
        )
    if not packages:
        raise LockError(f"{path}: the lock file pins no package")
    return packages


def applicable(
    packages: list[LockedPackage], environment: dict[str, str] | None = None
) -> dict[str, LockedPackage]:
    """The entries for ``environment`` (default: this Python), by canonical name."""
    chosen: dict[str, LockedPackage] = {}
    for package in packages:
        if not package.applies(environment):
            continue
        if package.name in chosen:
            raise LockError(
                f"{package.name} is pinned twice for this environment "
                f"(lines {chosen[package.name].line} and {package.line})"
            )
        chosen[package.name] = package
    return chosen


def lock_digest(path: str | Path = LOCK_FILE) -> str:
    """The environment's digest: sha256 of the lock file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def project_requirements(pyproject: str | Path = PYPROJECT_FILE) -> list[Requirement]:
    """The project's dependencies and every optional group's, as written in pyproject.toml."""
    with open(pyproject, "rb") as handle:
        project = tomllib.load(handle)["project"]
    texts = list(project.get("dependencies", []))
    for group in project.get("optional-dependencies", {}).values():
        texts.extend(group)
    return [Requirement(text) for text in texts]


def lock_disagreements(
    pyproject: str | Path = PYPROJECT_FILE, lock: str | Path = LOCK_FILE
) -> list[str]:
    """Each requirement of ``pyproject`` the lock does not pin at a version satisfying it."""
    by_name: dict[str, list[LockedPackage]] = {}
    for package in read_lock(lock):
        by_name.setdefault(package.name, []).append(package)
    problems = []
    for requirement in project_requirements(pyproject):
        name = canonicalize_name(requirement.name)
        pinned = by_name.get(name)
        if not pinned:
            problems.append(f"{requirement} is in {Path(pyproject).name} but not in the lock")
            continue
        for package in pinned:
            if not requirement.specifier.contains(Version(package.version), prereleases=True):
                problems.append(
                    f"{requirement} in {Path(pyproject).name}, but the lock pins "
                    f"{package.name}=={package.version} (line {package.line})"
                )
    return problems


def installed_versions(exclude: set[str] | frozenset[str] = frozenset()) -> dict[str, str]:
    """``{canonical name: version}`` of the distributions this Python imports from."""
    versions = {}
    for distribution in metadata.distributions():
        name = distribution.metadata["Name"]
        if not name:
            continue
        name = canonicalize_name(name)
        if name not in exclude:
            versions.setdefault(name, distribution.version)
    return versions


def project_name(pyproject: str | Path = PYPROJECT_FILE) -> str:
    with open(pyproject, "rb") as handle:
        return canonicalize_name(tomllib.load(handle)["project"]["name"])


def check_installed(
    lock: str | Path = LOCK_FILE,
    installed: dict[str, str] | None = None,
    project: str | None = None,
) -> EnvironmentCheck:
    """Compare ``installed`` (default: this Python's distributions) with the lock's entries
    for this Python. The project itself, installed from its source, is not compared, nor the
    installer's packages unless the lock pins them."""
    locked = {name: package.version for name, package in applicable(read_lock(lock)).items()}
    if project is None:
        project = project_name()
    if installed is None:
        installed = installed_versions()
    project = canonicalize_name(project)
    installed = {canonicalize_name(name): version for name, version in installed.items()}
    installed = {
        name: version
        for name, version in installed.items()
        if name != project and (name not in BOOTSTRAP_PACKAGES or name in locked)
    }
    missing = tuple(f"{name}=={version}" for name, version in sorted(locked.items()) if name not in installed)
    extra = tuple(f"{name}=={version}" for name, version in sorted(installed.items()) if name not in locked)
    mismatched = tuple(
        f"{name} installed {installed[name]}, locked {version}"
        for name, version in sorted(locked.items())
        if name in installed and Version(installed[name]) != Version(version)
    )
    return EnvironmentCheck(missing=missing, extra=extra, mismatched=mismatched)


def environment_state(lock: str | Path = LOCK_FILE) -> dict:
    """The lock's name and digest, and whether this Python has exactly its packages:
    ``{"lock_file", "lock_sha256", "matches_lock", "summary"}`` (``matches_lock`` None when
    there is no lock to compare with, or it cannot be read; ``summary`` says so)."""
    lock = Path(lock)
    if not lock.is_file():
        return {"lock_file": None, "lock_sha256": None, "matches_lock": None,
                "summary": f"no lock file ({lock.name} not found beside the project)"}
    state = {"lock_file": lock.name, "lock_sha256": lock_digest(lock)}
    try:
        check = check_installed(lock)
    except LockError as error:
        return {**state, "matches_lock": None, "summary": f"the lock cannot be read: {error}"}
    return {**state, "matches_lock": check.matches, "summary": check.describe()}
