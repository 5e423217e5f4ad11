"""Places of China: recognise provinces, prefecture cities and counties in Chinese text.

The gazetteer is built from the administrative-division table that ships with
``cpca`` (``cpca/resources/adcodes.csv``: every province, prefecture-level city
and county with its adcode). Each unit is known by its full name (``陕西省``,
``西安市``, ``邻水县``, ``恩施土家族苗族自治州``); provinces and prefecture
cities are also known by their short names (``陕西``, ``西安``, ``恩施``), and autonomous
prefectures by the short name with 州 (``恩施州``, ``凉山州``).
Counties are matched only by full name: short county names (``和平``, ``城关``,
``新城``) are everyday words or repeat across the country.

Precision rules (all data files under ``lexicons/``, so a researcher can extend them):

* ``gazetteer_excluded_short_names.txt``: short names never matched alone (``来宾``, ``白银``);
* ``gazetteer_false_friends.txt``: words that contain a place name without naming it
  (``哈密瓜``, ``长治久安``); matches inside them are ignored;
* ``gazetteer_street_suffixes.txt``: a short name followed by ``路``/``街``/``大道`` is a street
  (``四平路``), not the place;
* ``gazetteer_suffix_words.txt``: ``东方市场`` is ``东方`` + ``市场``, not the city ``东方市``;
* ``gazetteer_extra_places.csv``: units renamed or created after the adcode table
  (``鄠邑区``, ``雄安新区``), and usual short names that are not a name's first characters
  (``巴州`` for 巴音郭楞蒙古自治州); a row replaces a table unit of the same name.

A name shared by several units (``普陀区`` in 上海 and 舟山, ``长安区`` in 西安 and 石家庄)
is resolved by the other places in the same text, or by ``prefer_province``; when
that fails it is dropped (when all candidates lie in one province, the province is kept).
A short name shared by a province and a prefecture (``吉林``, ``海南``) means the province.

Municipalities (北京, 天津, 上海, 重庆) are provinces: ``normalize_region('上海') ==
('上海市', '')``. County-level cities administered directly by a province (仙桃市, 济源市)
count as cities.

Who acted decides where a fact belongs, so :func:`acting_places` keeps only the places a
text names as where someone is, dropping:

* other parties: receivers of help, channels and partners, i.e. the places after a word of
  giving, sending or joining (``向武汉捐赠``, ``支援湖北``, ``捐赠给急需消毒液的鹤壁市城管局、
  滑县卫健委``, ``联合新疆广播电视台``), to the end of its clause
  (``gazetteer_other_party_markers.csv``);
* a home place inside a name: a place written right after another place that does not
  contain it (``南宁萍乡商会``, ``山西省浙江商会``, ``郑州市滑县商会``) names where the members
  come from; the first place is where the body is based;
* origins: ``萍乡籍`` (a native of 萍乡);
* the place of a news dateline (``新华社南宁3月2日电``), where the report was filed.
"""

from __future__ import annotations

import bisect
import importlib.util
import itertools
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import ahocorasick

from ..corpus.lexicons import read_lexicon_rows, read_word_list

CPCA_RESOURCES = Path(next(iter(importlib.util.find_spec("cpca").submodule_search_locations))) / "resources"
"""cpca's data folder, found without importing cpca (which reads all its tables at import, half a second)."""
ADCODES_CSV = CPCA_RESOURCES / "adcodes.csv"
NATIONS_CSV = CPCA_RESOURCES / "56_nations.csv"

#: Province-level short names that are not the full name minus its suffix.
PROVINCE_SHORT_NAMES = {
    "内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏", "新疆维吾尔自治区": "新疆",
    "香港特别行政区": "香港", "澳门特别行政区": "澳门",
}
#: Placeholder rows of the adcode table that name no place.
PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "城区", "郊区", "矿区"}
DIRECT_COUNTY_PARENTS = {"省直辖县级行政区划", "自治区直辖县级行政区划"}
LEVEL_RANK = {"province": 0, "city": 1, "county": 2}


@dataclass(frozen=True)
class Place:
    """One administrative unit: its names and the province and city it belongs to."""

    name: str
    level: str  # 'province' | 'city' | 'county'
    province: str
    city: str  # full prefecture name; '' for provinces, municipalities' districts, ...
    county: str = ""


@dataclass(frozen=True)
class PlaceMention:
    """A place named in a text: ``text[start:end] == surface``."""

    start: int
    end: int
    surface: str
    province: str
    city: str
    county: str
    level: str  # 'province' | 'city' | 'county'


@dataclass(frozen=True)
class _Entry:
    """What a surface string may refer to (several candidates when ambiguous)."""

    candidates: tuple[Place, ...]
    is_short: bool
    blocker: bool = False  # a false-friend word: matched only to be ignored


@lru_cache(maxsize=1)
def _ethnic_group_names() -> tuple[str, ...]:
    return tuple(sorted(read_word_list(NATIONS_CSV), key=len, reverse=True))


def short_name(full: str, level: str) -> str:
    """The everyday short name of a province or prefecture (``''`` when there is none).

    ``陕西省`` -> ``陕西``; ``西安市`` -> ``西安``; ``阿里地区`` -> ``阿里``;
    ``恩施土家族苗族自治州`` -> ``恩施``; ``兴安盟`` -> ``兴安``.
    """
    if full in PROVINCE_SHORT_NAMES:
        return PROVINCE_SHORT_NAMES[full]
    stem = full
    for suffix in ("自治州", "地区", "省", "市", "盟"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    if full.endswith("自治州"):  # drop the ethnic groups: 恩施土家族苗族 -> 恩施
        stripped = True
        while stripped:
            stripped = False
            for nation in _ethnic_group_names():
                for form in (nation, nation.removesuffix("族")):
                    if len(form) >= 1 and stem.endswith(form) and len(stem) - len(form) >= 2:
                        stem = stem[: -len(form)]
                        stripped = True
                        break
    return stem if len(stem) >= 2 and stem != full else ""


@lru_cache(maxsize=1)
def _adcode_rows() -> tuple[tuple[str, str], ...]:
    """``(adcode, name)`` of every unit in cpca's code table."""
    return tuple((r["adcode"], r["name"].strip()) for r in read_lexicon_rows(ADCODES_CSV))


@lru_cache(maxsize=1)
def load_places() -> tuple[Place, ...]:
    """Every province, prefecture city and county of the adcode table, as :class:`Place`."""
    rows = _adcode_rows()
    names = dict(rows)
    places = []
    for code, name in rows:
        province = names.get(code[:2] + "0" * 10, "")
        if code[2:] == "0" * 10:
            places.append(Place(name, "province", name, ""))
        elif name in PLACEHOLDER_NAMES:
            continue
        elif code[4:] == "0" * 8:
            places.append(Place(name, "city", province, name))
        elif code[6:] == "0" * 6:
            parent = names.get(code[:4] + "0" * 8, "")
            if parent in DIRECT_COUNTY_PARENTS and name.endswith("市"):
                places.append(Place(name, "city", province, name))
            else:
                city = "" if parent in PLACEHOLDER_NAMES or parent in DIRECT_COUNTY_PARENTS else parent
                places.append(Place(name, "county", province, city, name))
    return _with_extra_places(places)


def _with_extra_places(places: list[Place]) -> tuple[Place, ...]:
    """``places`` updated by ``gazetteer_extra_places.csv`` (units renamed or created since)."""
    extra = [Place(r["name"], r["level"], r["province"], r["city"], r["name"] if r["level"] == "county" else "")
             for r in read_lexicon_rows("gazetteer_extra_places.csv")]
    replaced = {p.name for p in extra}
    return tuple([p for p in places if p.name not in replaced] + extra)


#: Full names of the 34 province-level units (incl. municipalities, HK, Macao, Taiwan).
PROVINCES: list[str] = [p.name for p in load_places() if p.level == "province"]


@lru_cache(maxsize=1)
def _surface_index() -> Mapping[str, _Entry]:
    """Every recognised surface string and the places it may denote."""
    excluded = set(read_word_list("gazetteer_excluded_short_names.txt"))
    full: dict[str, list[Place]] = {}
    short: dict[str, list[Place]] = {}
    for place in load_places():
        full.setdefault(place.name, []).append(place)
        if place.level in ("province", "city"):
            alias = short_name(place.name, place.level)
            if place.name in _direct_county_cities():
                alias = ""  # county-level cities (仙桃市, 东方市): full name only
            if alias and alias not in excluded:
                short.setdefault(alias, []).append(place)
                if place.name.endswith("自治州"):
                    short.setdefault(alias + "州", []).append(place)  # 恩施州, 凉山州, 湘西州
    index: dict[str, _Entry] = {}
    for surface, cands in short.items():
        top = min(LEVEL_RANK[c.level] for c in cands)  # 吉林/海南: the province wins
        index[surface] = _Entry(tuple(c for c in cands if LEVEL_RANK[c.level] == top), True)
    for surface, cands in full.items():
        index[surface] = _Entry(tuple(cands), False)
    for word in read_word_list("gazetteer_false_friends.txt"):
        index[word] = _Entry((), False, blocker=True)
    return MappingProxyType(index)


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Every name :func:`find_places` takes for a place: the full name of every unit and the
    short names of provinces and prefecture cities (not the false friends it only blocks)."""
    return frozenset(surface for surface, entry in _surface_index().items() if not entry.blocker)


@lru_cache(maxsize=1)
def _direct_county_cities() -> frozenset[str]:
    rows = _adcode_rows()
    names = dict(rows)
    return frozenset(
        name for code, name in rows
        if code[6:] == "0" * 6 and code[4:6] != "00"
        and names.get(code[:4] + "0" * 8, "") in DIRECT_COUNTY_PARENTS
    )


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for surface, entry in _surface_index().items():
        automaton.add_word(surface, (surface, entry))
    automaton.make_automaton()
    return automaton


@lru_cache(maxsize=1)
def _street_suffixes() -> tuple[str, ...]:
    return tuple(sorted(read_word_list("gazetteer_street_suffixes.txt"), key=len, reverse=True))


@lru_cache(maxsize=1)
def _suffix_words() -> frozenset[str]:
    return frozenset(read_word_list("gazetteer_suffix_words.txt"))


def _raw_matches(text: str) -> list[tuple[int, int, str, _Entry]]:
    """Leftmost-longest matches, with the 市场/区域 and street-name rules applied."""
    index = _surface_index()
    found = []
    for last, (surface, entry) in _automaton().iter_long(text):
        start, end = last - len(surface) + 1, last + 1
        if entry.blocker:
            continue
        if not entry.is_short and surface[-1] + text[end:end + 1] in _suffix_words():
            surface, end = surface[:-1], end - 1  # 东方市场 -> 东方 + 市场
            entry = index.get(surface)
            if entry is None or not entry.is_short:
                continue
        if entry.is_short and text.startswith(_street_suffixes(), end):
            continue  # 四平路, 南京东路
        found.append((start, end, surface, entry))
    return found


def _mention(start: int, end: int, surface: str, place: Place) -> PlaceMention:
    return PlaceMention(start, end, surface, place.province, place.city, place.county, place.level)


def _resolve(cands: tuple[Place, ...], cities: Counter, provinces: Counter,
             prefer_province: str) -> Place | None:
    """The one candidate the context supports, or ``None``."""
    for support in (lambda p: cities[p.city] if p.city else 0,
                    lambda p: provinces[p.province],
                    lambda p: int(p.province == prefer_province)):
        scores = [support(c) for c in cands]
        best = max(scores)
        if best > 0 and scores.count(best) == 1:
            return cands[scores.index(best)]
    same_province = {c.province for c in cands}
    if len(same_province) == 1:
        c = cands[0]
        return Place(c.name, "province", c.province, "")
    return None


def find_places(text: str, prefer_province: str = "") -> list[PlaceMention]:
    """The places named in ``text``, in order, without overlaps.

    Ambiguous names are resolved by the unambiguous places of the same text, then by
    ``prefer_province`` (e.g. the region of the section a sentence comes from).
    """
    matches = _raw_matches(text)
    context = None  # counts of the unambiguous places, made when a name needs them
    mentions = []
    for start, end, surface, entry in matches:
        if len(entry.candidates) == 1:
            place = entry.candidates[0]
        else:
            context = context or _unambiguous_counts(matches)
            place = _resolve(entry.candidates, *context, prefer_province)
            if place is None:
                continue
        mentions.append(_mention(start, end, surface, place))
    return mentions


def _unambiguous_counts(matches: list[tuple[int, int, str, _Entry]]) -> tuple[Counter, Counter]:
    """How often each city and each province is named by a match with one candidate."""
    cities: Counter = Counter()
    provinces: Counter = Counter()
    for _s, _e, _surface, entry in matches:
        if len(entry.candidates) == 1:
            place = entry.candidates[0]
            provinces[place.province] += 1
            if place.city:
                cities[place.city] += 1
    return cities, provinces


def _lookup(name: str) -> Place | None:
    entry = _surface_index().get(name.strip())
    if entry is None or entry.blocker or not entry.candidates:
        return None
    if len(entry.candidates) == 1:
        return entry.candidates[0]
    return _resolve(entry.candidates, Counter(), Counter(), "")


def province_of(name: str) -> str:
    """Full province name of a place name (``'孝感'`` -> ``'湖北省'``); ``''`` when unknown."""
    place = _lookup(name)
    return place.province if place else ""


def normalize_region(name: str) -> tuple[str, str]:
    """``(province, city)`` full names for a place name; ``('', '')`` when unknown.

    ``'西安'`` -> ``('陕西省', '西安市')``; ``'英德市'`` -> ``('广东省', '清远市')``;
    ``'上海'`` -> ``('上海市', '')``; ``'陕西'`` -> ``('陕西省', '')``.
    """
    place = _lookup(name)
    return (place.province, place.city) if place else ("", "")


# --- the places where someone acts ------------------------------------------------------

#: A news dateline opening a sentence or line: the place in it is where the reporter files from,
#: not where the fact belongs (新华社南宁3月2日电, 本报南京8月9日电, 【大公报讯】记者陈思厦门报道：).
DATELINE_SOURCES = ("新华社", "中新社", "中新网", "人民网", "新华网", "央视网", "央广网", "本报", "本台", "本刊", "本网")
DATELINE_RE = re.compile(
    r"^\s*(?:【[^】]{1,12}】)?\s*[(（]?(?:"
    rf"(?:{'|'.join(DATELINE_SOURCES)})[^，。；,;]{{0,12}}?\d{{1,2}}月\d{{1,2}}日(?:电|讯)"
    r"|[^，。；,;]{0,20}?记者[^，。；,;]{1,16}?报道[:：]"
    r")",
    re.MULTILINE,
)
#: Words one of which every dateline holds: a text without them has none.
DATELINE_WORDS = (*DATELINE_SOURCES, "记者")
#: Where a receiver's phrase ends: a clause mark or a line break.
_CLAUSE_END = re.compile(r"[，,。；;：:！？!?\n]")
#: Longest receiver phrase read after a marker (捐赠给急需消毒液的鹤壁市城管局、…、滑县卫健委).
RECIPIENT_PHRASE_MAX = 60
#: What written right after a place makes it an origin, not where someone is (萍乡籍人士).
ORIGIN_SUFFIXES = ("籍",)


@lru_cache(maxsize=1)
def _other_party_markers() -> re.Pattern:
    """Words after which places belong to another party than the actor: receivers, channels,
    partners (``gazetteer_other_party_markers.csv``), as one regex."""
    rows = read_lexicon_rows("gazetteer_other_party_markers.csv")
    alternatives = []
    for row in sorted(rows, key=lambda r: len(r["marker"]), reverse=True):
        before = f"(?<![{re.escape(row['not_after'])}])" if row["not_after"] else ""
        after = f"(?![{re.escape(row['not_before'])}])" if row["not_before"] else ""
        alternatives.append(before + re.escape(row["marker"]) + after)
    return re.compile("|".join(alternatives))


def other_party_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that name other parties than the actor (receivers of help, channels,
    partners): from a marker (向, 支援, 捐赠给, 通过, 联合 ...) to the end of its clause."""
    spans = []
    for m in _other_party_markers().finditer(text):
        end = _CLAUSE_END.search(text, m.end(), m.end() + RECIPIENT_PHRASE_MAX)
        spans.append((m.end(), end.start() if end else min(len(text), m.end() + RECIPIENT_PHRASE_MAX)))
    return spans


def contains(outer: PlaceMention, inner: PlaceMention) -> bool:
    """True when ``inner`` lies inside ``outer`` (陕西省 > 西安市 > 雁塔区; 湖北 > 武汉)."""
    if outer.province != inner.province:
        return False
    if outer.level == "province":
        return True
    return outer.level == "city" and bool(outer.city) and inner.city == outer.city and inner.level == "county"


def acting_places(text: str, places: list[PlaceMention] | None = None) -> list[PlaceMention]:
    """The places of ``text`` (found when ``places`` is omitted) that may be where someone acts:
    not receivers, home places inside a name, origins or a dateline's place (see the module)."""
    if places is None:
        places = find_places(text)
    if not places:
        return []
    in_other_party = SpanCover(other_party_spans(text))
    in_dateline = SpanCover(dateline_spans(text))
    kept = []
    previous: PlaceMention | None = None
    for place in sorted(places, key=lambda p: p.start):
        home = previous is not None and previous.end == place.start and not contains(previous, place)
        previous = place
        if home or text.startswith(ORIGIN_SUFFIXES, place.end):
            continue
        if in_other_party(place.start) or in_dateline(place.start):
            continue
        kept.append(place)
    return kept


class SpanCover:
    """Whether a position lies in any of some ``(start, end)`` spans, in logarithmic time
    (a document's places against its spans cost the square of its length when each place
    was tested against every span)."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self._starts = [s for s, _ in spans]
        self._reach = list(itertools.accumulate((e for _, e in spans), max))

    def __call__(self, position: int) -> bool:
        i = bisect.bisect_right(self._starts, position) - 1
        return i >= 0 and self._reach[i] > position


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """The news datelines opening ``text`` or one of its lines (新华社南宁3月2日电)."""
    if not any(word in text for word in DATELINE_WORDS):
        return []
    line_starts = [0]
    while (newline := text.find("\n", line_starts[-1])) >= 0:
        line_starts.append(newline + 1)
    return [m.span() for m in (DATELINE_RE.match(text, start) for start in line_starts) if m]
