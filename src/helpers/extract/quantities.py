"""Quantity mentions: how many organizations, volunteers, masks, yuan ... a report counts.

A mention is a number with its unit or classifier (``1000多家``, ``约3.15亿元``,
``近百万平方米``), read from one cleaned (simplified, width-normalized) sentence:

* the number (:mod:`helpers.numbers`): Arabic, Chinese, mixed, ranges;
* qualifiers before (约, 近, 超过, ...) and after (余, 多, 左右, ...):
  ``lexicons/quantity_qualifiers.csv``;
* the unit or classifier and what it measures: ``lexicons/units.csv``. Money is
  converted to yuan, weight to kg, volume to litres, area to m2;
* the kind of an ambiguous classifier (个, 家, 支, 件, 份, 条) is decided by the
  noun it counts: ``lexicons/quantity_object_kinds.csv``;
* what is not a quantity (dates, clock times, spans of days, percentages,
  ordinals, identifiers such as N95 or 84消毒液, ratings, package sizes and rates
  such as ``5元/人``, set phrases, vague numerals such as ``数百名`` or ``几十个``,
  numbers touching a censored character such as ``□0万元``): ``not_quantity`` rows of
  ``units.csv``, ``lexicons/quantity_exclusions.txt`` and the rules in
  :func:`extract_quantities`;
* an amount of money written without 元 right after a word about money
  (``捐款600万``, ``筹集资金1.5亿``, ``价值约20万``): ``lexicons/quantity_money_words.txt``.

:func:`attribute_region` places a mention in a province and city, and
:func:`quantities_table` builds the ``quantities`` table of the extract stage
from the ``sentences`` and ``sections`` tables of the clean stage.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from types import MappingProxyType

import pandas as pd

from ..corpus.chars import HAN, PUNCTUATION, QUOTE_MARK
from ..corpus.lexicons import read_lexicon_rows, read_word_list
from ..run.tables import column_lists, section_regions
from ..text.numbers import BIG_UNITS, CHINESE_DIGITS, MAGNITUDES, try_parse_range
from . import EXTRACTION_CACHE_SIZE
from .regions import attribute_region, default_find_places

#: Kinds whose units are measures (converted to a base unit), not counts of things.
MEASURE_KINDS = frozenset({"money", "weight", "volume", "area", "hours"})
#: Measures that can describe a package or a product (25kg/袋, 250ML, 12平米).
PACKAGE_MEASURE_KINDS = frozenset({"weight", "volume", "area"})
NOT_QUANTITY = "not_quantity"
#: The kind of a unit whose counted noun alone decides the kind (五大平台); no such noun, no quantity.
BY_OBJECT = "by_object"

#: Where a counted noun after a number stops: punctuation, or a digit that starts another number.
_OBJECT_STOP = re.compile(rf"[{re.escape(PUNCTUATION)}]|(?<![A-Za-z0-9.])\d")
#: Everything up to and including the last punctuation mark.
_UP_TO_LAST_PUNCTUATION = re.compile(rf"(?s).*[{re.escape(PUNCTUATION)}]")
_CONJUNCTIONS = re.compile(r"以及|和|及|与|或|、|/")
_LIST_ITEM_BREAK = re.compile(r"[、，,；;。和及与并]")
_CLAUSE_MARKS = "，,。；;：:！？!?"
#: A short bracketed insert inside a word: 慈善协(分)会.
_INNER_BRACKETS = re.compile(rf"(?<=[{HAN}])[(（][{HAN}]{{1,3}}[)）](?=[{HAN}])")
#: Characters standing for a censored character: a number touching one is unreliable.
CENSOR_CHARS = "□■▇█"
#: What may stand between a money word and its bare amount (捐款共计600万, 善款达1.2亿).
_MONEY_GAP = re.compile(r"^(?:共计|合计|总计|累计|总额|金额|人民币|共|计|达到|高达|达|为|了|约|超过|逾|近)*$")


@dataclass(frozen=True)
class Unit:
    """One row of ``units.csv``."""

    unit: str
    kind: str
    base_unit: str
    factor: float
    ambiguous_kinds: tuple[str, ...]
    given_kind: str = ""  # the kind when the clause says the things were given


@dataclass(frozen=True)
class Qualifier:
    """One row of ``quantity_qualifiers.csv``."""

    word: str
    position: str  # before | after_number | after_unit
    qualifier: str  # over | about | nearly | under
    not_after: str
    only_before: str


@dataclass
class QuantityMention:
    """A quantity in a sentence; ``start``/``end`` are offsets within the sentence."""

    surface: str
    value: float
    value_high: float | None
    qualifier: str
    kind: str
    unit: str
    object: str
    start: int
    end: int


# --- lexicons -------------------------------------------------------------------------


@lru_cache(maxsize=1)
def load_units() -> Mapping[str, Unit]:
    """Units and classifiers by their written form (``units.csv``)."""
    units = {}
    for row in read_lexicon_rows("units.csv"):
        kind = row["kind"].strip()
        units[row["unit"].strip()] = Unit(
            unit=row["unit"].strip(),
            kind=kind,
            base_unit=row["base_unit"].strip(),
            factor=float(row["factor"]) if row["factor"].strip() else 1.0,
            ambiguous_kinds=tuple(k for k in row["ambiguous_kinds"].split("|") if k),
            given_kind=(row.get("given_kind") or "").strip(),
        )
    return MappingProxyType(units)


@lru_cache(maxsize=1)
def load_qualifiers() -> Mapping[str, Qualifier]:
    """Qualifier words by their written form (``quantity_qualifiers.csv``)."""
    return MappingProxyType({
        row["word"]: Qualifier(row["word"], row["position"], row["qualifier"],
                               row["not_after"] or "", row["only_before"] or "")
        for row in read_lexicon_rows("quantity_qualifiers.csv")
    })


@lru_cache(maxsize=1)
def load_object_kinds() -> Mapping[str, str]:
    """Counted-noun keyword -> kind (``quantity_object_kinds.csv``)."""
    return MappingProxyType({row["keyword"]: row["kind"] for row in read_lexicon_rows("quantity_object_kinds.csv")})


@lru_cache(maxsize=1)
def load_exclusions() -> tuple[str, ...]:
    """Set phrases whose numerals count nothing (``quantity_exclusions.txt``)."""
    return read_word_list("quantity_exclusions.txt")


@lru_cache(maxsize=1)
def load_object_boundaries() -> frozenset[str]:
    """Verbs and particles that bound a counted noun (``quantity_object_boundaries.txt``)."""
    return frozenset(read_word_list("quantity_object_boundaries.txt"))


def _alternation(words) -> str:
    """A regex alternation, longest first so that 人次 wins over 人."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def mention_pattern() -> re.Pattern:
    """The regex of a quantity mention, built once from the lexicons."""
    qualifiers = load_qualifiers().values()
    before = _alternation(q.word for q in qualifiers if q.position == "before")
    after_number = _alternation(q.word for q in qualifiers if q.position == "after_number")
    after_unit = _alternation(q.word for q in qualifiers if q.position == "after_unit")
    units = _alternation(load_units())
    chinese = "".join(CHINESE_DIGITS) + "".join(MAGNITUDES)
    number = _number_regex(chinese)
    return re.compile(
        rf"""
        (?P<prefix>{before})?
        (?<![A-Za-z0-9._/#\-])                 # not inside N95, TM-S1, 2020.4.2, a/b
        (?P<number>{number}(?:(?:至|到|-|~|～|—){number})?)
        (?P<vague>几)?                         # 十几个, 二十几名: the lower bound, over
        (?P<approx>{after_number})?            # 200余万件, 50多个
        (?P<magnitude>[万亿]+)?
        (?P<approx2>{after_number})?           # 20万余元
        (?P<hour_gap>个(?P<hour_approx>多|余|半)?(?=小时))?   # 三四个小时, 3个多小时
        (?P<unit>{units})
        (?P<suffix>{after_unit})?              # 7吨左右
        """,
        re.VERBOSE,
    )


def _number_regex(chinese: str) -> str:
    """Arabic (40,000, 3.15亿, 1万5千, 1亿2000万) or Chinese (二十万零五百) digits."""
    arabic = r"\d+(?:,\d{3})*(?:\.\d+)?[百千万亿]*(?:(?<=[万亿])\d+[百千万]*)?"
    return rf"(?:{arabic}|[{chinese}]+)"


#: The magnitudes a bare amount ends in: a sentence without one of them holds none.
BARE_AMOUNT_MAGNITUDES = "万亿"


@lru_cache(maxsize=1)
def _bare_amount_pattern() -> re.Pattern:
    """A number with 万/亿 and no unit (捐款600万, 资金1.5亿): the same groups as a mention."""
    qualifiers = load_qualifiers().values()
    before = _alternation(q.word for q in qualifiers if q.position == "before")
    after_number = _alternation(q.word for q in qualifiers if q.position == "after_number")
    number = _number_regex("".join(CHINESE_DIGITS) + "".join(MAGNITUDES))
    return re.compile(
        rf"(?P<prefix>{before})?(?<![A-Za-z0-9._/#\-])"
        rf"(?P<number>{number})(?P<vague>几)?(?P<approx>{after_number})?(?P<magnitude>[{BARE_AMOUNT_MAGNITUDES}]+)"
        rf"(?P<approx2>{after_number})?"
        rf"(?P<hour_approx>(?!))?(?P<suffix>(?!))?(?![\dA-Za-z.])"
    )


@lru_cache(maxsize=1)
def load_money_words() -> tuple[str, ...]:
    """Words after which a bare 万/亿 amount is money (``quantity_money_words.txt``)."""
    return tuple(sorted(read_word_list("quantity_money_words.txt"), key=len, reverse=True))


@lru_cache(maxsize=1)
def _unit_words() -> tuple[str, ...]:
    return tuple(load_units())


@lru_cache(maxsize=1)
def load_people_words() -> tuple[str, ...]:
    """Words after which a bare 万/亿 number counts people (``quantity_people_words.txt``)."""
    return tuple(sorted(read_word_list("quantity_people_words.txt"), key=len, reverse=True))


@lru_cache(maxsize=1)
def load_bare_amount_words() -> Mapping[str, str]:
    """Word -> unit (``元`` or ``人``) of a bare 万/亿 number written right after it."""
    return MappingProxyType({**{w: "人" for w in load_people_words()}, **{w: "元" for w in load_money_words()}})


@lru_cache(maxsize=1)
def _span_after_classifier() -> re.Pattern:
    """After a classifier: 多/余/半 and a span word (3个多月, 两个半星期) make no quantity."""
    spans = [u[1:] for u, unit in load_units().items()
             if unit.kind == NOT_QUANTITY and u.startswith("个") and len(u) > 1]
    return re.compile(rf"(?:多|余|半)?(?:{_alternation(spans)})")


@lru_cache(maxsize=1)
def _exclusion_pattern() -> re.Pattern | None:
    phrases = load_exclusions()
    return re.compile(_alternation(phrases)) if phrases else None


# --- extraction -----------------------------------------------------------------------


def extract_quantities(sentence: str) -> list[QuantityMention]:
    """Every quantity mentioned in ``sentence`` (cleaned, simplified text), in order."""
    return [replace(m) for m in quantities_in(sentence)]


@lru_cache(maxsize=EXTRACTION_CACHE_SIZE)
def quantities_in(sentence: str) -> tuple[QuantityMention, ...]:
    """:func:`extract_quantities`, remembered per sentence (reports repeat sentences).

    The mentions are shared between callers: read them, do not change them.
    """
    excluded = _excluded_spans(sentence)
    mentions: list[QuantityMention] = []
    for match in mention_pattern().finditer(sentence):
        mention = _mention_from_match(sentence, match, excluded)
        if mention is not None:
            mentions.append(mention)
    mentions = _drop_package_specs(sentence, mentions)
    mentions.extend(_bare_money_amounts(sentence, mentions, excluded))
    mentions.extend(_bare_list_counts(sentence, mentions))
    mentions.sort(key=lambda m: m.start)
    _assign_objects_and_kinds(sentence, mentions)
    return tuple(m for m in mentions if m.kind != BY_OBJECT)


def _excluded_spans(sentence: str) -> list[tuple[int, int]]:
    pattern = _exclusion_pattern()
    return [m.span() for m in pattern.finditer(sentence)] if pattern else []


def _mention_from_match(sentence: str, m: re.Match, excluded) -> QuantityMention | None:
    """The mention of one regex match, or None when the match counts nothing."""
    unit = load_units()[m["unit"]]
    if unit.kind == NOT_QUANTITY:
        return None
    start = m.start("prefix") if m["prefix"] else m.start("number")
    prefix = _accepted_prefix(sentence, m)
    if not prefix:
        start = m.start("number")
    number_text = m["number"] + (m["magnitude"] or "")
    if _is_not_a_count(sentence, m, unit, start, excluded):
        return None
    low_high = try_parse_range(m["number"])
    if low_high is None:
        return None
    low, high = low_high
    scale = 1.0
    for ch in m["magnitude"] or "":
        scale *= MAGNITUDES[ch]
    if m["hour_approx"] == "半":
        low, high = low + 0.5, (high + 0.5 if high is not None else None)
    value = low * scale * unit.factor
    value_high = high * scale * unit.factor if high is not None else None
    qualifier = _qualifier(prefix, m)
    if number_text and _is_lone_article(m, unit, qualifier):
        return None
    return QuantityMention(
        surface=sentence[start:m.end()],
        value=_tidy(value),
        value_high=_tidy(value_high) if value_high is not None else None,
        qualifier=qualifier,
        kind=unit.kind,
        unit=unit.base_unit or unit.unit,
        object="",
        start=start,
        end=m.end(),
    )


def _tidy(x: float) -> float:
    """Round away binary noise (3.15 * 1e8 = 315000000.00000006)."""
    return float(round(x, 6))


def _accepted_prefix(sentence: str, m: re.Match) -> str:
    """The qualifier before the number, unless it is part of another word (预约, 附近, 晚上)."""
    word = m["prefix"]
    if not word:
        return ""
    q = load_qualifiers()[word]
    before = sentence[m.start("prefix") - 1] if m.start("prefix") > 0 else ""
    if before and before in q.not_after:
        return ""
    if q.only_before and m["number"][0] not in q.only_before:
        return ""
    return word


def _qualifier(prefix: str, m: re.Match) -> str:
    """over / about / nearly / under: a qualifier after the number wins (近30多位 -> over)."""
    qualifiers = load_qualifiers()
    for word in (m["suffix"], m["approx2"], m["approx"]):
        if word:
            return qualifiers[word].qualifier
    if m["hour_approx"] in ("多", "余") or m["vague"]:
        return "over"
    return qualifiers[prefix].qualifier if prefix else ""


def _is_not_a_count(sentence: str, m: re.Match, unit: Unit, start: int, excluded) -> bool:
    """Ordinals, vague numerals, percentages, identifiers, set phrases, spans and rates."""
    number_start = m.start("number")
    before = sentence[max(0, number_start - 2):number_start]
    qualified = start < number_start  # a qualifier word before the number was accepted
    unread_vague = not qualified and m["number"][0] in MAGNITUDES and before.endswith(("几", "数", "若"))
    if before.endswith("第") or unread_vague or before == "分之":
        return True  # 第一轮, 若干, 百分之七十五 (数十家 and 几十个 are read, see is_vague)
    if not qualified and not (m["approx"] or m["approx2"] or m["suffix"]) and all(
            ch in BIG_UNITS for ch in m["number"]):
        return True  # 资金余万元: a lone 万 stands for digits the page lost
    if is_vague(sentence, m) and clause_says(sentence, start, ILLUSTRATION_MARKERS):
        return True  # 小到几十个口罩, 一天打上百个电话: a typical amount, not a fact
    if unit.kind == "hours" and _is_time_span_or_availability(sentence, m, start):
        return True  # 不到20个小时就募集, 24小时心理援助热线
    if clause_says(sentence, start, RATE_MARKERS):
        return True  # 每人补助500元, 标准为15元
    if unit.unit == PHASE_UNIT and _is_phase(sentence, m):
        return True  # 社区三期的居民: the third phase of an estate
    if _touches_censored(sentence, start, m.end("magnitude") if m["magnitude"] else m.end("number")):
        return True  # 价值□0万元: a digit is hidden
    end = m.end()
    after = sentence[end:end + 1]
    if unit.unit.isascii() and (after.isascii() and after.isalnum()):
        return True  # 20LED, 5G...: letters run on, an identifier
    if after in ("/", "／") or sentence.startswith("每", end):
        return True  # 12瓶/箱, 25kg/袋, 5元/人: a rate or package size
    if unit.unit == "个" and not m["hour_gap"] and _span_after_classifier().match(sentence, end):
        return True  # 3个多月, 两个星期
    return any(s < end and start < e for s, e in excluded)


def is_vague(sentence: str, m: re.Match) -> bool:
    """A vague numeral: 数十, 几百, 上千, 近百, 十几 (a bare magnitude after a qualifier, or ...几)."""
    if m["vague"]:
        return True
    prefix_start = m.start("prefix") if m["prefix"] else m.start("number")
    return prefix_start < m.start("number") and all(ch in MAGNITUDES for ch in m["number"])


def _clause_before(sentence: str, start: int) -> str:
    """The text from the last clause mark (，。；：) before ``start`` up to it."""
    head = sentence[:start]
    cut = max(head.rfind(mark) for mark in _CLAUSE_MARKS)
    return head[cut + 1:]


#: Word lists read in the clause before an amount: what makes a vague numeral a typical amount
#: (小到几十个口罩, 一天打上百个电话), an amount a rate or standard (每人补助500元, 标准为15元), and
#: a count one of things given (提供600辆共享电动车).
ILLUSTRATION_MARKERS = "quantity_illustration_markers.txt"
RATE_MARKERS = "quantity_rate_markers.txt"
GIVING_VERBS = "quantity_giving_verbs.txt"


@lru_cache(maxsize=4)
def _clause_words(name: str) -> tuple[str, ...]:
    return read_word_list(name)


def clause_says(sentence: str, start: int, words: str) -> bool:
    """True when the clause before ``start`` holds a word of the list ``words`` (a lexicon file)."""
    clause = _clause_before(sentence, start)
    return any(word in clause for word in _clause_words(words))


#: What follows an amount of hours that makes it the time something took, not hours of service
#: (不到20个小时就募集了200万元, 24小时内, 48小时后).
_TIME_SPAN_AFTER = ("内", "之内", "以内", "就", "后", "之后", "以后", "便", "即")
#: Hours of a whole day: round-the-clock availability (24小时心理援助热线, 24小时在线, 24小时提供
#:服务) says when a service is open, not how much was given (SCHEMA decisions).
HOURS_OF_A_DAY = 24
#: Words before 24小时 that make it a total of hours given (累计服务24小时).
_TOTAL_WORDS = ("累计", "共计", "合计", "总计", "时长", "共")


def _is_time_span_or_availability(sentence: str, m: re.Match, start: int) -> bool:
    if sentence.startswith(_TIME_SPAN_AFTER, m.end()):
        return True
    round_the_clock = (
        try_parse_range(m["number"]) == (HOURS_OF_A_DAY, None)
        and not (m["magnitude"] or m["approx"] or m["approx2"] or m["suffix"] or m["hour_approx"])
        and start == m.start("number")
    )
    clause = _clause_before(sentence, start)
    return round_the_clock and not any(word in clause for word in _TOTAL_WORDS)


#: 期 counts issues and sessions (专题简报38期, 举办三期培训班); after a Chinese numeral it also
#: names the phase of a housing estate (三期有6栋楼, 该社区五期的居民), which counts nothing.
PHASE_UNIT = "期"


def _is_phase(sentence: str, m: re.Match) -> bool:
    """期 after a Chinese numeral followed by neither a clause mark nor a noun of sessions."""
    if m["number"][0].isdigit() or m["prefix"] or m["approx"]:
        return False
    after = sentence[m.end():m.end() + 6]
    if not after or after[0] in PUNCTUATION:
        return False
    events = [k for k, kind in load_object_kinds().items() if kind == "events"]
    return not any(k in after for k in events)


def _touches_censored(sentence: str, start: int, number_end: int) -> bool:
    before = sentence[start - 1:start] if start else ""
    return bool(before and before in CENSOR_CHARS) or sentence[number_end:number_end + 1] in tuple(CENSOR_CHARS)


def _bare_money_amounts(sentence: str, mentions: list[QuantityMention],
                        excluded) -> list[QuantityMention]:
    """Money written without 元 right after a word about money: ``捐款600万``, ``善款达1.2亿``.

    Only numbers with 万 or 亿 that no other mention covers, and only when nothing but a
    linking word (共计, 达, 为 ...) stands between the money word and the number.
    """
    found: list[QuantityMention] = []
    if not any(magnitude in sentence for magnitude in BARE_AMOUNT_MAGNITUDES):
        return found
    words = load_bare_amount_words()
    units = load_units()
    for m in _bare_amount_pattern().finditer(sentence):
        prefix = _accepted_prefix(sentence, m)
        start = m.start("prefix") if prefix else m.start("number")
        end = m.end()
        if any(o.start < end and start < o.end for o in mentions):
            continue
        if any(s < end and start < e for s, e in excluded):
            continue
        if _touches_censored(sentence, start, end) or sentence[max(0, start - 1):start] == "第":
            continue
        if sentence.startswith(_unit_words(), end) and not any(s <= end < e for s, e in excluded):
            continue  # 补贴20万元/人: a unit follows (not 支持), and the mention was refused for a reason
        head = sentence[:start]
        word_end, word = max(((head.rfind(w) + len(w), w) for w in words if w in head), default=(-1, ""))
        if word_end >= 0 and _MONEY_GAP.match(head[word_end:]):
            unit = units[words[word]]  # 捐款600万, 注册人数达68万
        elif sentence.startswith("的", end) and sentence.startswith(load_money_words(), end + 1):
            unit = units["元"]  # 这2.3亿的款物
        else:
            continue  # a word naming what is counted must stand right before (or after) the number
        low_high = try_parse_range(m["number"])
        if low_high is None:
            continue
        scale = 1.0
        for ch in m["magnitude"]:
            scale *= MAGNITUDES[ch]
        low, high = low_high
        found.append(QuantityMention(
            surface=sentence[start:end], value=_tidy(low * scale),
            value_high=_tidy(high * scale) if high is not None else None,
            qualifier=_qualifier(prefix, m), kind=unit.kind, unit=unit.base_unit,
            object="", start=start, end=end,
        ))
    return found


def _is_lone_article(m: re.Match, unit: Unit, qualifier: str) -> bool:
    """一 alone before a classifier is the indefinite article (一名党员, 一张照片, 一次性)."""
    return (
        m["number"] in ("一", "壹")
        and not m["magnitude"]
        and not qualifier
        and unit.kind not in MEASURE_KINDS
    )


def _drop_package_specs(sentence: str, mentions: list[QuantityMention]) -> list[QuantityMention]:
    """Drop measures that describe a product rather than count it.

    ``大米(25kg/袋)450袋`` and ``(5L/桶)`` go at match time (a rate); here go a
    measure alone in brackets after a product name (``酒精(250ML)``, ``帐篷(12平米)``)
    and a measure followed by more of the product name and its real count in the
    same list item (``喷雾1.18L酒精(12瓶/箱)150箱``, ``消毒液2.5升(8桶/箱)250箱``).
    A count in brackets (``面罩20箱(4000个)``) stays.
    """
    kept = []
    for i, m in enumerate(mentions):
        if m.kind in PACKAGE_MEASURE_KINDS and (
            _alone_in_brackets(sentence, m) or _precedes_count_in_item(sentence, m, mentions[i + 1:])
        ):
            continue
        kept.append(m)
    return kept


def _alone_in_brackets(sentence: str, m: QuantityMention) -> bool:
    opening = sentence[m.start - 1:m.start] if m.start else ""
    closing = sentence[m.end:m.end + 1]
    return opening in ("(", "（") and closing in (")", "）")


def _precedes_count_in_item(sentence: str, m: QuantityMention, later: list[QuantityMention]) -> bool:
    nxt = sentence[m.end:m.end + 1]
    if not nxt or nxt in PUNCTUATION.replace("(", "").replace("（", "") or nxt == "的":
        return False
    for other in later:
        gap = sentence[m.end:other.start]
        if _LIST_ITEM_BREAK.search(_without_brackets(gap)) or len(gap) > 16:
            return False
        if other.kind not in MEASURE_KINDS:
            return True
    return False


def _without_brackets(text: str) -> str:
    return re.sub(r"[(（][^()（）]*[)）]", "", text)


_BARE_LIST_COUNT = re.compile(
    rf"(?<=[{HAN}])(?P<number>\d+)(?=[、，,；;])"
)


def _bare_list_counts(sentence: str, mentions: list[QuantityMention]) -> list[QuantityMention]:
    """A bare number closing an item of a list of goods: ``无创呼吸机500、VG70呼吸机30台``.

    Counted as items with no unit when the list items on both sides are counts of goods.
    """
    items = [m for m in mentions if m.kind == "items"]
    if len(items) < 2:
        return []
    found = []
    for bare in _BARE_LIST_COUNT.finditer(sentence):
        start, end = bare.span()
        if any(m.start <= start < m.end for m in mentions):
            continue
        if _item_next_door(sentence, items, start, end):
            found.append(QuantityMention(
                surface=bare["number"], value=float(bare["number"]), value_high=None,
                qualifier="", kind="items", unit="", object="", start=start, end=end,
            ))
    return found


def _item_next_door(sentence: str, items: list[QuantityMention], start: int, end: int) -> bool:
    """True when the list items just before and just after ``start:end`` count goods."""

    def one_item_apart(gap: str) -> bool:
        return gap.count("、") == 1 and not re.search(r"[，,；;。]", gap)

    before = any(m.end <= start and one_item_apart(sentence[m.end:start]) for m in items)
    after = any(m.start >= end and sentence[end:end + 1] == "、"
                and one_item_apart(sentence[end:m.start]) for m in items)
    return before and after


# --- what is counted ------------------------------------------------------------------


def _assign_objects_and_kinds(sentence: str, mentions: list[QuantityMention]) -> None:
    """Fill ``object`` and settle the kind of ambiguous classifiers, in place."""
    units = load_units()
    previous: QuantityMention | None = None
    for m in mentions:
        after = _object_after(sentence, m.end)
        before = _object_before(sentence, m.start, previous)
        if not before and previous is not None and _adjacent(sentence, previous, m):
            before = previous.object  # 好益多50箱300瓶, 面罩20箱(4000个)
        m.object = after or before
        unit = units.get(m.unit) or _unit_by_base(m.unit)
        if unit is not None and unit.ambiguous_kinds:
            fallback = before if after and unit.kind != BY_OBJECT else ""
            m.kind = _kind_from_object(m.object, unit) or _kind_from_object(fallback, unit) or m.kind  # 项目有2个方向
        if unit is not None and unit.given_kind and clause_says(sentence, m.start, GIVING_VERBS):
            m.kind = unit.given_kind  # 提供600辆共享电动车
        if m.unit == "人" and "人次" in before:
            m.kind = "person_times"  # 受益人次10万余人
        previous = m


def _unit_by_base(base: str) -> Unit | None:
    return None if not base else next((u for u in load_units().values() if u.base_unit == base), None)


def _adjacent(sentence: str, previous: QuantityMention, m: QuantityMention) -> bool:
    gap = sentence[previous.end:m.start]
    return len(gap) <= 1 and all(ch in "(（ " for ch in gap)


@lru_cache(maxsize=1)
def object_segmenter():
    """The jieba segmenter of counted objects: the stock dictionary, in a tokenizer of its own,
    so words anyone adds to jieba's shared dictionary never change what is counted."""
    from ..text.segmenters import stock_tokenizer

    return stock_tokenizer()


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    """Words of ``text`` by :func:`object_segmenter`, without HMM."""
    from ..text.segmenters import cut_without_hmm

    return tuple(cut_without_hmm(object_segmenter(), text))


def _object_after(sentence: str, end: int) -> str:
    """The noun after a classifier: ``140185只各类口罩、`` -> 各类口罩."""
    text = sentence[end:end + 30]
    text = QUOTE_MARK.sub("", text)
    text = _INNER_BRACKETS.sub("", text)  # 14个县区慈善协(分)会 -> 县区慈善协会
    text = text.lstrip(" 的之")
    stop = _OBJECT_STOP.search(text)
    if stop:
        text = text[:stop.start()]
    out = []
    boundaries = load_object_boundaries()
    kinds = load_object_kinds()
    tokens = _tokens(text)
    for i, token in enumerate(tokens):
        if token in boundaries and not _modifies_head_noun(tokens, i, kinds, out):
            break
        if i + 1 < len(tokens) and token + tokens[i + 1] in boundaries:
            break  # a boundary word the tokenizer split (发|往)
        out.append(token)
    while out and _CONJUNCTIONS.fullmatch(out[-1]):
        out.pop()  # 19个无物业管理小区和5家...: the 和 joins the next quantity
    return "".join(out).strip()


def _modifies_head_noun(tokens: Sequence[str], i: int, kinds: dict[str, str],
                        so_far: list[str]) -> bool:
    """A two-character verb directly before the counted head noun is part of the noun when
    no head noun came before it: ``24个心理援助小组``, ``10个支援小组``; but ``500个给社区``,
    ``26个地区发放口罩`` (地区 is the head already) and ``20个乡镇分队深入社区`` end at the verb."""
    return (len(tokens[i]) >= 2 and i + 1 < len(tokens) and tokens[i + 1] in kinds
            and not any(token in kinds for token in so_far))


def _object_before(sentence: str, start: int, previous: QuantityMention | None) -> str:
    """The noun before a number: ``累计发放口罩85450只`` -> 口罩."""
    floor = previous.end if previous is not None else 0
    end = start
    if sentence[end - 1:end] in (")", "）"):  # 医用隔离眼罩(护目镜)11997个
        opening = max(sentence.rfind("(", floor, end), sentence.rfind("（", floor, end))
        if opening >= floor:
            end = opening
    text = _after_last_punctuation(sentence[floor:end])
    text = QUOTE_MARK.sub("", text)
    tokens = list(_tokens(text))
    boundaries = load_object_boundaries()
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i] in boundaries:
            if i == len(tokens) - 1:
                continue  # a trailing verb (达到) is skipped, not a cut
            tokens = tokens[i + 1:]
            break
    while tokens and tokens[-1] in boundaries:
        tokens.pop()
    return "".join(tokens).strip()


def _after_last_punctuation(text: str) -> str:
    """What follows the last punctuation mark of ``text`` (all of it when it has none)."""
    up_to = _UP_TO_LAST_PUNCTUATION.match(text)
    return text[up_to.end():] if up_to else text


def _kind_from_object(obj: str, unit: Unit) -> str:
    """The kind the counted noun gives an ambiguous classifier, or '' to keep the default.

    Coordinated nouns are read in order and the first that names a kind decides
    (社区和单位 -> 社区; 困难和需求 -> 需求); within a noun the keyword ending
    furthest right wins (乡镇分队 -> 分队), the longer on a tie.
    """
    for noun in _CONJUNCTIONS.split(obj) if obj else ():
        kind = _kind_of_noun(noun, unit)
        if kind:
            return kind
    return ""


@lru_cache(maxsize=4096)
def _kind_of_noun(head: str, unit: Unit) -> str:
    allowed = set(unit.ambiguous_kinds)
    best: tuple[int, int, str] | None = None
    for keyword, kind in load_object_kinds().items():
        if kind not in allowed and kind != unit.kind:
            continue
        pos = head.rfind(keyword)
        if pos < 0:
            continue
        rank = (pos + len(keyword), len(keyword), kind)
        if best is None or rank[:2] > best[:2]:
            best = rank
    return best[2] if best else ""



# --- currency ---------------------------------------------------------------------------

YUAN = "元"
#: Written next to an amount in 元, this says the 元 are yuan wherever the fact is placed.
RENMINBI = "人民币"


@lru_cache(maxsize=1)
def load_region_currencies() -> Mapping[str, str]:
    """Province-level region -> the currency its own reports mean by 元 (``region_currencies.csv``)."""
    return MappingProxyType({row["province"]: row["currency"] for row in read_lexicon_rows("region_currencies.csv")})


def local_currency(sentence: str, mention: QuantityMention, province: str) -> str:
    """The unit of ``mention`` once its region is known: 元 in a fact placed in 香港, 澳门 or 台湾
    is that region's currency (``300亿元`` in a Hong Kong report is 港元; SCHEMA: money in another
    currency keeps its currency), unless 人民币 stands next to it."""
    currency = load_region_currencies().get(province, "")
    if mention.kind != "money" or mention.unit != YUAN or not currency:
        return mention.unit
    around = sentence[max(0, mention.start - len(RENMINBI)):mention.end + len(RENMINBI)]
    return mention.unit if RENMINBI in around else currency


# --- the extract-stage table ----------------------------------------------------------

QUANTITY_COLUMNS = [
    "doc_id", "province", "city", "surface", "value", "value_high", "qualifier", "kind",
    "unit", "object", "section_id", "sentence_id", "char_start", "char_end",
]


def quantities_table(sentences: pd.DataFrame, sections: pd.DataFrame) -> pd.DataFrame:
    """One row per quantity mention in the in-body sentences (see DESIGN.md, 03 extract).

    ``char_start``/``char_end`` are offsets into the cleaned document text.
    """
    rows = quantity_rows(sentences, sections)
    table = pd.DataFrame(rows, columns=QUANTITY_COLUMNS)
    # the values of the rows are floats already; an empty table's columns need the type
    return table if rows else table.astype({"value": float, "value_high": float})


def quantity_rows(sentences: pd.DataFrame, sections: pd.DataFrame) -> list[tuple]:
    """The rows of :func:`quantities_table` as tuples in the order of ``QUANTITY_COLUMNS``.

    Cheaper than a DataFrame per document when the rows of many documents are
    gathered into one table.
    """
    regions = section_regions(sections)
    finder = default_find_places()
    rows = []
    for doc_id, section_id, sentence_id, text, char_start in zip(
            *column_lists(sentences, "doc_id", "section_id", "sentence_id", "text", "char_start"),
            strict=True):
        province, city, in_body = regions.get((doc_id, int(section_id)), ("", "", True))
        if not in_body:
            continue
        text = text or ""
        mentions = quantities_in(text)
        if not mentions:
            continue
        places = finder(text, prefer_province=province) if finder else []
        for m in mentions:
            prov, cty = attribute_region(text, m.start, province, city, places=places)
            unit = local_currency(text, m, prov)
            rows.append((
                doc_id, prov, cty, m.surface, m.value,
                m.value_high if m.value_high is not None else math.nan,
                m.qualifier, m.kind, unit, m.object, int(section_id), int(sentence_id),
                int(char_start) + m.start, int(char_start) + m.end,
            ))
    return rows
