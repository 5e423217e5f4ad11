"""Regional sections and sentences of a cleaned document.

A document is cut into *sections*, contiguous runs of lines that cover the whole
cleaned text, each with a region (province, city) and an ``in_body`` flag:

* **boilerplate runs** (navigation, footers, link lists: marked by :mod:`helpers.text.cleaning`)
  are sections of their own with ``in_body=False`` and no region;
* **articles**: a file may hold several articles. An article ends with a source line
  (``(据深圳社会组织动态)``, ``（来源：中国社会报）``) and the next headline-like line starts
  the next one; a headline-like line directly followed by a byline
  (``来源: 潍坊日报 作者: 吴晓强``) also starts one. An article's region is voted by the
  places it names (its headline, and the document title for the first article, weighing
  most); when no province dominates, the document's default region is used;
* **regional chapters**: inside an article, a short line that is just a place name
  (``安徽省``, ``陕西篇``, ``二、广安市``, ``（一）宁波市``), or a line that opens with a place
  name in brackets (``【南京】市社会组织联合会……``, ``[苏州]``), opens a chapter about that place.

Sentences are cut from in-body sections only, at 。！？；!?; and … and at line breaks,
never at commas; closing quotes stay with their sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ..corpus.chars import HAN_CHAR
from .gazetteer import PlaceMention, acting_places, find_places

#: Weight of a place named in the document title or an article's headline.
HEADLINE_WEIGHT = 3
#: A region heading is at most this long (after removing an enumerator such as 一、).
REGION_HEADING_MAX_CHARS = 12
#: What may follow a place name in a region heading: 安徽省篇, 西安地区, 广安片区.
REGION_HEADING_SUFFIXES = ("", "篇", "省", "市", "地区", "片区", "区", "县", "站", "分会", "板块")
HEADLINE_MAX_CHARS = 40

SENTENCE_END = "。！？；!?;…"
CLOSING_QUOTES = "”’」』\"'"
SENTENCE_PUNCT_RE = re.compile(r"[。！？；!?;…]")
#: Where a sentence may end: a line break or a sentence mark.
SENTENCE_CUT_RE = re.compile(rf"[\n{re.escape(SENTENCE_END)}]")
#: A letter, digit or Han character (what ``str.isalnum`` accepts).
ALNUM_RE = re.compile(r"[^\W_]")
ENUMERATOR_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]|[（(][一二三四五六七八九十\d]+[)）])\s*")
ATTRIBUTION_END_RE = re.compile(
    r"[（(]\s*(?:据|来源|来自|转自|摘自|稿源|选自|文章来源|转载自|本文来源)[^（）()]{1,40}[)）]\s*$"
)
SOURCE_LINE_RE = re.compile(r"^[（(]?\s*(?:来源|稿源|文章来源|转自|摘自|原标题)\s*[:：]")
BYLINE_RE = re.compile(
    r"^[（(]?\s*(?:来源|稿源|作者|记者|通讯员|撰稿|文|文/图|图/文|本报记者|本报通讯员)\s*[:：/]"
    r"|作者\s*[:：]"
)
#: A bracketed lead at the start of a line: 【南京】, [苏州], 〔宁波〕 (a place, or 大公报讯 ...).
BRACKET_HEAD_RE = re.compile(r"^[【\[［〔]\s*([^】\]］〕]{2,12}?)\s*[】\]］〕]")


@dataclass(frozen=True)
class Region:
    """A province (full name) and optionally a prefecture city; ``''`` when unknown."""

    province: str = ""
    city: str = ""


# --- line tests -------------------------------------------------------------------------


def is_headline_like(line: str) -> bool:
    """A short line without sentence punctuation that could be a headline."""
    line = line.strip()
    return (
        2 <= len(line) <= HEADLINE_MAX_CHARS
        and HAN_CHAR.search(line) is not None
        and not SENTENCE_PUNCT_RE.search(line)
        and line[-1] not in "，,：:、"
    )


def ends_with_attribution(line: str) -> bool:
    """The line closes an article with its source: ``……。(据澎湃新闻)``, ``来源：新华网``."""
    line = line.strip()
    return bool(ATTRIBUTION_END_RE.search(line) or SOURCE_LINE_RE.match(line))


def is_byline(line: str) -> bool:
    """A source/author line that opens an article: ``来源: 潍坊日报 作者: 吴晓强``."""
    line = line.strip()
    return len(line) <= 60 and "。" not in line and bool(BYLINE_RE.search(line))


def region_of_heading(line: str) -> Region | None:
    """The region a heading line names, when the line is nothing but a place name.

    ``安徽省`` -> 安徽省; ``二、广安市`` -> 四川省/广安市; ``陕西篇`` -> 陕西省;
    ``【南京】市社会组织联合会……`` -> 江苏省/南京市 (a bracketed place name leading the line);
    ``省级枢纽机构`` -> ``None``; ``【大公报讯】……`` -> ``None``.
    """
    bracket = BRACKET_HEAD_RE.match(line.strip())
    if bracket:
        region = _region_of_place_line(bracket.group(1))
        if region is not None:
            return region
    return _region_of_place_line(line)


def _region_of_place_line(line: str) -> Region | None:
    line = ENUMERATOR_RE.sub("", line.strip())
    if not line or len(line) > REGION_HEADING_MAX_CHARS or SENTENCE_PUNCT_RE.search(line):
        return None
    mentions = find_places(line)
    if len(mentions) != 1 or mentions[0].start != 0:
        return None
    place = mentions[0]
    if line[place.end:] not in REGION_HEADING_SUFFIXES:
        return None
    return Region(place.province, place.city if place.level != "province" else "")


# --- region voting -----------------------------------------------------------------------


def vote_region(weighted_texts: list[tuple[str, float]]) -> Region | None:
    """The region most named in the texts, or ``None`` when no province dominates.

    Every place where someone acts votes for its province (a city or county also votes
    for its city) with the weight of its text: receivers of help (``支援湖北``), home places
    inside a name (the 萍乡 of ``南宁萍乡商会``) and datelines do not vote
    (:func:`helpers.gazetteer.acting_places`). The winning province needs half of all votes; a city is
    added when it has at least 2 votes, 30 % of its province's votes and twice the
    votes of the next city, i.e. when the text is about one city.
    """
    provinces: Counter = Counter()
    cities: Counter = Counter()
    for text, weight in weighted_texts:
        for place in _acting_places(text):
            provinces[place.province] += weight
            if place.city:
                cities[(place.province, place.city)] += weight
    total = sum(provinces.values())
    if not total:
        return None
    province, score = provinces.most_common(1)[0]
    if score < 0.5 * total or (score < 2 and score < total):
        return None
    ranked = [(s, c) for (p, c), s in cities.most_common() if p == province]
    city = ""
    if ranked:
        best, name = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0
        if best >= 2 and best >= 0.3 * score and best >= 2 * runner_up:
            city = name
    return Region(province, city)


@lru_cache(maxsize=16)
def _acting_places(text: str) -> tuple[PlaceMention, ...]:
    """:func:`acting_places` of a text, read once when a document votes on it twice (the
    body of a one-article document is both the document's and its article's text)."""
    return tuple(acting_places(text))


# --- sections ----------------------------------------------------------------------------


def line_offsets(lines: list[str]) -> list[int]:
    """Start offset of each line in ``'\\n'.join(lines)``."""
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    return offsets


def _next_nonblank(lines: list[str], i: int) -> int | None:
    for j in range(i + 1, len(lines)):
        if lines[j].strip():
            return j
    return None


def _prev_nonblank(lines: list[str], i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if lines[j].strip():
            return j
    return None


def _has_prose_after(lines: list[str], body: list[bool], i: int) -> bool:
    return any(body[j] and len(lines[j]) >= 20 and SENTENCE_PUNCT_RE.search(lines[j])
               for j in range(i + 1, len(lines)))


def find_article_starts(lines: list[str], body: list[bool]) -> list[int]:
    """Indices of headline lines that start a further article in the same file."""
    first_body = next((i for i, b in enumerate(body) if b and lines[i].strip()), None)
    starts = []
    for i, line in enumerate(lines):
        if not body[i] or i == first_body or not is_headline_like(line):
            continue
        nxt, prev = _next_nonblank(lines, i), _prev_nonblank(lines, i)
        if nxt is None or not body[nxt] or not _has_prose_after(lines, body, i):
            continue
        # the source line may itself be marked as boilerplate (（本文来自澎湃新闻，请下载APP）)
        after_source = prev is not None and ends_with_attribution(lines[prev])
        before_byline = is_byline(lines[nxt]) and not is_byline(line)
        if after_source or before_byline:
            starts.append(i)
    return starts


def divide_into_sections(lines: list[str], boilerplate: list[str], title: str = "") -> list[dict]:
    """Cut a document (its cleaned lines) into contiguous regional sections.

    ``boilerplate[i]`` is the reason line ``i`` is not article body (``''`` for body
    lines and blank lines). Returns dicts with section_id, heading, province, city,
    in_body, char_start, char_end (offsets into ``'\\n'.join(lines)``).
    """
    if not lines:
        return [_section(0, "", Region(), False, 0, 0)]
    body = _body_flags(lines, boilerplate)
    article_starts = set(find_article_starts(lines, body))
    regions = _line_regions(lines, body, sorted(article_starts), title)
    offsets = line_offsets(lines)
    text_len = offsets[-1] + len(lines[-1])

    sections: list[dict] = []
    current = None  # (start line, in_body, region)
    for i, line in enumerate(lines):
        if not line.strip() and current is not None:
            continue
        in_body = body[i]
        region = regions[i] if in_body else Region()
        heading_here = in_body and (i in article_starts or region_of_heading(line) is not None)
        if current is None or heading_here or in_body != current[1] or region != current[2]:
            if current is not None:
                sections.append(_section(len(sections), lines[current[0]], current[2],
                                         current[1], offsets[current[0]], offsets[i]))
            current = (i, in_body, region)
    sections.append(_section(len(sections), lines[current[0]], current[2], current[1],
                             offsets[current[0]], text_len))
    sections[0]["char_start"] = 0
    return sections


def _section(section_id: int, heading: str, region: Region, in_body: bool,
             start: int, end: int) -> dict:
    return {
        "section_id": section_id,
        "heading": heading.strip()[:60],
        "province": region.province,
        "city": region.city,
        "in_body": in_body,
        "char_start": start,
        "char_end": end,
    }


def _body_flags(lines: list[str], boilerplate: list[str]) -> list[bool]:
    """Body flag per line; a blank line takes the flag of the line before it."""
    flags, previous = [], True
    for line, reason in zip(lines, boilerplate, strict=True):
        flag = previous if not line.strip() else not reason
        flags.append(flag)
        previous = flag
    return flags


def _line_regions(lines: list[str], body: list[bool], article_starts: list[int],
                  title: str) -> list[Region]:
    """The region of every line: its chapter's heading, else its article's vote."""
    body_text = [line for line, b in zip(lines, body, strict=True) if b]
    default = vote_region([(title, HEADLINE_WEIGHT), ("\n".join(body_text), 1)]) or Region()
    bounds = [0, *article_starts, len(lines)]
    regions: list[Region] = []
    for k in range(len(bounds) - 1):
        a, b = bounds[k], bounds[k + 1]
        article = [lines[i] for i in range(a, b) if body[i]]
        headline = next((line for line in article if line.strip()), "")
        weighted = [("\n".join(article), 1)]
        if is_headline_like(headline):
            weighted.append((headline, HEADLINE_WEIGHT))
        if k == 0 and title:
            weighted.append((title, HEADLINE_WEIGHT))
        article_region = vote_region(weighted) or default
        chapter_region = article_region
        for i in range(a, b):
            if body[i]:
                heading_region = region_of_heading(lines[i])
                if heading_region is not None:
                    chapter_region = heading_region
            regions.append(chapter_region)
    return regions


# --- sentences ---------------------------------------------------------------------------


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of the sentences of ``text[start:end]``, surrounding spaces excluded.

    Cuts after 。！？；!?; and … (a run of them), keeping closing quotes that follow,
    and at line breaks. ASCII ``?``/``!`` directly followed by a latin letter or digit
    (``?id=3``) do not end a sentence. Pieces with no letter, digit or Han character
    (a lone ``“``) are skipped.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    piece_start = start
    for cut in SENTENCE_CUT_RE.finditer(text, start, end):
        i = cut.start()
        if i < piece_start:
            continue  # inside the run of marks and quotes that ended the last sentence
        if text[i] == "\n":
            _add_span(text, piece_start, i, spans)
            piece_start = i + 1
        elif not _is_url_punct(text, i, end):
            j = i + 1
            while j < end and (text[j] in SENTENCE_END or text[j] in CLOSING_QUOTES):
                j += 1
            _add_span(text, piece_start, j, spans)
            piece_start = j
    _add_span(text, piece_start, end, spans)
    return spans


def _is_url_punct(text: str, i: int, end: int) -> bool:
    return text[i] in "?!;" and i + 1 < end and (text[i + 1].isascii() and text[i + 1].isalnum()
                                                  or text[i + 1] in "=&")


MAX_SENTENCE_CHARS = 1000
"""The longest sentence handed to extraction. Real sentences are far shorter (the seeds' and the
development corpus's longest: 328 characters); a longer run of text without 。！？; (a page that
lost its punctuation, a table flattened into one line) is cut into pieces of at most this many
characters, so that every step after it costs time in proportion to the document's length."""
SOFT_BREAKS = "，,、：:；; \t"
NUMBER_CHARS = frozenset("0123456789.〇零一二三四五六七八九十百千万亿两")


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        cut = _piece_end(text, start)
        _add_piece(text, start, cut, spans)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    _add_piece(text, start, end, spans)


def _piece_end(text: str, start: int) -> int:
    """Where a piece of an over-long sentence starting at ``start`` ends: after the last comma,
    colon or space of its second half, else at the limit but never inside a number."""
    limit, half = start + MAX_SENTENCE_CHARS, start + MAX_SENTENCE_CHARS // 2
    soft = max(text.rfind(ch, half, limit) for ch in SOFT_BREAKS)
    if soft >= 0:
        return soft + 1
    cut = limit
    while cut > half and text[cut - 1] in NUMBER_CHARS and text[cut] in NUMBER_CHARS:
        cut -= 1
    return cut if cut > half else limit


def _add_piece(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end and ALNUM_RE.search(text, start, end):
        spans.append((start, end))


def split_sentences(text: str, sections: list[dict]) -> list[dict]:
    """Sentence rows (section_id, sentence_id, text, char_start, char_end) of in-body sections."""
    rows = []
    for section in sections:
        if not section["in_body"]:
            continue
        for s, e in sentence_spans(text, section["char_start"], section["char_end"]):
            rows.append({
                "section_id": section["section_id"],
                "sentence_id": len(rows),
                "text": text[s:e],
                "char_start": s,
                "char_end": e,
            })
    return rows


def misplaced_sentences(texts: pd.Series | dict, sentences: pd.DataFrame) -> pd.DataFrame:
    """The sentence rows whose offsets do not slice their text out of the cleaned document
    (``text_clean[char_start:char_end] != text``); empty when every offset holds.

    ``texts`` maps doc_id to cleaned text. Each document's text is taken once, so the check
    costs time in proportion to the texts' length (taken per sentence from a table of Arrow
    strings, a 30 MB text was copied once for every one of its sentences).
    """
    texts = dict(texts.items()) if isinstance(texts, pd.Series) else texts
    bad = []
    for doc_id, rows in sentences.groupby("doc_id", sort=False):
        text = texts.get(doc_id)
        for index, start, end, sentence in zip(rows.index, rows["char_start"], rows["char_end"], rows["text"],
                                               strict=True):
            if text is None or text[start:end] != sentence:
                bad.append(index)
    return sentences.loc[bad]
