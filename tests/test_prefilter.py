"""The literal prefilter of the organization patterns, and the literals org_types.csv gives."""

import re

import pytest

from helpers.extract.organizations import _pattern_literals, org_patterns
from helpers.extract.prefilter import LiteralPrefilter
from helpers.paths import DEV_DOCS_DIR, SEEDS_DIR

LITERALS = [("协会",), ("居委会", "村委会"), ("厅",), ("中心",), None, ("基金",)]


def test_prefilter_names_the_patterns_whose_literals_occur_and_those_without():
    prefilter = LiteralPrefilter(LITERALS)
    assert prefilter.always == [4]
    assert prefilter.candidates("南宁市社工协会") == (0, 4)
    assert prefilter.candidates("村委会大厅里的服务中心") == (1, 2, 3, 4)
    assert prefilter.candidates("") == (4,)


def test_prefilter_of_patterns_without_literals_only():
    assert LiteralPrefilter([None]).candidates("任何文本") == (0,)
    assert LiteralPrefilter([]).candidates("任何文本") == ()


def test_a_plain_pattern_is_its_own_literal_and_a_regex_needs_its_column():
    assert _pattern_literals("红十字会", "") == ("红十字会",)
    assert _pattern_literals("(?<![大客餐展])厅", "") is None
    assert _pattern_literals("(?:居|村)(?:民委员|委)会", "会") == ("会",)
    assert _pattern_literals("(?:日报|电台)(?!讯)", "报|台") == ("报", "台")


def test_a_literal_not_written_in_its_pattern_is_named_with_the_file():
    with pytest.raises(ValueError, match=r"org_types.csv, pattern '\(\?:敬老\|养老\)院': literal '老院'"):
        _pattern_literals("(?:敬老|养老)院", "老院")


def _sentences(folder) -> list[str]:
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.rglob("*")) if p.is_file())
    return [s for s in re.split(r"[。！？\n]", text) if s.strip()]


def test_every_match_of_every_pattern_holds_one_of_its_literals():
    # on real reports: a literal that a pattern can match without would lose organizations
    sentences = _sentences(SEEDS_DIR) + _sentences(DEV_DOCS_DIR)
    checked = 0
    for pattern in org_patterns():
        if pattern.literals is None:
            continue
        for sentence in sentences:
            for match in pattern.regex.finditer(sentence):
                assert any(literal in match.group() for literal in pattern.literals), (pattern.regex.pattern, match.group())
                checked += 1
    assert checked > 500
