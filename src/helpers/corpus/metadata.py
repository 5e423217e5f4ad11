"""What a document says about itself: YAML front matter, format, and header facts.

Title, publication date and source come from the front matter or from the
page's own header lines (the first non-empty lines), never from the body.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from .chars import HAN_CHAR
from .normalize import html_text

FORMAT_FRONT_MATTER_HTML = "front_matter_html"
FORMAT_HTML = "html"
FORMAT_SCRAPED_PAGE = "scraped_page"
FORMAT_PLAIN_TEXT = "plain_text"


# How many non-empty lines at the top of a document count as its header.
HEADER_LINES = 15


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


#: The largest front matter block read (characters), and the most its aliases may expand to:
#: a YAML alias bomb (a few hundred bytes naming lists of lists) is refused, with a warning.
MAX_FRONT_MATTER_CHARS = 64 * 1024


class FrontMatterLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that keeps dates as text: :func:`parse_publication_date` reads them,
    so an impossible date (``2020-02-30``) is a warning instead of an error."""


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class FrontMatterTooLarge(ValueError):
    """A front matter block, or what its aliases expand to, is over :data:`MAX_FRONT_MATTER_CHARS`."""


def load_front_matter(block: str, limit: int = MAX_FRONT_MATTER_CHARS):
    """The YAML value of a front matter ``block``; :class:`FrontMatterTooLarge` when the block
    or its expansion through aliases is over ``limit`` characters (or an alias refers to itself)."""
    if len(block) > limit:
        raise FrontMatterTooLarge(f"front matter of {len(block):,} characters is over the limit of {limit:,}")
    loader = FrontMatterLoader(block)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        size = expanded_size(node, limit)
        if size > limit:
            raise FrontMatterTooLarge(
                f"front matter aliases expand past {limit:,} characters (an alias bomb)")
        return loader.construct_document(node)
    finally:
        loader.dispose()


def expanded_size(node: yaml.Node, limit: int) -> int:
    """How many characters a YAML node stands for once its aliases are expanded, counted
    without expanding them (each node once); more than ``limit`` for a self-referring alias."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(n: yaml.Node) -> int:
        key = id(n)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:  # an alias to a node that contains it: infinite
            return limit + 1
        open_nodes.add(key)
        if isinstance(n, yaml.ScalarNode):
            total = len(n.value) + 1
        elif isinstance(n, yaml.SequenceNode):
            total = 1 + sum(size(child) for child in n.value)
        else:
            total = 1 + sum(size(k) + size(v) for k, v in n.value)
        open_nodes.discard(key)
        sizes[key] = min(total, limit + 1)
        return sizes[key]

    return size(node)


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
        fields = load_front_matter(block)
    except FrontMatterTooLarge as exc:
        return FrontMatter(body=body, problem=f"{exc}: not read; body read as plain text")
    except yaml.YAMLError as exc:
        return FrontMatter(body=body, problem=_yaml_problem(exc))
    except (ValueError, TypeError, RecursionError) as exc:  # an explicit tag with a bad value
        return FrontMatter(body=body, problem=f"malformed YAML front matter ({type(exc).__name__}: {exc}); "
                                              "body read as plain text")
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


def visible_text(body: str, fmt: str) -> str:
    """The text a reader sees: HTML markup removed for the HTML formats."""
    return html_text(body) if fmt in (FORMAT_HTML, FORMAT_FRONT_MATTER_HTML) else body


def header_lines(body: str, fmt: str, visible: str | None = None) -> list[str]:
    """The page header: non-empty lines (stripped) above the first body paragraph.

    At most :data:`HEADER_LINES` lines; HTML markup is removed first (``visible``: the
    body's :func:`visible_text` when the caller has it). Dates,
    sources and titles are only looked for here, so the body's are never taken.
    """
    from ..text.cleaning import remove_pinyin_annotations

    body = visible_text(body, fmt) if visible is None else visible
    lines = []
    for line in body.split("\n"):
        line = remove_pinyin_annotations(line.strip())[0]  # 來(lái)源 -> 來源: conversion damage
        if not line:
            continue
        if is_body_paragraph(line) or len(lines) == HEADER_LINES:
            break
        lines.append(line)
    return lines


_WORD_CHAR = re.compile(r"[^\W_]")


def has_body_text(visible: str) -> bool:
    """Whether a document's visible text holds a line of article text: a line with a
    letter, digit or Han character that is not page chrome, navigation or boilerplate.
    A page of only navigation, or of only invisible characters (zero-width spaces,
    format controls), has none. Stops at the first such line."""
    for line in visible.split("\n"):
        line = "".join(ch for ch in line if unicodedata.category(ch)[0] not in "CZ").strip()
        if not line or not _WORD_CHAR.search(line):
            continue
        if _CHROME.search(line) or (len(line) <= 30 and _NAVIGATION_WORDS.search(line)):
            continue
        if not is_page_furniture(line):
            return True
    return False


def is_body_paragraph(line: str) -> bool:
    """A line of running text: it ends a sentence, or is long and punctuated like prose."""
    return "。" in line or (len(line) > 100 and bool(_SENTENCE_PUNCTUATION.search(line)))


def html_title(html: str) -> str:
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
    return rest if HAN_CHAR.search(rest) else ""


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
    cjk = len(HAN_CHAR.findall(line))
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
    from ..text.cleaning import boilerplate_reason, normalize_width

    return bool(boilerplate_reason(normalize_width(line.strip())))


def _iso_date(match: re.Match) -> str:
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"])).isoformat()
    except ValueError:
        return ""
