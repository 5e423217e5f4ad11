"""Unit tests of the literal prefilters of lexicon regexes."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.extract.prefilter import LiteralPrefilter, may_match, required_literals


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("协会", {"协会"}),
        ("(?:居|村)委会", {"居委会", "村委会"}),
        ("(?<=[省市县区州])(?<!团[省市县区州])委(?!员)", {"委"}),
        ("(?:义工|志愿者)?(?:义工|先锋|服务)队", {"义工队", "先锋队", "服务队"}),
        (r"(?:心理|医学)\w*(?:合力团|专家组)", {"合力团", "专家组"}),
        ("[ab]c", {"ac", "bc"}),
        ("x{2,3}", {"x"}),
        ("(?:a|bc)+d", {"d"}),  # {a, bc} would do too: the longer set of fewer strings wins
        (r"^\s*党委", {"党委"}),
    ],
)
def test_required_literals_of_lexicon_like_patterns(pattern, expected):
    assert required_literals(re.compile(pattern)) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        r"\w+",  # no literal at all
        "(?i)abc",  # case-insensitive: the literal may be written otherwise
        "(?i:ab)",
        "a?",  # can match the empty string
        "[^a]b?",
        "a|.",  # one branch without a literal spoils the alternation
        "(?=x)",  # zero width
    ],
)
def test_patterns_without_a_known_literal_have_none(pattern):
    assert required_literals(re.compile(pattern)) is None


def test_what_the_analysis_does_not_know_ends_a_literal_but_keeps_the_others():
    assert required_literals(re.compile(r"(a)\1")) == {"a"}  # a back-reference
    assert required_literals(re.compile("x.y")) in ({"x"}, {"y"})  # either one is needed


def test_a_literal_is_always_inside_the_match():
    text = "南宁市民政局联合团市委和市委宣传部"
    for pattern in ["(?<=[省市县区州])(?<!团[省市县区州])委(?!员)", "民政局", "(?:团)委"]:
        regex = re.compile(pattern)
        literals = required_literals(regex)
        for match in regex.finditer(text):
            assert any(literal in match.group() for literal in literals)


PATTERNS = [re.compile(p) for p in [
    "协会", "(?:居|村)委会", "(?<![大客餐展])厅", r"\w{2}中心", "(?i)ngo", "基金(?!会)", "a?",
]]


def test_prefilter_names_the_patterns_whose_literals_occur_and_those_without():
    prefilter = LiteralPrefilter(PATTERNS)
    assert prefilter.always == [4, 6]  # \w{2}中心 needs 中心; (?i)ngo and a? need nothing known
    assert prefilter.candidates("南宁市社工协会") == (0, 4, 6)
    assert prefilter.candidates("村委会大厅里的服务中心") == (1, 2, 3, 4, 6)
    assert prefilter.candidates("") == (4, 6)


def test_prefilter_of_patterns_without_literals_only():
    assert LiteralPrefilter([re.compile(r"\w+")]).candidates("任何文本") == (0,)
    assert LiteralPrefilter([]).candidates("任何文本") == ()


@given(st.text(alphabet="协会居村委大客餐厅中心基金NGOngo社工a", max_size=20))
def test_prefilter_never_drops_a_pattern_that_matches(text):
    candidates = set(LiteralPrefilter(PATTERNS).candidates(text))
    for index, pattern in enumerate(PATTERNS):
        if any(m.group() for m in pattern.finditer(text)):
            assert index in candidates


def test_may_match():
    assert may_match(frozenset({"万", "亿"}), "捐款600万")
    assert not may_match(frozenset({"万", "亿"}), "捐款600元")
    assert may_match(None, "")
