"""Synthetic corpora for the benchmarks: many distinct documents made from real reports.

Document ``i`` is template ``i % n`` (the seeds and the development corpus's 36
reports, in that order) with its places, organization names and numbers varied,
so no two documents are the same while each keeps its template's format (front
matter + HTML, scraped page with site boilerplate, Traditional characters,
pinyin-mangled text, ...):

- province and city names found in the seed are swapped, consistently within the
  document, for others of the same level from cpca's gazetteer (written in
  Traditional characters in a Traditional seed);
- the words between a place and an organization suffix (``深圳市[潮青]联谊会``)
  are swapped for others;
- every number that is not part of a date or a time gets random digits of the
  same length;
- every sentence opens with an attribution made of a random city, agency and
  issue number (``据南阳市民政局第37期简报，``), and every short line without a full
  stop (a heading, a caption, a byline) ends with a random issue mark, so that
  sentences without a number or a name do not repeat from copy to copy either
  (a benchmark on repeated sentences would flatter every cache).

The corpus is deterministic for a given ``seed``.
"""

from __future__ import annotations

import csv
import hashlib
import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cpca
import opencc

PROVINCE_SUFFIX = re.compile(r"(省|市|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区)$")
#: Provinces left out of the swaps (their reports are not in the study's scope).
OTHER_SYSTEMS = {"台湾", "香港", "澳门"}
#: Province-level cities: swapped only among themselves (``上海省`` would read oddly).
MUNICIPALITIES = ("北京", "天津", "上海", "重庆")
ORG_SUFFIXES = ("行业协会", "协会", "商会", "联谊会", "基金会", "服务中心", "促进会", "联合会",
                "研究会", "总会")
ORG_PREFIXES = ("餐饮", "物业管理", "律师", "医师", "青年", "义工", "慈善", "红十字", "志愿服务",
                "商贸", "建筑", "教育", "妇女", "老年", "环保", "文化", "体育", "科技", "心理",
                "社工", "物流", "家政", "药品", "潮汕", "客家", "温州", "企业家", "个体劳动者")
#: Spans whose digits stay as they are: dates, times and the front matter's date line.
PROTECTED = re.compile(
    r"^date:.*$"
    r"|\d{4}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}\s*日?"
    r"|\d{4}\s*年(\s*\d{1,2}\s*月)?"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|\d{1,2}\s*[月日]"
    r"|\d{1,2}:\d{2}(:\d{2})?",
    re.MULTILINE,
)
NUMBER = re.compile(r"[0-9]+")
#: Where a sentence starts: after 。！？ or a tag or at a line's start, before a Chinese character.
SENTENCE_START = re.compile(r"(?:(?<=[。！？；;>”」])|^)(?=[\u4e00-\u9fff“「0-9])", re.MULTILINE)
#: A line of Chinese without a full stop (a heading, a caption, a byline): it gets an issue mark.
SHORT_LINE = re.compile(r"^(?=[^\n]*[\u4e00-\u9fff])[^\n。]{1,40}?(?=\s*$|</)", re.MULTILINE)
AGENCIES = ("民政局", "社会组织管理局", "慈善总会", "社会组织总会", "红十字会", "志愿者协会",
            "社会工作协会", "工商联", "团委", "妇联")


@dataclass(frozen=True)
class Gazetteer:
    """Short province and city names (``陕西``, ``西安``) from cpca's table of places."""

    provinces: tuple[str, ...]
    cities: tuple[str, ...]
    province_of: dict[str, str]  # city -> its province

    def cities_of(self, province: str) -> tuple[str, ...]:
        return tuple(c for c in self.cities if self.province_of[c] == province)

    def same_kind(self, name: str) -> tuple[str, ...]:
        """The names ``name`` may be swapped for: municipalities, provinces or cities."""
        if name in MUNICIPALITIES:
            return MUNICIPALITIES
        if name in self.provinces:
            return tuple(p for p in self.provinces if p not in MUNICIPALITIES)
        return self.cities


@cache
def load_gazetteer() -> Gazetteer:
    """Provinces and prefecture-level cities (``…市``) of cpca/resources/adcodes.csv."""
    path = Path(cpca.__file__).parent / "resources" / "adcodes.csv"
    with path.open(encoding="utf-8") as f:
        rows = [(row["adcode"], row["name"]) for row in csv.DictReader(f)]
    province_by_code = {code[:2]: PROVINCE_SUFFIX.sub("", name) for code, name in rows
                        if code[2:] == "0" * 10}
    province_of = {name[:-1]: province_by_code[code[:2]] for code, name in rows
                   if code[4:] == "0" * 8 and code[2:] != "0" * 10 and name.endswith("市")
                   and name != "市辖区" and len(name) >= 3}
    provinces = set(province_by_code.values()) - OTHER_SYSTEMS
    province_of = {c: p for c, p in province_of.items() if c not in provinces and p in provinces}
    return Gazetteer(tuple(sorted(provinces)), tuple(sorted(province_of)), province_of)


@cache
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def is_traditional(text: str) -> bool:
    """Whether ``text`` is written in Traditional characters (most of its Chinese changes)."""
    simplified = opencc.OpenCC("t2s").convert(text)
    changed = sum(a != b for a, b in zip(text, simplified, strict=False))
    return changed > 0.05 * max(1, len(re.findall(r"[\u4e00-\u9fff]", text)))


@dataclass(frozen=True)
class SeedTemplate:
    """A seed document and the names to vary in it, found once."""

    name: str
    text: str
    traditional: bool
    provinces: tuple[str, ...]
    cities: tuple[str, ...]
    places: re.Pattern | None
    orgs: re.Pattern

    @classmethod
    def from_file(cls, path: Path, gazetteer: Gazetteer) -> SeedTemplate:
        text = path.read_bytes().decode("utf-8")
        traditional = is_traditional(text)
        spell = _to_traditional().convert if traditional else str
        provinces = tuple(p for p in gazetteer.provinces if spell(p) in text)
        cities = tuple(c for c in gazetteer.cities if spell(c) in text)
        names = sorted({spell(n) for n in provinces + cities}, key=len, reverse=True)
        places = re.compile("|".join(map(re.escape, names))) if names else None
        suffixes = "|".join(spell(s) for s in ORG_SUFFIXES)
        orgs = re.compile(rf"(?<=[{spell('省市县区')}])([\u4e00-\u9fff]{{2,4}}?)({suffixes})")
        return cls(path.stem, text, traditional, provinces, cities, places, orgs)

    def spell(self, text: str) -> str:
        """``text`` (simplified) in the seed's script."""
        return _to_traditional().convert(text) if self.traditional else text


def vary_document(template: SeedTemplate, rng: random.Random, gazetteer: Gazetteer) -> str:
    """One new document in the format of ``template``: places, organizations and numbers varied."""
    text = swap_places(template, rng, gazetteer)
    text = swap_org_prefixes(text, template, rng)
    return vary_sentences(vary_numbers(text, rng), template, rng, gazetteer)


def swap_places(template: SeedTemplate, rng: random.Random, gazetteer: Gazetteer) -> str:
    """The seed's provinces and cities, each swapped for a distinct other one of the same kind.

    A city whose province is swapped too becomes a city of the new province
    (湖北省武汉市 -> 湖南省长沙市), so places stay consistent.
    """
    if template.places is None:
        return template.text
    chosen: dict[str, str] = {}
    for old in template.provinces + template.cities:
        taken = set(chosen.values())
        candidates = [n for n in gazetteer.same_kind(old) if n not in taken]
        if old in gazetteer.province_of and gazetteer.province_of[old] in chosen:
            candidates = [c for c in gazetteer.cities_of(chosen[gazetteer.province_of[old]])
                          if c not in taken] or candidates
        chosen[old] = rng.choice(candidates)
    swaps = {template.spell(old): template.spell(new) for old, new in chosen.items()}
    return template.places.sub(lambda m: swaps[m.group()], template.text)


def swap_org_prefixes(text: str, template: SeedTemplate, rng: random.Random) -> str:
    """The word between a place and an organization suffix, swapped the same way within a document."""
    swaps: dict[str, str] = {}

    def swap(match: re.Match) -> str:
        old = match.group(1)
        if old not in swaps:
            swaps[old] = template.spell(rng.choice(ORG_PREFIXES))
        return swaps[old] + match.group(2)

    return template.orgs.sub(swap, text)


def vary_numbers(text: str, rng: random.Random) -> str:
    """Every number outside dates and times gets random digits (same length, no new leading 0)."""
    kept = [m.span() for m in PROTECTED.finditer(text)]
    out, last = [], 0
    for start, end in kept + [(len(text), len(text))]:
        out.append(NUMBER.sub(lambda m: _random_digits(m.group(), rng), text[last:start]))
        out.append(text[start:end])
        last = end
    return "".join(out)


def vary_sentences(text: str, template: SeedTemplate, rng: random.Random, gazetteer: Gazetteer) -> str:
    """Open every sentence with a random attribution; end every short line with a random issue mark."""
    def attribution(_match: re.Match) -> str:
        city, agency = rng.choice(gazetteer.cities), rng.choice(AGENCIES)
        return template.spell(f"据{city}市{agency}第{rng.randint(2, 999)}期简报，")

    def issue_mark(match: re.Match) -> str:
        return match.group() + template.spell(f"（{rng.choice(gazetteer.cities)}市第{rng.randint(2, 999)}期）")

    return SENTENCE_START.sub(attribution, SHORT_LINE.sub(issue_mark, text))


def _random_digits(number: str, rng: random.Random) -> str:
    first = number[0] if number[0] == "0" else str(rng.randint(1, 9))
    return first + "".join(str(rng.randint(0, 9)) for _ in number[1:])


def write_corpus(template_dirs: Path | list[Path], out_dir: Path, n_documents: int,
                 seed: int = 2020) -> list[Path]:
    """Write ``n_documents`` distinct documents made from the reports (``*.txt``) of ``template_dirs``."""
    gazetteer = load_gazetteer()
    dirs = [template_dirs] if isinstance(template_dirs, Path) else list(template_dirs)
    templates = [SeedTemplate.from_file(p, gazetteer) for d in dirs for p in sorted(d.glob("*.txt"))]
    if not templates:
        raise FileNotFoundError(f"no report documents (*.txt) in {', '.join(map(str, dirs))}")
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    written = []
    for i in range(n_documents):
        template = templates[i % len(templates)]
        text = vary_document(template, rng, gazetteer)
        while (digest := hashlib.sha256(text.encode("utf-8")).hexdigest()) in seen:
            text = vary_document(template, rng, gazetteer)
        seen.add(digest)
        path = out_dir / f"{i:06d}_{template.name}.txt"
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written
