"""The clean stage: from a document's raw text to normalized Simplified text, sections and sentences.

:func:`clean_document` runs, in order:

1. **HTML to text** (formats ``html`` and ``front_matter_html``, or any text that
   carries HTML block tags): block elements (p, div, br, li, h1-h6, tr, ...) become line
   breaks, script/style/img are dropped (and recorded), entities are decoded.
2. Per line: **pinyin annotations** left by conversion removed (``協(xié)會`` -> ``協會``),
   **spam phrases** removed (``lexicons/clean_spam_phrases.txt``), **Traditional to
   Simplified** with OpenCC ``tw2s`` (only lines that hold a Traditional-only character,
   so that Simplified text is never re-converted: ``么`` stays ``么``), **variant
   characters** OpenCC leaves alone mapped (``lexicons/clean_variant_chars.csv``:
   ``陜`` -> ``陕``), **width**: full-width digits, latin letters, symbols and spaces become
   ASCII, while the Chinese punctuation ``，：；？！（）`` (and 。、“”《》 which have no ASCII
   twin) is kept as written; **spacing**: runs of spaces collapsed, spaces removed between
   two Han characters, between a Han character and a digit (``13 万个`` -> ``13万个``,
   ``KN95 口罩`` -> ``KN95口罩``) and next to Chinese punctuation; spaces inside latin
   phrases (``All Rights Reserved``) stay. Lines are stripped of indentation; line
   breaks are kept, since they are sentence boundaries.
3. Image file names (``微信图片_20200319102254.jpg``) are **dropped** from the text;
   other **boilerplate** (``lexicons/clean_boilerplate_patterns.txt``) stays in the text
   but is marked, so its sections have ``in_body=False`` and yield no sentence.
4. **Sections and sentences** (:mod:`helpers.sections`).

Censored characters (□, ■, ＊ standing for a character) are kept; each line holding
them is listed in ``CleanedDocument.notes``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

import opencc
from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction

from ..corpus.chars import HAN
from ..corpus.lexicons import read_lexicon_rows, read_word_list
from .sections import divide_into_sections, split_sentences

HTML_FORMATS = {"html", "front_matter_html"}
BLOCK_TAGS = [
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "tr", "table", "thead", "tbody", "section", "article", "header", "footer", "nav",
    "aside", "blockquote", "pre", "figure", "figcaption", "hr", "form", "address",
    "center", "main", "caption", "title",
]
CELL_TAGS = ["td", "th"]
DROPPED_TAGS = {"script": "script", "style": "style", "noscript": "script",
                "iframe": "embedded frame", "template": "script", "svg": "image",
                "object": "embedded object", "embed": "embedded object"}
HTML_TAG_RE = re.compile(r"<\s*/?\s*(?:p|div|br|span|img|a|li|ul|h[1-6]|table|tr|td|strong|script|style)\b[^>]*>",
                         re.IGNORECASE)
HTML_ENTITY_RE = re.compile(r"&(?:#\d{2,6}|#x[0-9a-fA-F]{2,5}|[a-zA-Z]{2,8});")

CJK_PUNCT = "，。、；：？！（）“”‘’「」『』《》〈〉【】…—·"
ASCII_PUNCT_NEAR_HAN = ",;:!?()"
#: Full-width forms kept as written (the Chinese punctuation that has an ASCII twin).
KEEP_FULLWIDTH = set("，：；？！（）")
SPACE_CHARS = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\r\f\v"
ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
#: A full-width comma between full-width digits, before exactly three of them, is a thousands
#: separator (``１，２００小时``), not the Chinese comma that is otherwise kept.
FULLWIDTH_THOUSANDS_RE = re.compile("(?<=[\uff10-\uff19])\uff0c(?=[\uff10-\uff19]{3}(?![\uff10-\uff19]))")

TONE_LETTERS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
PINYIN_ANNOTATION_RE = re.compile(
    rf"(?<=[{HAN}])[（(]\s*([A-Za-z{TONE_LETTERS}]+(?:[\s'’][A-Za-z{TONE_LETTERS}]+)*)\s*[)）]"
)
CENSORED_RE = re.compile(rf"[□■▇█]+|(?<=[{HAN}])[＊*×]{{1,4}}(?=[{HAN}])")
IMAGE_FILE_RE = re.compile(r"^\S{1,120}\.(?:jpe?g|png|gif|bmp|webp|tiff?|svg)$", re.IGNORECASE)
LIST_ITEM_RE = re.compile(r"^(?:[•·●▪◆◇■□▶►\-*—]|\d{1,2}[.、)）]|[（(]\d{1,2}[)）])")
PROSE_END_RE = re.compile(r"[。！？!?]")
#: A headline as link lists print them: short, no sentence inside (浙江省慈善联合会募集资金5亿元).
HEADLINE_MAX_CHARS = 50
NAMES_LINE_RE = re.compile(rf"^[{HAN}]{{1,3}}(?:\s+[{HAN}]{{1,4}})+$")
#: Boilerplate reasons that open a block running to the end of the page.
RELATED_LINKS, FOOTER_REASONS = "related_links", {"footer", "copyright"}


@dataclass
class CleanedDocument:
    """A cleaned document: its text and how it divides into sections and sentences."""

    text: str
    sections: list[dict] = field(default_factory=list)
    sentences: list[dict] = field(default_factory=list)
    dropped: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)


# --- lexicons ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def boilerplate_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """``(reason, pattern)`` pairs from ``clean_boilerplate_patterns.txt``."""
    patterns = []
    for line in read_word_list("clean_boilerplate_patterns.txt"):
        reason, _, pattern = line.partition("\t")
        if not pattern:
            raise ValueError(f"clean_boilerplate_patterns.txt: no tab in line {line!r}")
        patterns.append((reason.strip(), re.compile(pattern.strip(), re.IGNORECASE)))
    return tuple(patterns)


@lru_cache(maxsize=1)
def spam_phrases() -> tuple[str, ...]:
    return tuple(sorted(read_word_list("clean_spam_phrases.txt"), key=len, reverse=True))


@lru_cache(maxsize=1)
def variant_table() -> Mapping[int, str]:
    """``str.translate`` table of variant characters to their standard Simplified form."""
    return MappingProxyType({ord(r["variant"]): r["standard"] for r in read_lexicon_rows("clean_variant_chars.csv")})


@lru_cache(maxsize=1)
def simplified_dual_use() -> frozenset[str]:
    """Simplified characters that OpenCC 'tw2s' still rewrites when alone (著, 么)."""
    return frozenset(read_word_list("clean_simplified_dual_use.txt"))


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("tw2s")


# --- HTML -------------------------------------------------------------------------------


def looks_like_html(raw_text: str) -> bool:
    """Whether a text carries HTML markup (a few block or inline tags)."""
    return len(HTML_TAG_RE.findall(raw_text[:20000])) >= 3


def html_to_text(markup: str) -> tuple[str, list[dict]]:
    """Visible text of an HTML fragment, one block element per line; and what was dropped."""
    soup = BeautifulSoup(markup, "lxml")
    dropped = []
    for tag in soup.find_all(list(DROPPED_TAGS)):
        content = " ".join(tag.get_text(" ").split())[:80]
        dropped.append({"line": content or f"<{tag.name}>", "reason": DROPPED_TAGS[tag.name]})
        tag.decompose()
    for img in soup.find_all("img"):
        dropped.append({"line": img.get("src") or img.get("alt") or "<img>", "reason": "image"})
        img.decompose()
    for node in soup.find_all(string=True):
        if isinstance(node, (Comment, Declaration, Doctype, ProcessingInstruction)):
            node.extract()
        elif re.search(r"\s", node):  # HTML whitespace, newlines included, is one space
            node.replace_with(NavigableString(re.sub(r"\s+", " ", str(node))))
    for br in soup.find_all("br"):
        br.replace_with(NavigableString("\n"))
    for tag in soup.find_all(BLOCK_TAGS):
        tag.insert_before(NavigableString("\n"))
        tag.insert_after(NavigableString("\n"))
    for cell in soup.find_all(CELL_TAGS):
        cell.insert_after(NavigableString(" "))
    return soup.get_text(""), dropped


# --- character and spacing normalization --------------------------------------------------


def remove_pinyin_annotations(line: str) -> tuple[str, list[str]]:
    """Drop pinyin in parentheses after a Han character: ``協(xié)會(huì)`` -> ``協會``.

    Only a group of latin letters carrying a tone mark or ü counts as pinyin, so real
    parentheticals stay: ``(KN95)``, ``(第八版)``, ``(Covid)``.
    """
    removed = []

    def _drop(match: re.Match) -> str:
        if any(c in TONE_LETTERS for c in match.group(1).lower()):
            removed.append(match.group(0))
            return ""
        return match.group(0)

    return PINYIN_ANNOTATION_RE.sub(_drop, line), removed


def remove_spam_phrases(line: str) -> tuple[str, list[str]]:
    """Remove the spam phrases of ``clean_spam_phrases.txt``; return the line and what went."""
    removed = []
    for phrase in spam_phrases():
        if phrase in line:
            removed.append(phrase)
            line = line.replace(phrase, "")
    return line, removed


@lru_cache(maxsize=65536)
def is_traditional_char(ch: str) -> bool:
    """Whether OpenCC 'tw2s' rewrites ``ch`` and it is not also a Simplified character."""
    return ord(ch) > 0x2E7F and ch not in simplified_dual_use() and _converter().convert(ch) != ch


def has_traditional_chars(line: str) -> bool:
    """Whether the line holds a character that only Traditional Chinese uses."""
    return any(map(is_traditional_char, set(line)))


def to_simplified(line: str) -> str:
    """Traditional to Simplified (OpenCC 'tw2s') and variant characters to standard forms."""
    if has_traditional_chars(line):
        line = _converter().convert(line)
    return line.translate(variant_table())


#: Code points NFKC maps to unified ideographs: Kangxi radicals and compatibility ideographs.
COMPATIBILITY_IDEOGRAPH_RANGES = ((0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))


@lru_cache(maxsize=1)
def width_table() -> dict[int, str | None]:
    """``str.translate`` table of :func:`normalize_width`: full-width forms to ASCII (but the
    Chinese punctuation of ``KEEP_FULLWIDTH``), compatibility ideographs to their NFKC form,
    exotic spaces to a space, zero-width characters removed."""
    table: dict[int, str | None] = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)
                                    if chr(code) not in KEEP_FULLWIDTH}
    for first, last in COMPATIBILITY_IDEOGRAPH_RANGES:
        for code in range(first, last + 1):
            if unicodedata.normalize("NFKC", chr(code)) != chr(code):
                table[code] = unicodedata.normalize("NFKC", chr(code))
    table.update({ord(ch): " " for ch in SPACE_CHARS})
    table.update({ord(ch): None for ch in ZERO_WIDTH_CHARS})
    return table


@lru_cache(maxsize=1)
def variant_and_width_table() -> dict[int, str | None]:
    """:func:`variant_table` then :func:`width_table` as one ``str.translate`` table."""
    width = width_table()
    table = dict(width)
    for code, standard in variant_table().items():
        if any(0xFF0C == ord(ch) or 0xFF10 <= ord(ch) <= 0xFF19 for ch in chr(code) + standard):
            raise ValueError(f"clean_variant_chars.csv: {chr(code)} -> {standard} holds a full-width digit or comma")
        table[code] = "".join(width.get(ord(ch), ch) or "" for ch in standard)
    return table


def normalize_width(line: str) -> str:
    """Full-width digits, latin letters, symbols and spaces to ASCII; CJK punctuation kept.

    A full-width comma that separates thousands in full-width digits becomes ``,``
    (``１，２００`` -> ``1,200``). Also: Kangxi radicals and compatibility ideographs to unified ideographs (NFKC),
    exotic spaces to a plain space, zero-width characters removed.
    """
    return FULLWIDTH_THOUSANDS_RE.sub(",", line).translate(width_table())


_TIGHT = f"{HAN}{CJK_PUNCT}"
SPACE_BEFORE_TIGHT_RE = re.compile(rf"(?<=[{_TIGHT}0-9{re.escape(ASCII_PUNCT_NEAR_HAN)}]) +(?=[{_TIGHT}])")
SPACE_RUN_RE = re.compile(" {2,}")
SPACE_AFTER_TIGHT_RE = re.compile(rf"(?<=[{_TIGHT}]) +(?=[0-9{re.escape(ASCII_PUNCT_NEAR_HAN)}])")


def normalize_spacing(line: str) -> str:
    """Collapse runs of spaces; remove spaces between Chinese text and digits or punctuation.

    ``3 月 11 日`` -> ``3月11日``; ``约 3.15 亿元`` -> ``约3.15亿元``; ``陕 西`` -> ``陕西``;
    ``All Rights Reserved 版权所有`` keeps its spaces.
    """
    line = SPACE_RUN_RE.sub(" ", line.strip())
    line = SPACE_BEFORE_TIGHT_RE.sub("", line)
    return SPACE_AFTER_TIGHT_RE.sub("", line)


# --- boilerplate ------------------------------------------------------------------------


def is_prose(line: str) -> bool:
    """A line of running text (never treated as boilerplate by the line patterns)."""
    ends = len(PROSE_END_RE.findall(line))
    return ends >= 2 or (ends == 1 and len(line) >= 60)


def boilerplate_reason(line: str, spaced_line: str = "") -> str:
    """Why a (normalized) line is boilerplate, or ``''`` for article text.

    ``spaced_line`` is the line before spaces between Han characters were removed;
    it reveals bylines of spaced-out names (``趙 斐 王東鵬``).
    """
    if not line or is_prose(line):
        return ""
    for reason, pattern in boilerplate_patterns():
        if pattern.search(line):
            return reason
    if not re.search(f"[{HAN}]", line) and len(line) <= 20 and re.search(r"[A-Za-z0-9]", line):
        return "fragment"
    if spaced_line and NAMES_LINE_RE.match(spaced_line) and len(line) <= 12:
        return "byline_names"
    return ""


def is_list_entry(line: str) -> bool:
    """A line of a link list: a bulleted or numbered item, or a bare headline."""
    line = line.strip()
    if LIST_ITEM_RE.match(line):
        return True
    return 0 < len(line) <= HEADLINE_MAX_CHARS and not PROSE_END_RE.search(line.rstrip("。！？!?"))


def mark_boilerplate_blocks(lines: list[str], reasons: list[str]) -> list[str]:
    """Extend link-list and footer markers to the end of the page.

    A related-articles heading followed by list items or bare headlines, and a footer heading
    (联系我们, 版权所有) after which no prose paragraph follows, mark every later line.
    """
    reasons = list(reasons)
    # the last prose line, found once: asking "any prose after this footer line?" of every
    # footer line made a page of many footer lines cost the square of its length
    last_prose = -1
    if any(r in FOOTER_REASONS for r in reasons):
        last_prose = next((j for j in range(len(lines) - 1, -1, -1) if is_prose(lines[j])), -1)
    for i, reason in enumerate(reasons):
        if reason == RELATED_LINKS:
            nxt = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
            if nxt is not None and is_list_entry(lines[nxt]):
                return reasons[:i] + [reason] * (len(lines) - i)
        elif reason in FOOTER_REASONS and last_prose <= i:
            return reasons[:i] + [r or reason for r in reasons[i:]]
    return reasons


# --- the stage --------------------------------------------------------------------------


def raw_to_lines(raw_text: str, fmt: str) -> tuple[list[str], list[dict]]:
    """The raw document as text lines (HTML rendered, entities decoded), and what was dropped."""
    dropped: list[dict] = []
    text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
    if fmt in HTML_FORMATS or looks_like_html(text):
        text, dropped = html_to_text(text)
    elif HTML_ENTITY_RE.search(text):
        text = html.unescape(text)
    return text.split("\n"), dropped


def normalize_line(line: str) -> tuple[str, str, list[dict]]:
    """One line, normalized: ``(final line, line before Han spacing removal, dropped parts)``."""
    dropped = []
    line, pinyin = remove_pinyin_annotations(line)
    dropped += [{"line": p, "reason": "pinyin_annotation"} for p in pinyin]
    line, spam = remove_spam_phrases(line)
    dropped += [{"line": s, "reason": "spam_phrase"} for s in spam]
    if has_traditional_chars(line):
        line = _converter().convert(line)
    # to_simplified's variant characters and normalize_width in one pass (they commute
    # with the thousands separator, which variant characters never touch)
    line = FULLWIDTH_THOUSANDS_RE.sub(",", line).translate(variant_and_width_table())
    spaced = SPACE_RUN_RE.sub(" ", line.strip())
    return normalize_spacing(line), spaced, dropped


def clean_document(raw_text: str, fmt: str, title: str = "") -> CleanedDocument:
    """Clean one document: normalized Simplified text, its sections and its sentences."""
    raw_lines, dropped = raw_to_lines(raw_text or "", fmt)
    lines: list[str] = []
    reasons: list[str] = []
    notes: list[dict] = []
    for raw_line in raw_lines:
        line, spaced, parts = normalize_line(raw_line)
        dropped += parts
        if IMAGE_FILE_RE.match(line):
            dropped.append({"line": line, "reason": "image_file_name"})
            continue
        if not line and (not lines or not lines[-1]):
            continue  # one blank line between paragraphs is enough
        if CENSORED_RE.search(line):
            notes.append({"line": line, "note": "censored_characters"})
        lines.append(line)
        reasons.append(boilerplate_reason(line, spaced))
    while lines and not lines[-1]:
        lines.pop()
        reasons.pop()
    reasons = mark_boilerplate_blocks(lines, reasons)
    text = "\n".join(lines)
    clean_title = normalize_line(title)[0] if title else ""
    sections = divide_into_sections(lines, reasons, clean_title)
    return CleanedDocument(text, sections, split_sentences(text, sections), dropped, notes)
