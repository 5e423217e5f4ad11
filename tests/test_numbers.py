"""Number parsing: every form the reports use, and property tests over generated numbers."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.text.numbers import parse_number, parse_range, to_chinese, try_parse_range


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1000", 1000),
        ("40,000", 40000),
        ("4 0 0 0 0", 40000),  # stray spaces
        ("638.7", 638.7),
        ("３４５", 345),  # full-width digits
        ("3.15亿", 315_000_000),
        ("1.4万", 14000),
        ("9990万", 99_900_000),
        ("2千万", 20_000_000),
        ("十二", 12),
        ("十", 10),
        ("二十万零五百", 200_500),
        ("一百零五", 105),
        ("一万", 10000),
        ("两", 2),
        ("两千", 2000),
        ("千", 1000),
        ("百万", 1_000_000),
        ("拾万", 100_000),
        ("壹佰贰拾叁", 123),
        ("叁仟肆佰", 3400),
        ("一万五", 15000),  # spoken abbreviation
        ("三千二", 3200),
        ("三亿二千万", 320_000_000),
        ("一万亿", 1e12),
        ("二〇二〇", 2020),
        ("〇", 0),
        ("零", 0),
        ("萬", 10000),
        ("千余", 1000),  # qualifiers are ignored
        ("近百万", 1_000_000),
        ("200余万", 2_000_000),
        ("约3.15亿", 315_000_000),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1至2", (1, 2)),
        ("1-2", (1, 2)),
        ("10到20", (10, 20)),
        ("三四", (3, 4)),
        ("三五", (3, 5)),
        ("五六百", (500, 600)),
        ("十五六", (15, 16)),
        ("二三十", (20, 30)),
        ("3至5万", (30000, 50000)),
        ("1万至2万", (10000, 20000)),
        ("1.4万", (14000, None)),
    ],
)
def test_parse_range(text, expected):
    low, high = parse_range(text)
    assert low == pytest.approx(expected[0])
    assert high == (None if expected[1] is None else pytest.approx(expected[1]))


def test_parse_number_of_a_range_is_its_low_end():
    assert parse_number("五六百") == 500


@pytest.mark.parametrize("text", ["", "abc", "N95", "1,2", "3月", "2至1", "-5", "。", "余"])
def test_not_numbers_raise_value_error(text):
    with pytest.raises(ValueError):
        parse_range(text)
    assert try_parse_range(text) is None


def test_to_chinese_examples():
    assert to_chinese(200500) == "二十万零五百"
    assert to_chinese(12) == "十二"
    assert to_chinese(105) == "一百零五"
    assert to_chinese(10010) == "一万零一十"
    assert to_chinese(123, financial=True) == "壹佰贰拾叁"


integers = st.integers(min_value=0, max_value=10**12)


@given(integers)
def test_round_trip_arabic(n):
    assert parse_number(str(n)) == n


@given(integers)
def test_round_trip_arabic_with_thousands_separators(n):
    assert parse_number(f"{n:,}") == n


@given(integers)
def test_round_trip_chinese(n):
    assert parse_number(to_chinese(n)) == n


@given(integers)
def test_round_trip_financial(n):
    assert parse_number(to_chinese(n, financial=True)) == n


@given(st.integers(min_value=1, max_value=99_999), st.sampled_from(["万", "亿"]))
def test_round_trip_arabic_with_magnitude(n, magnitude):
    factor = 10_000 if magnitude == "万" else 100_000_000
    assert parse_number(f"{n / 100}{magnitude}") == pytest.approx(n / 100 * factor)


@given(st.text(max_size=12))
def test_any_string_gives_a_number_or_a_value_error(s):
    try:
        low, high = parse_range(s)
    except ValueError:
        return
    assert not math.isnan(low) and low >= 0
    assert high is None or high >= low


@given(st.text(alphabet="〇零一二两三四五六七八九十百千万亿壹贰叁拾佰仟0123456789.,至-余多", max_size=10))
def test_numeral_soup_gives_a_number_or_a_value_error(s):
    assert try_parse_range(s) is None or try_parse_range(s)[0] >= 0


def test_try_parse_range_of_what_is_not_a_string_is_none():
    assert try_parse_range(None) is None
    assert try_parse_range(12) is None
    assert try_parse_range("１２万") == (120000.0, None)  # full-width digits, remembered or not
    assert try_parse_range("１２万") == (120000.0, None)
