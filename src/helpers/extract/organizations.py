"""Named organizations in sentences: where a name starts and ends, and what type it is.

A name is found from its end: an organization suffix (``协会``, ``基金会``,
``民政局``, ``党支部`` ...; ``lexicons/org_types.csv``) is located, then the name
is extended to the left over the words before it until a boundary: punctuation,
a digit, or a verb or function word (``lexicons/org_boundaries.txt``: 联合, 组织,
动员, 向, 为, 和, 的 ...). Boundary words are compared with whole jieba tokens,
so a place name such as 成都 or 自治区 is never cut at 都 or 自. The place-name
prefix belongs to the name ("南宁市绿叶志愿者协会"); a category noun in
apposition before a name ("枢纽机构", "会员企业"; ``lexicons/org_appositions.csv``)
ends it and gives context for its type.

Sub-units (``党支部``, ``联合党委``, ``志愿服务总队``, ``保障组``) join the
organization before them: "杭州市医学会党支部" is one name. The type of a name
is the type of its head, the rightmost pattern of ``org_types.csv`` in it
(Chinese names are head-final), so "...协会党支部" is a party body and
"...慈善协会志愿服务总队" a volunteer group.

Only names with a specific part are kept: "各级社会组织", "当地政府" or
"该协会党支部" are generic (``lexicons/org_generic_words.txt``), and so are names
with a word for a set in them ("广州市海珠区各级政府"; ``org_set_words.txt``) or
levels alone ("区县慈善协会"), while administrative short forms ("市民政局",
"团区委", "省民政厅") are names.

Real reports put other words before names than the boundary list knows, so a name
opens at its first place when a word that is no part of a name (a verb, adverb,
numeral, pronoun ... by jieba's tags) stands before it: "亿余元大连市慈善总会" is
大连市慈善总会, "正是省慈善总会" 省慈善总会 (:func:`place_start`). A name right
after another with nothing between continues it ("鞍钢集团总医院", "宁夏党委统战部")
unless it opens with a place of its own ("市委市政府"); a role before a member
("会员单位", ``org_appositions.csv``) ends the name before it. Bodies named by
themselves (国务院, 民政部, 党中央) need nothing specific before them; a quoted brand
joins its suffix ("“敲门大姐”志愿服务队" -> 敲门大姐志愿服务队); counts of units
("1.4万支...服务队"), sources ("来源:...") and mastheads are not names. The decision
rules are those of ``gold/CODEBOOK.md``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate
from types import MappingProxyType

import jieba
import pandas as pd

from ..corpus import chars
from ..corpus.chars import HAN
from ..corpus.lexicons import read_lexicon_rows, read_word_list
from ..run.tables import column_lists, columns, section_regions
from ..text.gazetteer import ADCODES_CSV
from ..text.segmenters import cut_without_hmm, stock_tokenizer
from . import EXTRACTION_CACHE_SIZE
from .prefilter import LiteralPrefilter
from .regions import MUNICIPALITIES, default_find_places

jieba.setLogLevel(60)

MAX_NAME_CHARS = 24
MAX_SHORT_NAME_CHARS = 5
SOFT_BOUNDARIES = {"和", "与", "及", "的"}
MAX_JOINED_CHUNK = 10
#: What follows a number before a name: a count of units ("1.4万支"), an amount or a date ("亿余元", "27日").
NUMBER_CLASSIFIER = re.compile(r"[万亿千百十]*[余多]?(?:[家个支名位所批只项条]|[元年月日号时点分秒天])")
COUNTING_CLASSIFIERS = "家个支名位所批只项条"
#: Marks that are written in the Han block but separate words: 丨 (a title bar).
HAN_SEPARATORS = "丨"
OPENING_QUOTES = "“「『‘\""
CLOSING_QUOTES = "”」』’\""
MAX_QUOTED_CHARS = 12
#: A label that names the source of a report: a name right after it is not an actor.
SOURCE_LABEL = re.compile(r"(?:来源|稿源|出处|供稿|转载自|来自)\s*[:：]\s*$")
MAX_PARENTHESIZED_CHARS = 10
PARTICLES_AFTER_VERB = {"起", "出", "到", "了", "好", "给"}
#: Administrative levels that stand for the place of the report ("省慈善总会", "市委").
LEVEL_TOKENS = frozenset({"省", "市", "区", "县", "自治区"})
#: A number of places in a name makes it a set: "晋浙两省省委" (the committees of two provinces).
PLACES_COUNTED = re.compile(r"(?<!第)[两三四五六七八九十几数]+[省市区县](?![长委])")
#: Words that stand for a name left out ("某某区红马甲志愿服务队"): part of the name, not a pronoun.
PLACEHOLDERS = ("某", "某某")
#: Words that never begin a name: after 和/与 they show the name goes on across it.
PERSONAL_PRONOUNS = frozenset({"我", "你", "他", "她", "我们", "你们", "他们"})
#: Characters of administrative levels: what is left of "区县慈善协会" or "各盟市工商联" is levels only.
LEVEL_CHARS = frozenset("省市区县州盟地镇乡村级")
PLACE_LEVEL_ENDINGS = ("省", "市", "区", "县", "州", "盟", "旗")
#: Single characters that end a word before a place rather than begin an unknown place name
#: with it (the 了 of 得到了市委, the 元 of 亿余元大连市): function words, units, classifiers.
#: jieba's tags of words that are no part of a name: verbs, adverbs, pronouns, conjunctions,
#: prepositions, particles, numerals, classifiers, time and direction words.
NOT_NAME_TAGS = frozenset({"v", "vd", "vg", "vi", "vn", "vq", "d", "ad", "dg", "r", "rg", "rr", "rz", "c", "p",
                           "u", "ud", "ug", "uj", "ul", "uv", "uz", "m", "mq", "q", "t", "tg", "f", "y", "e", "o"})
WORD_ENDING_CHARS = frozenset("了的是在有为向对将把由给和与及等也还都又再就才已即仅以从元个家名只件吨万亿余多位批次笔")
HUB_TYPE = "hub_support"
TYPES_KEPT_IN_HUB_CONTEXT = {"party_org", "government", "mass_org", "enterprise"}
HUB_ROLE_IN_SENTENCE = re.compile(rf"作为[{HAN}]{{0,8}}枢纽(?:机构|组织|单位|平台)|发挥[{HAN}]{{0,4}}枢纽型")
HUB_INTRODUCTION = re.compile(r"枢纽(?:机构|组织|单位)\s*[:：]?\s*$")
ORGANIZATION_COLUMNS = columns("organizations")


@dataclass(frozen=True)
class OrgMention:
    """An organization named in a sentence, with its span in the sentence text.

    The name is the text of the span, except that the quotation marks of a quoted brand
    in it are left out ("“敲门大姐”志愿服务队" -> 敲门大姐志愿服务队)."""

    name: str
    start: int
    end: int
    org_type: str


@dataclass(frozen=True)
class OrgPattern:
    """One row of ``org_types.csv``."""

    regex: re.Pattern
    org_type: str
    role: str  # suffix | subunit | attached | word | type
    priority: int
    needs_boundary_after: bool
    defers_type: bool
    short_names_only: bool = False
    named: bool = False  # a name by itself, with nothing specific before it (国务院, 民政部)
    min_chars: int = 0  # the shortest name it makes (武汉大学, not 上大学)
    media: bool = False  # a newspaper or broadcaster, also named in bylines and mastheads
    literals: tuple[str, ...] | None = None  # one of these is in every match (None: unknown)


# ---------------------------------------------------------------- lexicons


@cache
def org_patterns() -> tuple[OrgPattern, ...]:
    """The organization suffixes and type patterns of ``org_types.csv``."""
    patterns = []
    for row in read_lexicon_rows("org_types.csv"):
        flags = set(row["flags"].split())
        literals = _pattern_literals(row["pattern"], row.get("literal") or "")
        patterns.append(
            OrgPattern(
                regex=re.compile(row["pattern"]),
                org_type=row["org_type"],
                role=row["role"],
                priority=int(row["priority"]),
                needs_boundary_after="after" in flags,
                defers_type="defer" in flags,
                short_names_only="short" in flags,
                named="named" in flags,
                media="media" in flags,
                literals=literals,
                min_chars=max([int(f[3:]) for f in flags if re.fullmatch(r"min\d+", f)], default=0),
            )
        )
    return tuple(patterns)


def _pattern_literals(pattern: str, column: str) -> tuple[str, ...] | None:
    """What every match of a pattern of ``org_types.csv`` contains: its ``literal`` column
    (``|`` between alternatives), or the pattern itself when it is a plain string."""
    if not column:
        return (pattern,) if re.escape(pattern) == pattern else None
    literals = tuple(column.split("|"))
    if missing := [literal for literal in literals if not literal or literal not in pattern]:
        raise ValueError(f"org_types.csv, pattern {pattern!r}: literal {missing[0]!r} is not written in the pattern")
    return literals


@cache
def _pattern_prefilter() -> LiteralPrefilter:
    """The literals of every pattern of :func:`org_patterns`, looked for in one pass."""
    return LiteralPrefilter([p.literals for p in org_patterns()])


@lru_cache(maxsize=EXTRACTION_CACHE_SIZE)
def patterns_in(text: str) -> tuple[OrgPattern, ...]:
    """The patterns of :func:`org_patterns` that may match in ``text`` (or in any part of it), in order.

    A pattern is left out only when ``text`` lacks every literal it needs
    (its ``literal`` in ``org_types.csv``, :class:`~helpers.extract.prefilter.LiteralPrefilter`), so looping over these instead of all
    patterns finds the same matches.
    """
    patterns = org_patterns()
    return tuple(patterns[i] for i in _pattern_prefilter().candidates(text))


@cache
def boundary_regex() -> re.Pattern:
    """Words at which a name's left edge stops, matched against a whole token."""
    words = sorted(read_word_list("org_boundaries.txt"), key=len, reverse=True)
    return re.compile("(?:" + "|".join(words) + ")")


@cache
def apposition_heads() -> Mapping[str, str]:
    """Category nouns in apposition before a name (``枢纽机构``) and the type they imply."""
    return MappingProxyType({row["head"]: row["org_type"] for row in read_lexicon_rows("org_appositions.csv")})


@cache
def set_words() -> tuple[str, ...]:
    """Words that make a name stand for a set of organizations wherever they are in it (各级, 相关)."""
    return tuple(read_word_list("org_set_words.txt"))


@cache
def generic_words() -> tuple[str, ...]:
    """Modifiers that do not single out an organization, longest first."""
    return tuple(sorted(read_word_list("org_generic_words.txt"), key=len, reverse=True))


@cache
def place_names() -> frozenset[str]:
    """Province, city and county names (full and short forms) from cpca's code table."""
    names: set[str] = set()
    with ADCODES_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["adcode"].endswith("000000"):
                continue
            full = row["name"]
            names.add(full)
            short = re.sub(
                r"(?:特别行政区|维吾尔自治区|回族自治区|壮族自治区|自治区|自治州|自治县|省|市|区|县|盟|旗)$",
                "",
                full,
            )
            if len(short) >= 2:
                names.add(short)
    return frozenset(names)


@cache
def dictionary_tags() -> tuple[frozenset[str], frozenset[str]]:
    """Words of jieba's stock dictionary by its part-of-speech tags: the places (``ns``: 宁化,
    海沧, not 振兴, a verb) and the words that are no part of a name (verbs, adverbs, pronouns,
    numerals, time words ...: ``NOT_NAME_TAGS``)."""
    with stock_tokenizer().get_dict_file() as handle:
        text = handle.read().decode("utf-8")
    places, not_name = set(), set()
    for word, tag in re.findall(r"^(\S+) \d+ (\w+)$", text, flags=re.MULTILINE):
        if tag == "ns":
            places.add(word)
        elif tag in NOT_NAME_TAGS:
            not_name.add(word)
    return frozenset(places), frozenset(not_name)


@cache
def name_openers() -> tuple[str, ...]:
    """Words that open a name before its place (中国共产党, 九三学社 ...; ``org_name_openers.txt``)."""
    return tuple(read_word_list("org_name_openers.txt"))


def is_place_token(token: str) -> bool:
    """Whether a jieba token is a place that may open a name: a full place name (大连市, 云南省),
    a short form jieba knows as a place (宁化, 南宁), or an administrative level on its own
    (省, 市: 正是省慈善总会)."""
    if token in LEVEL_TOKENS:
        return True
    if token not in place_names():
        return False
    return token.endswith(PLACE_LEVEL_ENDINGS) or token in dictionary_tags()[0]


def starts_with_place_name(text: str) -> bool:
    """Whether ``text`` begins with a province, city or county name."""
    places = place_names()
    return any(text[:n] in places for n in range(2, min(len(text), 8) + 1))


# ---------------------------------------------------------------- boundaries


@cache
def name_segmenter() -> jieba.Tokenizer:
    """A jieba segmenter of its own for finding names: the stock dictionary plus the
    nouns that contain a boundary word (社会组织, 联合会 ...).

    It is kept apart from jieba's shared default segmenter, to which anyone's code in
    the same process may add words, so that names are found from the lexicons alone:
    the result is the same whatever the order, the chunking or the engine. Its stock dictionary is a copy of
    the one :mod:`helpers.segmenters` reads once per process.
    """
    segmenter = stock_tokenizer()
    for word in read_word_list("org_compound_words.txt"):
        segmenter.add_word(word, freq=100_000)
    return segmenter


def tokenize(text: str) -> list[str]:
    """jieba tokens of ``text`` (no HMM, so the result depends only on the dictionary)."""
    return list(_tokens_of(text))


@lru_cache(maxsize=EXTRACTION_CACHE_SIZE)
def _tokens_of(text: str) -> tuple[str, ...]:
    """:func:`tokenize`, remembered: the same stretches before suffixes recur."""
    return tuple(cut_without_hmm(name_segmenter(), text))


@cache
def compound_words() -> frozenset[str]:
    """Nouns that contain a boundary word but belong inside names (社会组织, 联合会 ...)."""
    return frozenset(read_word_list("org_compound_words.txt"))


def is_boundary_token(token: str) -> bool:
    """Whether a token is a word at which a name cannot continue leftwards.

    A token is a boundary when it is a boundary word, or when jieba glued an adverb
    to a boundary verb of two or more characters ("贯彻落实", "积极响应").
    """
    if boundary_regex().fullmatch(token):
        return True
    if len(token) < 3 or token.endswith(tuple(compound_words())):
        return False
    ending = re.search(f"(?:{boundary_regex().pattern})$", token)
    return ending is not None and ending.start() > 0 and len(ending.group()) >= 2


def boundary_before(tokens: list[str], i: int) -> bool:
    """Whether token ``i``, alone or with the token before it ("发生"+"后"), is a boundary word."""
    pair = tokens[i - 1] + tokens[i] if i > 0 else ""
    return is_boundary_token(tokens[i]) or boundary_regex().fullmatch(pair) is not None


def followed_by_boundary(text: str, end: int) -> bool:
    """Whether the name ending at ``end`` is followed by punctuation, a digit, the end or a boundary word."""
    rest = text[end:]
    if not rest or not re.match(f"[{HAN}]", rest):
        return True
    return is_boundary_token(tokenize(rest[:8])[0]) or boundary_regex().match(rest) is not None


def preceded_by_boundary(text: str, start: int) -> bool:
    """Whether a name starting at ``start`` is preceded by punctuation, the start or a boundary word."""
    before = text[:start]
    if not before or not re.search(f"[{HAN}]$", before):
        return True
    tokens = tokenize(before[-8:])
    return boundary_before(tokens, len(tokens) - 1)


def is_han(ch: str) -> bool:
    return chars.is_han(ch) and ch not in HAN_SEPARATORS


def han_run_start(text: str, end: int, limit: int) -> int:
    """Start of the run of Han characters (and parenthesized Han groups: "中意联动科技(天津)")
    ending at ``end``; after a number, the count, amount or date it ends with is left out
    ("27日福建荣建集团" starts at 福建)."""
    start = end
    while start > limit:
        ch = text[start - 1]
        if ch in ")）":
            opening = _opening_parenthesis(text, start - 1, limit)
            if opening is None:
                break
            start = opening
        elif not is_han(ch):
            break
        else:
            start -= 1
    while start < end and text[start] in ")）(（":
        start += 1
    if start > 0 and text[start - 1].isdigit():
        counted = NUMBER_CLASSIFIER.match(text, start, end)
        start = counted.end() if counted else start
    return start


def _opening_parenthesis(text: str, closing: int, limit: int) -> int | None:
    """Where the parenthesis closed at ``closing`` opens, when it holds Han characters only."""
    i = closing - 1
    while i >= limit and closing - i <= MAX_PARENTHESIZED_CHARS + 1:
        if text[i] in "(（":
            return i if i < closing - 1 else None
        if not is_han(text[i]):
            return None
        i -= 1
    return None


def after_a_count(text: str, start: int) -> bool:
    """Whether the name starting at ``start`` comes right after a number of units ("1.4万支"):
    then it names a kind of which there are that many, not one organization."""
    counted = re.search(rf"\d[万亿千百十]*[余多]?[{COUNTING_CLASSIFIERS}]$", text[max(0, start - 8) : start])
    return counted is not None


def _chunk_has_suffix(chunk: str) -> bool:
    return any(p.regex.search(chunk) for p in patterns_in(chunk) if p.role in ("suffix", "subunit"))


def left_edge(text: str, suffix_start: int, limit: int) -> tuple[int, str | None]:
    """Where the name whose suffix starts at ``suffix_start`` begins, and the apposition head before it.

    Walks the jieba tokens before the suffix from right to left and stops after a
    boundary word (and a particle right after it: 搭建起) or an apposition head. A
    soft boundary (和 与 及 的) is crossed when the chunk before it starts with a
    place name and holds no organization of its own ("云南绿水青山环境与社会发展中心",
    "长沙市新的社会阶层人士联谊会").
    """
    run_start = han_run_start(text, suffix_start, max(limit, suffix_start - MAX_NAME_CHARS))
    tokens = tokenize(text[run_start:suffix_start])
    offsets = list(accumulate(map(len, tokens), initial=0))
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i]
        pair = tokens[i - 1] + token if i > 0 else ""
        head = _apposition_head(token, pair)
        if head:
            return place_start(text, run_start + offsets[i + 1], suffix_start), head
        if token in PARTICLES_AFTER_VERB and i > 0 and boundary_before(tokens, i - 1):
            return place_start(text, run_start + offsets[i + 1], suffix_start), None
        if boundary_before(tokens, i):
            if token in SOFT_BOUNDARIES and _joins_across(tokens[:i], tokens[i + 1 : i + 2]):
                continue
            if i == len(tokens) - 1 and _verb_in_name(token, tokens[:i]):
                continue
            return place_start(text, run_start + offsets[i + 1], suffix_start), None
    return place_start(text, run_start, suffix_start), None


def _verb_in_name(token: str, tokens_before: list[str]) -> bool:
    """Whether a boundary verb right before the suffix is a word of the name ("贵州省招标采购协会"):
    when the words before it open with a place and hold no organization."""
    if len(token) < 2 or token not in dictionary_tags()[1]:
        return False
    chunk = "".join(tokens_before[_chunk_start(tokens_before) :])
    return 0 < len(chunk) <= MAX_JOINED_CHUNK and starts_with_place_name(chunk) and not _chunk_has_suffix(chunk)


def _chunk_start(tokens: list[str]) -> int:
    """Index of the first token after the last boundary word or apposition head in ``tokens``."""
    first = len(tokens)
    while first > 0 and not boundary_before(tokens, first - 1):
        if tokens[first - 1] in apposition_heads():
            break
        first -= 1
    return first


def _apposition_head(token: str, pair: str) -> str | None:
    """The apposition head a token, or the token with the one before, is or ends with
    ("协会会员"+"单位": 会员单位)."""
    heads = apposition_heads()
    for word in (token, pair):
        if word in heads:
            return word
    return next((h for h in heads if len(h) > len(token) and pair.endswith(h)), None)


def place_start(text: str, start: int, end: int) -> int:
    """Where the name in ``text[start:end]`` begins: at its first place when words that are
    no part of a name stand before it.

    A name opens with its place ("大连市慈善总会", "省慈善总会"), so the words before the
    first place are cut off when one of them is a verb, adverb, pronoun, numeral or other
    word that is no part of a name (jieba's tags) and the boundary words let it through:
    "亿余元大连市", "本次疫情临沂市", "已经有潍坊市", "正是省", "另外宁化". They are kept when
    they hold an organization ("武汉大学深圳校友会", "中欧校友总会湖北分会"), begin with a
    place ("新疆生产建设兵团第一师阿拉尔市"), open a name before its place ("中国共产党天津市",
    ``org_name_openers.txt``), or end in a single character that begins an unknown place
    name with the place ("留固镇", "崖州区").
    """
    tokens = tokenize(text[start:end])
    not_name = dictionary_tags()[1]
    offset = 0
    for i, token in enumerate(tokens):
        if is_place_token(token):
            if i == 0:
                return start
            before = tokens[i - 1]
            prefix = text[start : start + offset]
            if before in ("(", "（", *PLACEHOLDERS) or (len(before) == 1 and before not in WORD_ENDING_CHARS):
                return start
            if (
                prefix.endswith(name_openers())
                or _chunk_has_suffix(prefix)
                or starts_with_place_name(prefix)
                or not any(t in not_name or t in WORD_ENDING_CHARS for t in tokens[:i])
            ):
                return start
            return start + offset
        offset += len(token)
    return start


def _joins_across(tokens_before: list[str], token_after: list[str]) -> bool:
    """Whether the chunk before a soft boundary is the first part of the same name: it opens
    with a place and holds no organization, and is more than a place, or what follows the
    boundary cannot begin a name ("铜陵市与我同行爱心协会")."""
    chunk = "".join(tokens_before[_chunk_start(tokens_before) :])
    return (
        0 < len(chunk) <= MAX_JOINED_CHUNK
        and starts_with_place_name(chunk)
        and (chunk not in place_names() or token_after[:1] in ([p] for p in PERSONAL_PRONOUNS))
        and not _chunk_has_suffix(chunk)
    )


# ---------------------------------------------------------------- names


def _strip_generic_prefix(name: str) -> str:
    words = generic_words()
    while name.startswith(words):
        word = next(w for w in words if name.startswith(w))  # the longest
        name = name[len(word) :]
    return name


def _strip_suffixes(name: str) -> str:
    patterns = patterns_in(name)  # what is left is a prefix of name: no other pattern can match it
    stripped = True
    while stripped and name:
        stripped = False
        for pattern in patterns:
            if pattern.role in ("word", "type"):  # a type pattern may span the whole name (致公党...委员会)
                continue
            match = pattern.regex.search(name)
            while match and match.end() != len(name):
                match = pattern.regex.search(name, match.start() + 1)
            if match and match.group():
                name, stripped = name[: match.start()], True
                break
        else:
            if name.endswith(generic_words()):
                word = next(w for w in generic_words() if name.endswith(w))  # the longest
                name, stripped = name[: -len(word)], True
    return name


@lru_cache(maxsize=EXTRACTION_CACHE_SIZE)
def is_specific_name(name: str) -> bool:
    """Whether ``name`` singles out one organization (not "各级社会组织", "该协会党支部", "当地政府").

    Generic modifiers are stripped from the front and suffixes and generic words from
    the end until nothing changes; a specific name keeps something, if only an
    administrative level ("市政府"), but not levels alone ("区县慈善协会", "各盟市工商联").
    A name with a word for a set in it ("广州市海珠区各级政府", "重庆市相关区县慈善会";
    ``org_set_words.txt``) names many.
    """
    if any(word in name for word in set_words()) or PLACES_COUNTED.search(name):
        return False
    rest, before = name, None
    while rest and rest != before:
        before = rest
        rest = _strip_generic_prefix(_strip_suffixes(rest))
    return bool(rest) and not (len(rest) >= 2 and set(rest) <= LEVEL_CHARS)


def _suffix_matches(sentence: str) -> list[tuple[int, int, OrgPattern]]:
    """Non-overlapping suffix matches, longest first at each place, in text order."""
    found = []
    for pattern in patterns_in(sentence):
        if pattern.role == "type":
            continue
        for match in pattern.regex.finditer(sentence):
            if match.end() > match.start():
                found.append((match.start(), match.end(), pattern))
    # the head wins: a match ending later replaces one it overlaps (义工联 in 义工联合会)
    found.sort(key=lambda m: (-m[1], -(m[1] - m[0]), -m[2].priority))
    kept: list[tuple[int, int, OrgPattern]] = []
    for start, end, pattern in found:
        if not any(start < e and s < end for s, e, _ in kept):
            kept.append((start, end, pattern))
    return sorted(kept, key=lambda m: (m[1], m[0]))


def _appositive_names(sentence: str) -> list[OrgMention]:
    """Names without a suffix right after an apposition head ("会员企业某某科技成立...")."""
    mentions = []
    for head, org_type in apposition_heads().items():
        if org_type in (HUB_TYPE, ""):
            continue
        for match in re.finditer(head, sentence):
            start = match.end()
            run_end = start
            while run_end < len(sentence) and chars.is_han(sentence[run_end]):
                run_end += 1
            name = ""
            for token in tokenize(sentence[start:run_end]):
                if is_boundary_token(token):
                    break
                name += token
            is_unknown_word = not name_segmenter().FREQ.get(name)
            if (
                2 <= len(name) <= 6
                and len(name) < run_end - start
                and is_unknown_word
                and not _chunk_has_suffix(name)
            ):
                mentions.append(OrgMention(name, start, start + len(name), org_type))
    return mentions


def extract_organizations(sentence: str) -> list[OrgMention]:
    """Organizations named in ``sentence`` (simplified text), in text order.

    The result depends only on the sentence and the lexicons, so it is cached: the
    extract stage asks for the names of each sentence twice (for the organizations
    table and to mask names before activity coding), and the second time is free.
    """
    return list(_extract_organizations(sentence))


@lru_cache(maxsize=EXTRACTION_CACHE_SIZE)
def _extract_organizations(sentence: str) -> tuple[OrgMention, ...]:
    accepted: list[OrgMention] = []
    for start, end, pattern in _suffix_matches(sentence):
        if pattern.role == "word":
            if not (preceded_by_boundary(sentence, start) and followed_by_boundary(sentence, end)):
                continue
            accepted.append(OrgMention(sentence[start:end], start, end, pattern.org_type))
            continue
        if pattern.needs_boundary_after and not followed_by_boundary(sentence, end):
            continue
        previous = accepted[-1] if accepted else None
        name_start, head = left_edge(sentence, start, previous.end if previous else 0)
        if pattern.named and not opens_with_place(sentence[name_start:start]):
            name_start = start  # 中总亦透过中联办, 期望港府: a body named by itself
        joins_previous = (
            previous is not None
            and not pattern.named
            and name_start == previous.end
            and (pattern.role in ("subunit", "attached") or not opens_with_place(sentence[name_start:end]))
        )
        if joins_previous:
            name_start = previous.start
        elif pattern.role == "attached":
            continue
        name_start, name = quoted_name(sentence, name_start, end)
        if len(name) < pattern.min_chars or not (pattern.named or is_specific_name(name)):
            continue
        if pattern.short_names_only and len(name) > MAX_SHORT_NAME_CHARS:
            continue
        counted = after_a_count(sentence, name_start) and followed_by_boundary(sentence, end)
        if counted or is_source_line(sentence, name_start):
            continue
        if pattern.media and is_byline(sentence, name_start, end):
            continue
        if joins_previous:
            accepted.pop()
        context = HUB_TYPE if apposition_heads().get(head or "") == HUB_TYPE else ""
        accepted.append(OrgMention(name, name_start, end, classify_org_type(name, context)))
    accepted.extend(m for m in _appositive_names(sentence) if not _overlaps(m, accepted))
    accepted.extend(m for m in latin_names(sentence) if not _overlaps(m, accepted))
    return tuple(sorted(accepted, key=lambda m: m.start))


@cache
def latin_name_regex() -> tuple[re.Pattern, Mapping[str, str]]:
    """Names in Latin script ("One Foundation"): capitalized words before a head of
    ``org_latin_heads.csv``, and the type of each head."""
    types = {row["head"]: row["org_type"] for row in read_lexicon_rows("org_latin_heads.csv")}
    heads = "|".join(re.escape(h) for h in sorted(types, key=len, reverse=True))
    word = r"[A-Z][A-Za-z0-9&'’.-]*"
    tail = rf"(?:\s+(?:for|of|on)(?:\s+(?:the|and))?(?:\s+{word}){{1,5}})?"  # ... Foundation for Poverty Alleviation
    pattern = rf"(?<![A-Za-z])(?:{word}\s+(?:(?:of|for|and|the|&)\s+)?){{1,6}}(?P<head>{heads}){tail}(?![A-Za-z])"
    return re.compile(pattern), MappingProxyType(types)


def latin_names(sentence: str) -> list[OrgMention]:
    """Organizations named in Latin script in ``sentence`` ("One Foundation", "Give2Asia Fund")."""
    if not re.search("[A-Z]", sentence):
        return []
    regex, types = latin_name_regex()
    return [OrgMention(m.group(), m.start(), m.end(), types[m.group("head")]) for m in regex.finditer(sentence)]


def quoted_name(sentence: str, start: int, end: int) -> tuple[int, str]:
    """The start and the text of the name ``sentence[start:end]`` with a quoted brand before it:
    "“敲门大姐”志愿服务队" is the name 敲门大姐志愿服务队 (the span keeps the quotation marks)."""
    name = sentence[start:end]
    if start == 0 or sentence[start - 1] not in CLOSING_QUOTES:
        return start, name
    opening = sentence.rfind(OPENING_QUOTES[CLOSING_QUOTES.index(sentence[start - 1])], 0, start - 1)
    quoted = sentence[opening + 1 : start - 1]
    if opening < 0 or not 0 < len(quoted) <= MAX_QUOTED_CHARS or not all(map(is_han, quoted)):
        return start, name
    if sentence[:opening].endswith(generic_words()):
        return start, name  # 全市“双百工程”社工站: every station of a programme
    return opening, quoted + name


def is_source_line(sentence: str, start: int) -> bool:
    """Whether a name at ``start`` is the source of the report ("来源:潍坊日报"), not an actor."""
    return SOURCE_LABEL.search(sentence, max(0, start - 8), start) is not None


def is_byline(sentence: str, start: int, end: int) -> bool:
    """Whether a media name is a byline or a masthead: in parentheses ("(中国日报大连记者站)")
    or standing apart, before a space or at the end ("星岛日报 中总再度..."), not in a sentence
    ("告诉长江日报记者")."""
    after = sentence[end : end + 1]
    return sentence[start - 1 : start] in ("(", "（") or after.strip() == "" or after in "/|"


def opens_with_place(piece: str) -> bool:
    """Whether a name piece right after another name opens with a place or a level of its own
    ("市委市政府", "党委、政府"): then it is a second name, not a part of the one before
    ("鞍钢集团总医院", "河北省民政厅社会组织管理局", "宁夏党委统战部")."""
    if not piece:
        return False
    return piece[:1] in LEVEL_TOKENS or starts_with_place_name(piece) or is_place_token(tokenize(piece)[0])


def _overlaps(mention: OrgMention, others: list[OrgMention]) -> bool:
    return any(mention.start < o.end and o.start < mention.end for o in others)


# ---------------------------------------------------------------- types


@lru_cache(maxsize=EXTRACTION_CACHE_SIZE)
def head_type(name: str) -> str:
    """The type given by the head of ``name``: its rightmost type pattern.

    Ties at the same end go to the longer match, then to the higher priority. Heads
    that defer ("保障组", "协调平台") take the type of the organization before them
    and give their own type only when nothing else matches.
    """
    best: tuple | None = None
    deferred: tuple | None = None
    for pattern in patterns_in(name):
        for match in pattern.regex.finditer(name):
            if match.end() == match.start():
                continue
            key = (match.end(), match.end() - match.start(), pattern.priority)
            if pattern.defers_type:
                if deferred is None or key > deferred[0]:
                    deferred = (key, pattern.org_type)
            elif best is None or key > best[0]:
                best = (key, pattern.org_type)
    if best is not None:
        return best[1]
    return deferred[1] if deferred else "other"


def classify_org_type(name: str, context: str = "") -> str:
    """The org type of ``name``; ``context`` is the text around it or an implied type.

    A social organization named as the hub of a network (after "枢纽机构", in a
    section introduced as a hub, or "作为...枢纽组织") is ``hub_support``; party,
    government, mass organizations and firms keep their own type.
    """
    org_type = head_type(name)
    if org_type in TYPES_KEPT_IN_HUB_CONTEXT:
        return org_type
    if (
        context == HUB_TYPE
        or HUB_INTRODUCTION.search(context or "")
        or HUB_ROLE_IN_SENTENCE.search(context or "")
    ):
        return HUB_TYPE
    return org_type


# ---------------------------------------------------------------- table


def _mentions_in_context(sentence: str, previous: str) -> list[OrgMention]:
    """Mentions of one sentence, typed with the hub context of the sentence and the one before."""
    mentions = extract_organizations(sentence)
    result = []
    for index, mention in enumerate(mentions):
        context = ""
        is_heading_line = mention.start == 0 and mention.end >= len(sentence.rstrip("。：: "))
        if is_heading_line and HUB_INTRODUCTION.search(previous):
            context = HUB_TYPE
        elif index == 0 and HUB_ROLE_IN_SENTENCE.search(sentence[mention.end :]):
            context = HUB_TYPE
        if context:
            mention = OrgMention(
                mention.name, mention.start, mention.end, classify_org_type(mention.name, context)
            )
        result.append(mention)
    return result


@lru_cache(maxsize=EXTRACTION_CACHE_SIZE)
def city_in_name(name: str, province: str, section_city: str, find_places=None) -> str:
    """The city of an organization: the first place of the section's province its name holds.

    ``吴忠市志愿者联合会`` in a section about 银川 -> 吴忠市; a name that starts from the
    province (``陕西省慈善协会``) is province-wide -> ``''``; a name with no place of that
    province keeps the section's city. The province is always the section's.
    """
    if not province or find_places is None:
        return section_city
    for place in find_places(name, prefer_province=province):
        if place.province != province:
            continue
        if place.level == "province" or province in MUNICIPALITIES:
            return ""
        return place.city or section_city
    return section_city


def organizations_table(
    sentences: pd.DataFrame,
    sections: pd.DataFrame,
    dedupe: bool = True,
    in_body_only: bool = True,
) -> pd.DataFrame:
    """One row per organization mention (or per name and document with ``dedupe``).

    ``sentences`` needs doc_id, section_id, sentence_id, text, char_start;
    ``sections`` gives each section's province, city and in_body; the city is the one
    the name holds, if any (:func:`city_in_name`). Character spans
    are document offsets. With ``dedupe`` the first mention of each name in a
    document is kept, and the type is ``hub_support`` when any mention of the name
    in the document is in hub context.
    """
    return pd.DataFrame(organization_rows(sentences, sections, dedupe, in_body_only),
                        columns=ORGANIZATION_COLUMNS)


def organization_rows(
    sentences: pd.DataFrame,
    sections: pd.DataFrame,
    dedupe: bool = True,
    in_body_only: bool = True,
) -> list[tuple]:
    """The rows of :func:`organizations_table` as tuples in the order of ``ORGANIZATION_COLUMNS``."""
    regions = section_regions(sections)
    find_places = default_find_places()
    by_section: dict[tuple, list[tuple]] = {}
    for row in zip(*column_lists(sentences, "doc_id", "section_id", "sentence_id", "text", "char_start"),
                   strict=True):
        by_section.setdefault((row[0], row[1]), []).append(row)
    rows = []
    previous = ""
    for (doc_id, section_id), group in by_section.items():
        province, city, in_body = regions.get((doc_id, int(section_id)), ("", "", True))
        if in_body_only and not in_body:
            continue
        for _, _, sentence_id, text, char_start in sorted(group, key=lambda r: r[2]):
            for mention in _mentions_in_context(text, previous):
                cty = city_in_name(mention.name, province, city, find_places)
                rows.append((doc_id, sentence_id, mention.name, mention.org_type, province, cty,
                             int(char_start) + mention.start, int(char_start) + mention.end))
            previous = text
    rows.sort(key=lambda r: (r[0], r[6]))
    if dedupe:
        hub_names = {(r[0], r[2]) for r in rows if r[3] == HUB_TYPE}
        first: dict[tuple[str, str], tuple] = {}
        for r in rows:
            first.setdefault((r[0], r[2]), r)
        rows = [r[:3] + (HUB_TYPE if key in hub_names else r[3],) + r[4:] for key, r in first.items()]
    return rows
