"""The README's own-corpus section tells a new user what the code really does."""

from __future__ import annotations

import re

from helpers.corpus.documents import CORPUS_SUFFIXES
from helpers.paths import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 1)
    return README[start:end]


def test_own_corpus_section_names_the_files_read_and_the_make_variables_that_exist():
    text = _section("Run it on your own corpus")
    named = re.findall(r"`(\.[a-z]+)`", text)
    assert set(named) == set(CORPUS_SUFFIXES), "the section must list exactly the file types read"
    for variable in set(re.findall(r"\b([A-Z]+)=", text)):
        assert re.search(rf"^{variable}\s*\?=", MAKEFILE, re.M), f"README offers {variable}= which make does not take"
    assert "runs/<folder name>/build" in text and "runs/<folder name>/figures" in text


def test_the_wrong_python_and_cjk_fonts_are_explained():
    assert "rm -rf .venv" in README and "PYTHON=python3.11" in README
    assert "fonts-noto-cjk" in _section("Working in JupyterLab")
