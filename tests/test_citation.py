"""CITATION.cff: valid Citation File Format 1.2.0, and the version it cites is the package's."""

from __future__ import annotations

import tomllib
from importlib import metadata

import yaml

import helpers
from helpers.paths import PROJECT_ROOT, PYPROJECT_FILE

CITATION = PROJECT_ROOT / "CITATION.cff"
REQUIRED = ("cff-version", "message", "title", "authors")


def load():
    return yaml.safe_load(CITATION.read_text(encoding="utf-8"))


def has_name(author):
    return bool(author.get("name") or author.get("family-names"))


def test_citation_has_the_required_fields_of_cff_1_2():
    cff = load()
    assert cff["cff-version"] == "1.2.0"
    missing = [key for key in REQUIRED if not cff.get(key)]
    assert not missing, f"CITATION.cff lacks {missing}"
    assert cff["authors"] and all(has_name(author) for author in cff["authors"])
    preferred = cff["preferred-citation"]
    assert all(preferred.get(key) for key in ("type", "title", "authors"))
    assert all(has_name(author) for author in preferred["authors"])


def test_citation_cites_this_version_and_licence():
    cff = load()
    with open(PYPROJECT_FILE, "rb") as handle:
        project = tomllib.load(handle)["project"]
    assert str(cff["version"]) == helpers.__version__
    assert str(cff["preferred-citation"]["version"]) == helpers.__version__
    assert metadata.version(project["name"]) == helpers.__version__, "reinstall: make kernel"
    assert cff["license"] == cff["preferred-citation"]["license"] == project["license"]
