"""Reading numbers as Chinese reports write them.

Reports mix Arabic digits (``40,000``, ``3.15``), Chinese numerals
(``二十万零五百``, ``千余``), financial numerals (``壹佰``, ``拾万``), Arabic
digits with a Chinese magnitude (``3.15亿``, ``1.4万``, ``9990万``), Arabic
digits on both sides of a magnitude (``1万5千``, ``1亿2000万``, ``3万5000``) and
vague ranges (``三四``, ``五六百``, ``1至2``).

* :func:`parse_range` returns ``(low, high)``; ``high`` is ``None`` for a single
  number.
* :func:`parse_number` returns one float: the number itself, or the low end of
  a range.

Qualifier words around the number (``近百万``, ``千余``, ``200余万``; see
``lexicons/quantity_qualifiers.csv``) are ignored here: :mod:`helpers.extract.quantities`
reads them.

Both raise :class:`ValueError` (never anything else) on a string that is not a
number; callers that scan free text use :func:`try_parse_range` instead, which
returns ``None``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..corpus.lexicons import read_lexicon_rows

# Digit characters, including financial (大写) and traditional forms.
CHINESE_DIGITS: dict[str, int] = {
    "〇": 0, "零": 0, "○": 0, "洞": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "两": 2, "兩": 2, "贰": 2, "貳": 2, "弍": 2,
    "三": 3, "叁": 3, "參": 3, "弎": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
CHINESE_DIGITS.pop("洞")  # radio-speak; not used in reports
CHINESE_DIGITS.pop("幺")

# Multipliers below ten thousand (they scale one digit) ...
SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
# ... and the section markers that scale everything before them.
BIG_UNITS: dict[str, int] = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
MAGNITUDES: dict[str, int] = {**SMALL_UNITS, **BIG_UNITS}

CHINESE_NUMERAL_CHARS = "".join(CHINESE_DIGITS) + "".join(MAGNITUDES)
RANGE_SEPARATORS = ("至", "到", "-", "~", "～", "—", "－", "〜")

_ARABIC = re.compile(
    r"""^(?P<digits>\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)   # 40,000  3.15  .5
        (?P<magnitude>[十拾百佰千仟万萬亿億]*)$          # 3.15亿  1.4万  2千万
    """,
    re.VERBOSE,
)
_SPACES = re.compile(r"[\s\u3000]+")
#: Arabic digit groups on both sides of 万/亿: 1万5千, 1亿2000万, 3万5000.
_MIXED = re.compile(r"^\d+(?:[万萬亿億]\d+[十拾百佰千仟万萬亿億]*)+$|^\d+[万萬亿億][十拾百佰千仟]?$")
_DIGIT_RUN = re.compile(r"\d+")
#: Full-width digits, comma and point to ASCII (the full-width forms sit 0xFEE0 above them).
_TO_ASCII = {code: code - 0xFEE0 for code in [*range(0xFF10, 0xFF1A), ord("，"), ord("．")]}


def _normalize(s: str) -> str:
    """Full-width digits and punctuation to ASCII, spaces removed."""
    if not isinstance(s, str):
        raise ValueError(f"not a string: {s!r}")
    return _SPACES.sub("", s if s.isascii() else s.translate(_TO_ASCII))


def _scale(value: float, magnitude: str) -> float:
    for ch in magnitude:
        value *= MAGNITUDES[ch]
    return value


def parse_arabic(s: str) -> float:
    """``'40,000'`` -> 40000, ``'3.15亿'`` -> 315000000, ``'9990万'`` -> 99900000."""
    m = _ARABIC.match(_normalize(s))
    if not m:
        raise ValueError(f"not an Arabic number: {s!r}")
    return _scale(float(m["digits"].replace(",", "")), m["magnitude"])


def parse_mixed(s: str) -> float:
    """Arabic digit groups with Chinese magnitudes between them: ``1万5千`` -> 15000,
    ``1亿2000万`` -> 120000000, ``3万5000`` -> 35000 (read as the Chinese numeral
    the groups spell: 一万五千, 一亿二千万, 三万五千)."""
    s = _normalize(s).replace(",", "")
    if not _MIXED.match(s):
        raise ValueError(f"not a mixed Arabic/Chinese number: {s!r}")
    return parse_chinese(_DIGIT_RUN.sub(lambda m: to_chinese(int(m.group())), s))


def _positional(s: str) -> int | None:
    """Digit-by-digit numerals (``二〇二〇``, ``一〇〇``), else None."""
    if len(s) >= 2 and all(ch in CHINESE_DIGITS for ch in s):
        return int("".join(str(CHINESE_DIGITS[ch]) for ch in s))
    return None


def parse_chinese(s: str) -> float:
    """A Chinese numeral: ``十二`` -> 12, ``二十万零五百`` -> 200500, ``拾万`` -> 100000.

    A leading multiplier means one of it (``百万`` -> 1000000, ``千`` -> 1000);
    a trailing digit after a multiplier is one step below it (``一万五`` -> 15000,
    ``三千二`` -> 3200), as in speech.
    """
    s = _normalize(s)
    if not s or any(ch not in CHINESE_NUMERAL_CHARS for ch in s):
        raise ValueError(f"not a Chinese numeral: {s!r}")
    positional = _positional(s)
    if positional is not None and not any(ch in MAGNITUDES for ch in s):
        return float(positional)
    total = 0      # finished sections (亿, 万)
    section = 0    # the section being read
    digit: int | None = None
    last_unit = 1  # multiplier just read, for the spoken abbreviation 一万五
    zero_seen = False
    for ch in s:
        if ch in CHINESE_DIGITS:
            if digit is not None and CHINESE_DIGITS[ch] != 0 and not zero_seen:
                raise ValueError(f"two digits in a row in {s!r}")
            digit = CHINESE_DIGITS[ch]
            zero_seen = digit == 0
            if zero_seen:
                digit = None
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            section += (1 if digit is None else digit) * unit
            digit, last_unit, zero_seen = None, unit, False
        else:  # 万 / 亿
            unit = BIG_UNITS[ch]
            section += digit or 0
            if section == 0 and total == 0:
                section = 1  # 万 alone, 百万: one of it
            if unit > 10_000 or total == 0:
                total = (total + section) * unit
            else:  # 亿 ... 万: the 万 section scales only itself
                total += section * unit
            section, digit, last_unit, zero_seen = 0, None, unit, False
    if digit is not None:
        if last_unit >= 10 and not zero_seen and section + total > 0 and _ends_abbreviated(s):
            digit *= last_unit // 10
        section += digit
    return float(total + section)


def _ends_abbreviated(s: str) -> bool:
    """True for 一万五 / 三千二 (digit right after a multiplier, no 零 between)."""
    return len(s) >= 2 and s[-1] in CHINESE_DIGITS and s[-2] in MAGNITUDES


def _single(s: str) -> float:
    s = _normalize(s)
    if not s:
        raise ValueError("empty number")
    if s[0].isdigit() or s[0] == ".":
        if _MIXED.match(s.replace(",", "")) and re.search(r"[万萬亿億]\d", s):
            return parse_mixed(s)
        return parse_arabic(s)
    return parse_chinese(s)


def _adjacent_digit_range(s: str) -> tuple[float, float] | None:
    """``三四`` -> (3, 4), ``五六百`` -> (500, 600), ``十五六`` -> (15, 16), ``二三十万`` -> (200000, 300000)."""
    for i in range(len(s) - 1):
        a, b = s[i], s[i + 1]
        if a in CHINESE_DIGITS and b in CHINESE_DIGITS:
            low_digit, high_digit = CHINESE_DIGITS[a], CHINESE_DIGITS[b]
            if not (0 < low_digit < high_digit <= low_digit + 2):
                return None
            head, tail = s[:i], s[i + 2 :]
            low = parse_chinese(head + a + tail) if (head or tail) else float(low_digit)
            high = parse_chinese(head + b + tail) if (head or tail) else float(high_digit)
            return low, high
    return None


@lru_cache(maxsize=1)
def _qualifier_pattern() -> re.Pattern:
    """Qualifier words (``lexicons/quantity_qualifiers.csv``) to strip: 近百万, 千余, 200余万."""
    rows = read_lexicon_rows("quantity_qualifiers.csv")
    before = sorted((r["word"] for r in rows if r["position"] == "before"), key=len, reverse=True)
    after = sorted((r["word"] for r in rows if r["position"] != "before"), key=len, reverse=True)
    return re.compile(
        rf"^(?:{'|'.join(map(re.escape, before))})(?=.)|(?<=.)(?:{'|'.join(map(re.escape, after))})"
    )


def strip_qualifiers(s: str) -> str:
    """``'近百万'`` -> ``'百万'``, ``'200余万'`` -> ``'200万'``, ``'7左右'`` -> ``'7'``."""
    return _qualifier_pattern().sub("", s)


def parse_range(s: str) -> tuple[float, float | None]:
    """``(low, high)`` of a number or range; ``high`` is None for a single number.

    ``'1至2'`` -> (1, 2); ``'三四'`` -> (3, 4); ``'五六百'`` -> (500, 600);
    ``'3至5万'`` -> (30000, 50000) (the magnitude of the high end applies to a
    bare low end); ``'1.4万'`` -> (14000, None). Raises ValueError otherwise.
    """
    s = strip_qualifiers(_normalize(s))
    for sep in RANGE_SEPARATORS:
        if sep in s.strip(sep):
            left, _, right = s.partition(sep)
            low, high = _single(left), _single(right)
            low = _borrow_magnitude(left, low, right, high)
            if high < low:
                raise ValueError(f"range runs backwards: {s!r}")
            return low, high
    if s and s[0] in CHINESE_NUMERAL_CHARS and not any(ch in "〇零○" for ch in s):
        try:
            adjacent = _adjacent_digit_range(s)
        except ValueError:  # 一二三: digits read one by one, not a range
            adjacent = None
        if adjacent is not None:
            return adjacent
    return _single(s), None


def _borrow_magnitude(left: str, low: float, right: str, high: float) -> float:
    """``3至5万``: a bare low end takes the high end's trailing 万/亿."""
    trailing = re.search(r"[万萬亿億]+$", right)
    if trailing and not re.search(r"[十拾百佰千仟万萬亿億]$", left):
        scaled = _scale(low, trailing.group())
        if scaled <= high:
            return scaled
    return low


def parse_number(s: str) -> float:
    """The number written in ``s`` (the low end if ``s`` is a range); ValueError if none."""
    return parse_range(s)[0]


def try_parse_range(s: str) -> tuple[float, float | None] | None:
    """Like :func:`parse_range`, but None instead of an exception."""
    return _parsed_range(s) if isinstance(s, str) else None


@lru_cache(maxsize=8192)
def _parsed_range(s: str) -> tuple[float, float | None] | None:
    """:func:`try_parse_range` of a string, remembered: free text repeats its numbers."""
    try:
        return parse_range(s)
    except (ValueError, KeyError, IndexError, OverflowError):
        return None


def to_chinese(n: int, *, financial: bool = False) -> str:
    """Render a non-negative integer as a Chinese numeral (``200500`` -> ``二十万零五百``).

    The inverse of :func:`parse_chinese`, used by the tests and handy for
    building examples. ``financial=True`` uses 壹贰叁... 拾佰仟.
    """
    if n < 0:
        raise ValueError("negative numbers are not rendered")
    digits = "零壹贰叁肆伍陆柒捌玖" if financial else "零一二三四五六七八九"
    small = ("", "拾", "佰", "仟") if financial else ("", "十", "百", "千")
    if n == 0:
        return digits[0]

    def four(x: int) -> str:
        out, zero = "", False
        for power in (3, 2, 1, 0):
            d = (x // 10**power) % 10
            if d == 0:
                zero = bool(out)
                continue
            if zero:
                out += digits[0]
                zero = False
            out += digits[d] + small[power]
        return out

    groups = []
    while n:
        groups.append(n % 10_000)
        n //= 10_000
    big = ("", "万", "亿", "万亿")
    out = ""
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            continue
        if out and g < 1000:
            out += digits[0]
        out += four(g) + big[i]
    if out.startswith(digits[1] + small[1]) and len(out) >= 2 and not financial:
        out = out[1:]  # 一十二 -> 十二
    return out
