"""Ingest: read every document of the corpus into one ``documents`` table.

One row per input file, including the files that cannot be used: a bad
document never stops the run and never disappears, it stays in the table with
``status`` ``'failed'`` (unusable) or ``'warning'`` (usable, with a problem
noted in ``error``). For each file the stage

1. detects the text encoding (BOMs, strict UTF-8, BOM-less UTF-16 by its NUL
   pattern, then the Chinese legacy encodings GB18030/GBK and Big5, told apart
   by how plausible the decoded characters are as Chinese text);
2. normalizes line ends to ``\\n`` and removes a YAML front matter block;
3. classifies the document (``front_matter_html``, ``html``, ``scraped_page``,
   ``plain_text``);
4. takes title, publication date and source from the front matter or from the
   page's own header lines (the first non-empty lines), never from the body.

The HTML markup and page boilerplate stay in ``raw_text``; the clean stage
removes them. :func:`document_from_bytes` is pure (bytes in, row out), so the
stage can run in a process pool or on Dask.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from .paths import resolve

CORPUS_SUFFIXES = (".txt", ".html", ".htm", ".md")

DOCUMENT_COLUMNS = [
    "doc_id",
    "path",
    "sha256",
    "bytes",
    "encoding",
    "format",
    "title",
    "published",
    "source",
    "status",
    "error",
    "raw_text",
]

STATUS_OK = "ok"
STATUS_WARNING = "warning"
STATUS_FAILED = "failed"

FORMAT_FRONT_MATTER_HTML = "front_matter_html"
FORMAT_HTML = "html"
FORMAT_SCRAPED_PAGE = "scraped_page"
FORMAT_PLAIN_TEXT = "plain_text"

# Tried in this order after UTF-8; the first of equally plausible decodings wins.
LEGACY_CJK_ENCODINGS = ("gb18030", "big5", "cp950", "big5hkscs")

# How many non-empty lines at the top of a document count as its header.
HEADER_LINES = 15

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Control characters that never occur in text (tab, LF, CR, FF and ESC are allowed).
_CONTROL_BYTES = frozenset(set(range(0x00, 0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B} | {0x7F})
_BINARY_CONTROL_SHARE = 0.10

_COMMON_CJK_PUNCTUATION = frozenset("，。、；：？！“”‘’（）《》〈〉【】「」『』—…·～〔〕")


class DocumentProblem(Exception):
    """A problem that makes a document unusable (``status='failed'``)."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


@dataclass
class FrontMatter:
    """The YAML block at the top of a document, split from the body."""

    fields: dict = field(default_factory=dict)
    body: str = ""
    present: bool = False
    problem: str = ""


@dataclass(frozen=True)
class HeaderFacts:
    """What the header lines of a page say about the document."""

    title: str = ""
    published: str = ""
    source: str = ""


# --------------------------------------------------------------------------- files


def list_corpus_files(corpus_dir: str | Path) -> list[Path]:
    """Every document file under ``corpus_dir`` (recursive), sorted by relative posix path.

    Documents are files ending in .txt .html .htm .md (any case). Hidden files
    and everything inside hidden folders are skipped. Broken symbolic links are
    listed, so they show up as failed documents instead of vanishing.
    """
    corpus = resolve(corpus_dir)
    found: list[tuple[str, Path]] = []
    for folder, dirnames, filenames in os.walk(corpus):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            path = Path(folder) / name
            if name.startswith(".") or path.suffix.lower() not in CORPUS_SUFFIXES:
                continue
            found.append((path.relative_to(corpus).as_posix(), path))
    return [path for _, path in sorted(found)]


def read_document(path: str | Path, corpus_dir: str | Path) -> dict:
    """One row of the documents table for the file at ``path``. Never raises.

    ``path`` is absolute or relative to ``corpus_dir``. A file that cannot be
    read (permissions, broken link, ...) gives a failed row.
    """
    corpus = resolve(corpus_dir)
    path = Path(path) if Path(path).is_absolute() else corpus / path
    rel_path = Path(os.path.relpath(path, corpus)).as_posix()
    display = f"{corpus.name}/{rel_path}"
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return _failed_row(rel_path, f"{display}: cannot read file ({reason})")
    return document_from_bytes(data, rel_path, display)


def ingest_corpus(corpus_dir: str | Path) -> pd.DataFrame:
    """The documents table: one row per corpus file (failed ones included), sorted by path."""
    files = list_corpus_files(corpus_dir)
    rows = [read_document(path, corpus_dir) for path in files]
    for row, doc_id in zip(rows, assign_doc_ids(files, corpus_dir), strict=True):
        row["doc_id"] = doc_id
    table = pd.DataFrame(rows, columns=DOCUMENT_COLUMNS)
    table["bytes"] = table["bytes"].astype("int64")
    return table


def assign_doc_ids(files: list[Path], corpus_dir: str | Path) -> list[str]:
    """Unique doc_ids for ``files`` (in their order): file stems, made unique by :func:`unique_doc_ids`."""
    corpus = resolve(corpus_dir)
    rel_paths = [Path(os.path.relpath(resolve(f), corpus)).as_posix() for f in files]
    return unique_doc_ids([Path(p).stem for p in rel_paths], rel_paths)


def unique_doc_ids(doc_ids: list[str], paths: list[str]) -> list[str]:
    """``doc_ids`` made unique: colliding ids become their relative path with ``/`` -> ``__``.

    Ids that still collide (``a.txt`` and ``a.md`` in one folder) keep their
    suffix as ``_txt``; any remaining tie gets ``~2``, ``~3``, ... in path order.
    """
    ids = list(doc_ids)
    for make_id in (_path_id_without_suffix, _path_id_with_suffix):
        counts = pd.Series(ids).value_counts()
        ids = [make_id(p) if counts[i] > 1 else i for i, p in zip(ids, paths, strict=True)]
    seen: dict[str, int] = {}
    unique = []
    for doc_id in ids:
        seen[doc_id] = seen.get(doc_id, 0) + 1
        unique.append(doc_id if seen[doc_id] == 1 else f"{doc_id}~{seen[doc_id]}")
    return unique


def _path_id_without_suffix(rel_path: str) -> str:
    return Path(rel_path).with_suffix("").as_posix().replace("/", "__")


def _path_id_with_suffix(rel_path: str) -> str:
    path = Path(rel_path)
    return _path_id_without_suffix(rel_path) + "_" + path.suffix.lstrip(".").lower()


# --------------------------------------------------------------------------- one document


def document_from_bytes(data: bytes, rel_path: str, display: str | None = None) -> dict:
    """One row of the documents table from a file's raw bytes. Pure; never raises.

    ``rel_path`` is the file's posix path relative to the corpus folder;
    ``display`` is how error messages name the file (default ``rel_path``).
    The row has the keys of :data:`DOCUMENT_COLUMNS`. ``status`` is ``'ok'``,
    ``'warning'`` (usable; ``error`` says what is wrong) or ``'failed'``
    (unusable; ``raw_text``, ``format`` and the metadata are ``''``).
    """
    display = display or rel_path
    row = _empty_row(rel_path)
    row["sha256"] = hashlib.sha256(data).hexdigest()
    row["bytes"] = len(data)
    try:
        decoded = decode_document_bytes(data)
        row["encoding"] = decoded.encoding
        _fill_from_text(row, decoded.text)
    except DocumentProblem as problem:
        return _as_failed(row, f"{display}: {problem}")
    except Exception as exc:  # the contract: a bad document never stops the run
        return _as_failed(
            row, f"{display}: unexpected error while reading ({type(exc).__name__}: {exc})"
        )
    if row["error"]:
        row["error"] = f"{display}: {row['error']}"
    return row


def _fill_from_text(row: dict, text: str) -> None:
    """Fill format, metadata, status and raw_text of ``row`` from the decoded ``text``."""
    text = normalize_line_ends(text)
    if not text.strip():
        raise DocumentProblem("empty file (only whitespace)")
    problems = []
    front = split_front_matter(text)
    if front.problem:
        problems.append(front.problem)
    body = front.body
    fmt = FORMAT_FRONT_MATTER_HTML if front.present else detect_format(body)
    title, published, source, fm_problems = metadata_from_front_matter(front.fields)
    problems.extend(fm_problems)
    if not title and fmt in (FORMAT_HTML, FORMAT_FRONT_MATTER_HTML):
        title = _html_title(body)
    header = facts_from_header(header_lines(body, fmt))
    title = title or header.title
    published = published or header.published
    source = source or header.source
    if "\ufffd" in text:
        problems.append(
            f"{text.count(chr(0xFFFD))} replacement characters (U+FFFD): "
            "text was damaged by an earlier encoding conversion"
        )
    if not body.strip():
        problems.append("no text after the front matter")
    row.update(
        format=fmt,
        title=title,
        published=published,
        source=source,
        status=STATUS_WARNING if problems else STATUS_OK,
        error="; ".join(problems),
        raw_text=body,
    )


def _empty_row(rel_path: str) -> dict:
    row = dict.fromkeys(DOCUMENT_COLUMNS, "")
    row.update(doc_id=Path(rel_path).stem, path=rel_path, bytes=0, status=STATUS_OK)
    return row


def _as_failed(row: dict, error: str) -> dict:
    row.update(format="", title="", published="", source="", raw_text="")
    row.update(status=STATUS_FAILED, error=error)
    return row


def _failed_row(rel_path: str, error: str) -> dict:
    return _as_failed(_empty_row(rel_path), error)


# --------------------------------------------------------------------------- encodings


def decode_document_bytes(data: bytes) -> DecodedText:
    """Decode a file's bytes, detecting the encoding; raise :class:`DocumentProblem` if unusable.

    Order: empty file; byte-order marks; BOM-less UTF-16 (NUL bytes all on one
    side of the code units); binary content; strict UTF-8; then each
    Chinese legacy encoding strictly, keeping the most plausible Chinese text.
    """
    if not data:
        raise DocumentProblem("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_strictly(data, encoding)
    utf16 = bomless_utf16_encoding(data)
    if utf16:
        return _decode_strictly(data, utf16)
    if looks_binary(data):
        raise DocumentProblem("binary file, not text")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_failure = f"utf-8 (byte offset {exc.start})"
    return decode_legacy_chinese(data, tried=[utf8_failure])


def _decode_strictly(data: bytes, encoding: str) -> DecodedText:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DocumentProblem(
            f"undecodable bytes: starts like {encoding} but byte offset {exc.start} is invalid"
        ) from None
    if _control_share(text) > _BINARY_CONTROL_SHARE or "\x00" in text:
        raise DocumentProblem("binary file, not text")
    return DecodedText(text.lstrip("\ufeff"), codecs.lookup(encoding).name)


def bomless_utf16_encoding(data: bytes) -> str:
    """``'utf-16-le'`` / ``'utf-16-be'`` when ``data`` looks like BOM-less UTF-16, else ``''``.

    In UTF-16 text every ASCII character (newlines, digits, spaces) has a NUL
    high byte, so NULs sit almost only at odd offsets (LE) or even offsets
    (BE). CJK characters with a zero low byte (``一`` is U+4E00) put a few on
    the other side, hence a ratio rather than zero. The decoding must also
    succeed strictly and contain no control characters.
    """
    if len(data) < 4 or len(data) % 2:
        return ""
    nul_even = data[0::2].count(0)
    nul_odd = data[1::2].count(0)
    if nul_odd >= 2 and nul_odd >= 4 * nul_even:
        encoding = "utf-16-le"
    elif nul_even >= 2 and nul_even >= 4 * nul_odd:
        encoding = "utf-16-be"
    else:
        return ""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return ""
    if "\x00" in text or _control_share(text) > 0.01:
        return ""
    return encoding


def looks_binary(data: bytes) -> bool:
    """True for content that is not text in any supported encoding: NUL bytes or many controls."""
    if b"\x00" in data:
        return True
    sample = data[:65536]
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    return controls / len(sample) > _BINARY_CONTROL_SHARE


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) in _CONTROL_BYTES)
    return controls / len(sample)


def decode_legacy_chinese(data: bytes, tried: list[str] | None = None) -> DecodedText:
    """Decode with the most plausible of :data:`LEGACY_CJK_ENCODINGS`.

    Each encoding is tried strictly; of those that decode, the one whose text
    scores highest on :func:`chinese_plausibility` wins (GBK bytes read as
    Big5 and vice versa give rare characters, kana and private-use code
    points). Exact ties go to charset-normalizer, restricted to the tied
    encodings. Raises :class:`DocumentProblem` naming every encoding tried.
    """
    tried = list(tried or [])
    decodings: list[DecodedText] = []
    for encoding in LEGACY_CJK_ENCODINGS:
        try:
            decodings.append(DecodedText(data.decode(encoding), encoding))
        except UnicodeDecodeError as exc:
            tried.append(f"{encoding} (byte offset {exc.start})")
    if not decodings:
        raise DocumentProblem("undecodable bytes: tried " + ", ".join(tried))
    scores = [chinese_plausibility(d.text) for d in decodings]
    best_score = max(scores)
    best = [d for d, s in zip(decodings, scores, strict=True) if s == best_score]
    if len(best) > 1 and len({d.text for d in best}) > 1:
        return _charset_normalizer_choice(data, best)
    return best[0]


def _charset_normalizer_choice(data: bytes, decodings: list[DecodedText]) -> DecodedText:
    """The decoding charset-normalizer prefers among ``decodings`` (first one if it has no opinion)."""
    from charset_normalizer import from_bytes

    names = [d.encoding for d in decodings]
    match = from_bytes(data, cp_isolation=names).best()
    if match is not None:
        chosen = codecs.lookup(match.encoding).name
        for decoded in decodings:
            if codecs.lookup(decoded.encoding).name == chosen:
                return decoded
    return decodings[0]


def chinese_plausibility(text: str) -> float:
    """How much ``text`` looks like real Chinese, from -1 to 1 (1 = every non-ASCII char is common).

    Per non-ASCII character: common hanzi (in GB2312 level 1 after conversion
    to simplified characters) and common CJK punctuation score 1, less common
    hanzi (GB2312 level 2) 0.3, other hanzi 0, and everything a Chinese text
    should not contain (kana, box drawing, private-use, unassigned code points)
    scores -1. Only the first 4000 non-ASCII characters are looked at.
    """
    chars = [ch for ch in text if ord(ch) > 0x7F][:4000]
    if not chars:
        return 0.0
    simplified = _to_simplified("".join(chars))
    if len(simplified) != len(chars):
        simplified = "".join(chars)
    return sum(_char_plausibility(ch) for ch in simplified) / len(chars)


def _char_plausibility(ch: str) -> float:
    if ch in _COMMON_CJK_PUNCTUATION or "\uff01" <= ch <= "\uff5e" or ch == "\u3000":
        return 1.0
    level = _gb2312_level(ch)
    if level == 1:
        return 1.0
    if level == 2:
        return 0.3
    category = unicodedata.category(ch)
    if category == "Lo" and unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH"):
        return 0.0
    if category in ("Co", "Cn", "Cs") or "\u3040" <= ch <= "\u30ff" or "\u2500" <= ch <= "\u257f":
        return -1.0
    return 0.0


@lru_cache(maxsize=8192)
def _gb2312_level(ch: str) -> int:
    """1 for the 3755 common hanzi of GB2312, 2 for its 3008 others, 0 otherwise."""
    try:
        lead = ch.encode("gb2312")[0]
    except UnicodeEncodeError:
        return 0
    if 0xB0 <= lead <= 0xD7:
        return 1
    if 0xD8 <= lead <= 0xF7:
        return 2
    return 0


@lru_cache(maxsize=1)
def _simplifier():
    import opencc

    return opencc.OpenCC("t2s")


def _to_simplified(text: str) -> str:
    return _simplifier().convert(text)


def normalize_line_ends(text: str) -> str:
    """CRLF and lone CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- front matter

_FRONT_MATTER_OPEN = re.compile(r"\A(?:[ \t]*\n)*---[ \t]*\n")
_FRONT_MATTER_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


def split_front_matter(text: str) -> FrontMatter:
    """Split a leading ``---`` YAML block from the body (``text`` has ``\\n`` line ends).

    Blank lines before the opening ``---`` are allowed.
    A block that is never closed or is not valid YAML is a problem, not a
    failure: an unclosed block leaves the whole text as the body; an invalid
    one is removed and the body after it is read as text without metadata.
    """
    opening = _FRONT_MATTER_OPEN.match(text)
    if not opening:
        return FrontMatter(body=text)
    closing = _FRONT_MATTER_CLOSE.search(text, opening.end())
    if not closing:
        return FrontMatter(
            body=text,
            problem="malformed YAML front matter (opening '---' is never closed); read as plain text",
        )
    block = text[opening.end() : closing.start()]
    body = text[closing.end() :].removeprefix("\n")
    try:
        fields = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        return FrontMatter(body=body, problem=_yaml_problem(exc))
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        return FrontMatter(
            body=body,
            problem="malformed YAML front matter (not a list of key: value fields); "
            "body read as plain text",
        )
    return FrontMatter(
        fields={str(k).lower(): v for k, v in fields.items()}, body=body, present=True
    )


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    where = f"line {mark.line + 2}: " if mark is not None else ""  # +1 for 1-based, +1 for '---'
    return f"malformed YAML front matter ({where}{what}); body read as plain text"


def metadata_from_front_matter(fields: dict) -> tuple[str, str, str, list[str]]:
    """Title, ISO publication date, source and problems from front matter fields.

    The source is the ``source`` field, else ``publisher``, else ``author``.
    """
    title = _field_text(fields, "title")
    source = _field_text(fields, "source", "publisher", "author")
    problems = []
    published = ""
    for key in ("date", "published", "pubdate", "publish_date"):
        value = fields.get(key)
        if value in (None, ""):
            continue
        published = parse_publication_date(value)
        if not published:
            problems.append(f"front matter {key} {str(value)!r} is not a date")
        break
    return title, published, source, problems


def _field_text(fields: dict, *keys: str) -> str:
    for key in keys:
        value = fields.get(key)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v is not None)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def parse_publication_date(value: object) -> str:
    """ISO ``YYYY-MM-DD`` from a YAML date value, an RFC 2822 date or a Chinese/ISO date; else ''."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    match = _DATE.search(text)
    return _iso_date(match) if match else ""


# --------------------------------------------------------------------------- format

_HTML_TAG = re.compile(
    r"</?(?:p|div|br|span|a|img|h[1-6]|ul|ol|li|table|tr|td|th|strong|em|b|i|u|section|article"
    r"|header|footer|nav|html|body|head|title|meta|script|style|font|center|blockquote|pre"
    r"|figure|figcaption|iframe|hr)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)

# Page chrome a scraper leaves in plain text: one family is enough to call it a scraped page.
CHROME_MARKERS = {
    "browser warning": r"浏览器版本|瀏覽器版本|(?:推荐|建议|推薦|建議)使用.{0,12}(?:浏览器|瀏覽器)",
    "navigation": r"栏目导航|欄目導航|网站导航|網站導航|COLUMN NAVIGATION|当前位置|當前位置|您的位置|首页\s*[>»]",
    "visit counter": r"(?:访问|浏览|点击|阅读|訪問|瀏覽|點擊|閱讀)(?:次数|次數|数|數|量)\s*[:：]",
    "copyright": r"版权所有|版權所有|COPYRIGHT|All Rights Reserved|ICP\s*备|ICP\s*備|公网安备|公網安備",
    "back to top": r"返回顶部|返回頂部|回到顶部|回到頂部",
    "site banner": r"欢迎(?:光临|访问|您)|歡迎(?:光臨|訪問|您)",
    "accessibility": r"无障碍浏览|無障礙瀏覽",
    "page tools": r"字体\s*[:：]|字體\s*[:：]|打印本页|打印本頁|关闭窗口|關閉窗口|分享到",
}
_CHROME = re.compile("|".join(f"(?:{p})" for p in CHROME_MARKERS.values()), re.IGNORECASE)


def detect_format(body: str) -> str:
    """``'html'``, ``'scraped_page'`` or ``'plain_text'`` for a document without front matter.

    HTML needs at least two real tags (``<p>``, ``<div>``, ``<br>`` ...);
    a scraped page is plain text carrying page chrome (see :data:`CHROME_MARKERS`).
    """
    if len(_HTML_TAG.findall(body, 0, 200_000)) >= 2:
        return FORMAT_HTML
    if _CHROME.search(body):
        return FORMAT_SCRAPED_PAGE
    return FORMAT_PLAIN_TEXT


def header_lines(body: str, fmt: str) -> list[str]:
    """The page header: non-empty lines (stripped) above the first body paragraph.

    At most :data:`HEADER_LINES` lines; HTML markup is removed first. Dates,
    sources and titles are only looked for here, so the body's are never taken.
    """
    from .clean import remove_pinyin_annotations

    if fmt in (FORMAT_HTML, FORMAT_FRONT_MATTER_HTML):
        body = _html_to_text(body)
    lines = []
    for line in body.split("\n"):
        line = remove_pinyin_annotations(line.strip())[0]  # 來(lái)源 -> 來源: conversion damage
        if not line:
            continue
        if is_body_paragraph(line) or len(lines) == HEADER_LINES:
            break
        lines.append(line)
    return lines


def is_body_paragraph(line: str) -> bool:
    """A line of running text: it ends a sentence, or is long and punctuated like prose."""
    return "。" in line or (len(line) > 100 and bool(_SENTENCE_PUNCTUATION.search(line)))


def _html_to_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "head"]):
        tag.decompose()
    return soup.get_text("\n")


def _html_title(html: str) -> str:
    """Text of the first ``<h1>``, else of ``<title>``; '' when there is neither."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for name in ("h1", "title"):
        tag = soup.find(name)
        if tag is not None:
            text = " ".join(tag.get_text(" ").split())
            if text:
                return text
    return ""


# --------------------------------------------------------------------------- header facts

_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})(?!\d)\s*日?"
)
_DATE_LABEL = (
    r"(?:(?:发布|發布|發佈|发表|發表|更新|发稿|發稿|上传|上傳)(?:于|於|时间|時間|日期)?"
    r"|时间|時間|日期)\s*[:：]?\s*"
)
_LABELLED_DATE = re.compile(_DATE_LABEL + _DATE.pattern)
_DATELINE = re.compile(
    r"^" + _DATE.pattern + r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?P<rest>(?:[\s|｜/].*)?)$"
)
_META_LABEL = re.compile(
    r"来源|來源|作者|编辑|編輯|责编|責編|浏览|瀏覽|访问|訪問|点击|點擊|字体|字體"
)
_SOURCE_LABEL = re.compile(r"(?:来源|來源|出处|出處)\s*[:：]\s*(?P<value>.+)")
_SOURCE_VALUE_END = re.compile(r"\s{2,}|[|｜]|\s+(?=\S{1,6}[:：])")
_SENTENCE_PUNCTUATION = re.compile(r"[，。；,;]")
_NAVIGATION_WORDS = re.compile(
    r"栏目|欄目|导航|導航|首页|首頁|登录|登錄|注册|註冊|搜索|搜尋|网站地图|網站地圖|返回|主办|主辦|承办|承辦"
)
_FILE_NAME = re.compile(r"\.(?:jpe?g|png|gif|bmp|webp|pdf|docx?|xlsx?)$", re.IGNORECASE)
_CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def facts_from_header(lines: list[str]) -> HeaderFacts:
    """Title, date and source read from a page's header lines.

    The date comes from a labelled date (``发布于2020-03-19``,
    ``发布时间: 2022年05月17日``), a dateline (``2020-12-12 中华人民共和国民政部``,
    whose rest is the source) or a short metadata line with a date and a label
    such as 来源/作者. The title is the last headline-like line above the date
    line, else the first headline-like line of the header.
    """
    date_index, published, dateline_source = find_publication_line(lines)
    source = find_labelled_source(lines) or dateline_source
    return HeaderFacts(title=find_headline(lines, date_index), published=published, source=source)


def find_publication_line(lines: list[str]) -> tuple[int, str, str]:
    """(index of the date line or -1, ISO date or '', source named on a dateline or '')."""
    for index, line in enumerate(lines):
        match = _LABELLED_DATE.search(line)
        if match and _iso_date(match):
            return index, _iso_date(match), ""
    for index, line in enumerate(lines):
        match = _DATELINE.match(line)
        if match and _iso_date(match) and len(line) <= 60:
            rest = match.group("rest").strip(" \t|｜/")
            if not _SENTENCE_PUNCTUATION.search(rest):
                return index, _iso_date(match), _dateline_source(rest)
    for index, line in enumerate(lines):
        match = _DATE.search(line)
        if match and _iso_date(match) and len(line) <= 80 and _META_LABEL.search(line):
            return index, _iso_date(match), ""
    return -1, "", ""


def _dateline_source(rest: str) -> str:
    """The source named after the date on a dateline: short text, not other metadata."""
    if not rest or _META_LABEL.search(rest) or _CHROME.search(rest) or len(rest) > 30:
        return ""
    return rest if _CJK_CHAR.search(rest) else ""


def find_labelled_source(lines: list[str]) -> str:
    """The value after 来源:/來源:/出处: on a header line (up to the next field), else ''."""
    for line in lines:
        match = _SOURCE_LABEL.search(line)
        if match:
            value = _SOURCE_VALUE_END.split(match.group("value").strip(), maxsplit=1)[0]
            value = value.strip(" )）】]")
            if value:
                return value
    return ""


def find_headline(lines: list[str], date_index: int = -1) -> str:
    """The page title among the header lines; '' when no line looks like one."""
    candidates = [i for i, line in enumerate(lines) if i != date_index and is_headline_like(line)]
    above_date = [i for i in candidates if i < date_index]
    if above_date:
        return lines[above_date[-1]]
    return lines[candidates[0]] if candidates else ""


def is_headline_like(line: str) -> bool:
    """A short line of mostly Chinese words that is not chrome, navigation, a date or a sentence."""
    cjk = len(_CJK_CHAR.findall(line))
    return (
        cjk >= 5
        and len(line) <= 80
        and "。" not in line
        and not _CHROME.search(line)
        and not _NAVIGATION_WORDS.search(line)
        and not _FILE_NAME.search(line)
        and not _LABELLED_DATE.search(line)
        and not _DATELINE.match(line)
        and not _SOURCE_LABEL.search(line)
        and not is_page_furniture(line)
    )


def is_page_furniture(line: str) -> bool:
    """Whether the clean stage's boilerplate patterns (one list, a data file) reject ``line``:
    a WeChat prompt such as 点击蓝字关注我们 is never a title."""
    from .clean import boilerplate_reason, normalize_width

    return bool(boilerplate_reason(normalize_width(line.strip())))


def _iso_date(match: re.Match) -> str:
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"])).isoformat()
    except ValueError:
        return ""
