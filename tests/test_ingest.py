"""Tests of the ingest stage: corpus listing, encodings, formats, header facts, bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.corpus.decoding import decode_document_bytes
from helpers.corpus.documents import (
    DOCUMENT_COLUMNS,
    assign_doc_ids,
    document_from_bytes,
    ingest_corpus,
    list_corpus_files,
    read_document,
)
from helpers.corpus.metadata import detect_format, facts_from_header, parse_publication_date
from helpers.paths import SEEDS_DIR

TRADITIONAL = "陝西社會組織深度參與疫情防控，全省2175家社會組織"
SIMPLIFIED = "陕西社会组织深度参与疫情防控，全省2175家社会组织"
STATUSES = {"ok", "warning", "failed"}
FORMATS = {"front_matter_html", "html", "scraped_page", "plain_text"}


def write(folder: Path, rel_path: str, content: bytes | str) -> Path:
    path = folder / rel_path
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def read_one(tmp_path: Path, content: bytes | str, name: str = "doc.txt") -> dict:
    return read_document(write(tmp_path, name, content), tmp_path)


def seed_text(prefix: str) -> str:
    path = next(SEEDS_DIR.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the seeds


@pytest.fixture(scope="module")
def seeds():
    """The seeds' documents table, indexed by the number that starts each file name."""
    table = ingest_corpus(SEEDS_DIR)
    return table.set_index(table["doc_id"].str[:3], drop=False)


def test_all_seeds_ingest_ok(seeds):
    assert len(seeds) == 5
    assert list(seeds["status"]) == ["ok"] * 5
    assert list(seeds["error"]) == [""] * 5
    assert set(seeds["encoding"]) == {"utf-8"}
    assert all(seeds["raw_text"].str.len() > 1000)


@pytest.mark.parametrize(
    ("prefix", "title", "published", "source"),
    [
        ("000", "冬天里的暖阳 陕西1000多家社会组织_合力抗疫_", "2022-01-23", "趣头条"),
        ("001", "抗击疫情 | 10省/市区域性枢纽机构的“最后一公里”", "2020-03-19", "本站"),
        ("002", "陝西社會組織深度參與疫情防控", "2020-12-12", "中華人民共和國民政部"),
        ("003", "深圳社会组织党组织“疫”线发挥“堡垒·先锋”作用", "", ""),
        ("004", "广安社会组织发挥“三大优势”投身抗疫主战场", "2022-05-17", ""),
    ],
)
def test_seed_metadata(seeds, prefix, title, published, source):
    row = seeds.loc[prefix]
    assert (row["title"], row["published"], row["source"]) == (title, published, source)


def test_seed_formats(seeds):
    assert seeds.loc["000", "format"] == "front_matter_html"
    assert seeds.loc["001", "format"] == "scraped_page"
    assert seeds.loc["002", "format"] == "plain_text"
    assert seeds.loc["003", "format"] == "plain_text"


def test_front_matter_is_removed_and_markup_kept(seeds):
    raw = seeds.loc["000", "raw_text"]
    assert "title:" not in raw and "---" not in raw
    assert raw.lstrip().startswith("<div>")


def test_seed_rows_record_bytes_and_hash(seeds):
    path = SEEDS_DIR / seeds.loc["002", "path"]
    data = path.read_bytes()
    assert seeds.loc["002", "bytes"] == len(data)
    assert len(seeds.loc["002", "sha256"]) == 64


# --------------------------------------------------------------------------- listing and table


def test_list_corpus_files_filters_recurses_and_sorts(tmp_path):
    for name in [
        "b.txt",
        "a/z.HTML",
        "a/y.htm",
        "c.md",
        "d.pdf",
        "e.json",
        ".hidden.txt",
        ".git/x.txt",
        "a/.cache/y.txt",
        "A.TXT",
    ]:
        write(tmp_path, name, "文本")
    rel = [p.relative_to(tmp_path).as_posix() for p in list_corpus_files(tmp_path)]
    assert rel == ["A.TXT", "a/y.htm", "a/z.HTML", "b.txt", "c.md"]


def test_ingest_corpus_table_shape(tmp_path):
    write(tmp_path, "b.txt", "社会组织积极参与疫情防控工作\n\n正文第一段。")
    write(tmp_path, "a.txt", b"")
    write(tmp_path, "c/d.md", "志愿者协会开展核酸检测服务\n\n正文。")
    table = ingest_corpus(tmp_path)
    assert list(table.columns) == DOCUMENT_COLUMNS
    assert list(table["path"]) == ["a.txt", "b.txt", "c/d.md"]
    assert list(table["status"]) == ["failed", "ok", "ok"]
    assert table["bytes"].dtype == "int64"


def test_colliding_doc_ids_become_unique_paths(tmp_path):
    for name in ["north/report.txt", "south/report.txt", "report.md", "other.txt"]:
        write(tmp_path, name, "社会组织积极参与疫情防控工作\n正文。")
    table = ingest_corpus(tmp_path)
    assert list(table["doc_id"]) == ["north__report", "other", "report", "south__report"]
    assert table["doc_id"].is_unique


def test_same_stem_same_folder_keeps_suffix(tmp_path):
    write(tmp_path, "x/a.txt", "社会组织参与疫情防控")
    write(tmp_path, "x/a.md", "社会组织参与疫情防控")
    assert list(ingest_corpus(tmp_path)["doc_id"]) == ["x__a_md", "x__a_txt"]


def test_assign_doc_ids_matches_the_table(tmp_path):
    for name in ["n/r.txt", "s/r.txt", "t.txt"]:
        write(tmp_path, name, "社会组织参与疫情防控")
    files = list_corpus_files(tmp_path)
    assert assign_doc_ids(files, tmp_path) == ["n__r", "s__r", "t"]
    assert assign_doc_ids(files, tmp_path) == list(ingest_corpus(tmp_path)["doc_id"])


# --------------------------------------------------------------------------- encodings


def representable(text: str, encoding: str) -> str:
    """``text`` without the characters ``encoding`` cannot hold (e.g. NBSP in Big5)."""
    return text.encode(encoding, errors="ignore").decode(encoding)


@pytest.mark.parametrize(
    ("prefix", "encoding", "detected"),
    [
        ("002", "big5", "big5"),
        ("004", "gbk", "gb18030"),
        ("003", "gb18030", "gb18030"),
        ("001", "utf-16", "utf-16"),
        ("002", "utf-16-le", "utf-16-le"),
        ("003", "utf-16-be", "utf-16-be"),
        ("004", "utf-8-sig", "utf-8-sig"),
    ],
)
def test_seed_in_other_encodings_decodes_to_the_same_text(tmp_path, prefix, encoding, detected):
    original = representable(seed_text(prefix), encoding)
    utf8_row = read_one(tmp_path, original, "utf8.txt")
    row = read_one(tmp_path, original.encode(encoding), "other.txt")
    assert row["encoding"] == detected
    assert row["status"] == "ok", row["error"]
    assert row["raw_text"] == utf8_row["raw_text"]
    assert (row["title"], row["published"]) == (utf8_row["title"], utf8_row["published"])


@pytest.mark.parametrize(
    ("text", "encoding", "detected"),
    [
        (TRADITIONAL, "big5", "big5"),
        (SIMPLIFIED, "gbk", "gb18030"),
        ("社會組織", "big5", "big5"),
        ("社会组织", "gbk", "gb18030"),
        ("慈善會捐贈防疫物資", "big5", "big5"),
        ("志愿者协会捐赠口罩", "gbk", "gb18030"),
    ],
)
def test_short_gbk_and_big5_are_told_apart(text, encoding, detected):
    decoded = decode_document_bytes(text.encode(encoding))
    assert (decoded.text, decoded.encoding) == (text, detected)


@pytest.mark.parametrize("line_end", ["\r\n", "\r"])
def test_crlf_and_lone_cr_become_lf(tmp_path, line_end):
    original = seed_text("002")
    row = read_one(tmp_path, original.replace("\n", line_end))
    assert row["raw_text"] == original
    assert row["published"] == "2020-12-12"


def test_utf16_with_crlf_and_bom(tmp_path):
    original = seed_text("004")
    row = read_one(tmp_path, original.replace("\n", "\r\n").encode("utf-16"))
    assert (row["encoding"], row["raw_text"]) == ("utf-16", original)


# --------------------------------------------------------------------------- bad input


def test_empty_file_fails(tmp_path):
    row = read_one(tmp_path, b"", "empty.txt")
    assert row["status"] == "failed"
    assert row["error"] == f"{tmp_path.name}/empty.txt: empty file"
    assert row["raw_text"] == "" and row["bytes"] == 0


def test_whitespace_only_file_fails(tmp_path):
    row = read_one(tmp_path, " \r\n\n\t")
    assert row["status"] == "failed" and "empty file" in row["error"]


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        bytes(range(1, 9)) * 50,
        b"PK\x03\x04\x14\x00\x06\x00" + os.urandom(64),
    ],
)
def test_binary_file_fails(tmp_path, data):
    row = read_one(tmp_path, data, "image.txt")
    assert row["status"] == "failed"
    assert row["error"] == f"{tmp_path.name}/image.txt: binary file, not text"
    assert row["raw_text"] == "" and row["bytes"] == len(data)


def test_undecodable_bytes_fail_naming_encodings_and_offset(tmp_path):
    row = read_one(tmp_path, "社会组织".encode() + b" \x80\xff\xfe end", "bad.txt")
    assert row["status"] == "failed"
    assert row["error"].startswith(f"{tmp_path.name}/bad.txt: undecodable bytes")
    for tried in ("utf-8 (byte offset 13)", "gb18030", "big5"):
        assert tried in row["error"]


def test_unterminated_front_matter_is_a_warning(tmp_path):
    text = "---\ntitle: 未闭合\ndate: 2020-01-02\n\n社会组织积极参与疫情防控\n正文。\n"
    row = read_one(tmp_path, text, "open.md")
    assert row["status"] == "warning"
    assert row["error"].startswith(f"{tmp_path.name}/open.md: malformed YAML front matter")
    assert "never closed" in row["error"]
    assert row["raw_text"] == text
    assert row["format"] in FORMATS


def test_invalid_yaml_front_matter_is_a_warning_naming_the_line(tmp_path):
    text = "---\ntitle: 好\ndate: [2020\nauthor: x: y\n---\n社会组织积极参与疫情防控\n\n正文。\n"
    row = read_one(tmp_path, text, "bad_yaml.md")
    assert row["status"] == "warning"
    assert "malformed YAML front matter (line " in row["error"]
    assert row["raw_text"] == "社会组织积极参与疫情防控\n\n正文。\n"
    assert row["title"] == "社会组织积极参与疫情防控"


def test_unreadable_file_fails(tmp_path, monkeypatch):
    path = write(tmp_path, "locked.txt", "社会组织")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    row = read_document(path, tmp_path)
    assert row["status"] == "failed"
    assert row["error"] == f"{tmp_path.name}/locked.txt: cannot read file (Permission denied)"


def test_broken_link_is_listed_and_fails(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    table = ingest_corpus(tmp_path)
    assert list(table["path"]) == ["gone.txt"]
    assert table.loc[0, "status"] == "failed"
    assert "cannot read file" in table.loc[0, "error"]


def test_replacement_characters_are_a_warning(tmp_path):
    row = read_one(tmp_path, "社会组织参与疫情防控\n\n正文\ufffd\ufffd。")
    assert row["status"] == "warning" and "U+FFFD" in row["error"]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_a_row_and_never_raise(data):
    row = document_from_bytes(data, "x/doc.txt")
    assert list(row) == DOCUMENT_COLUMNS
    assert row["status"] in STATUSES
    assert (row["error"] == "") == (row["status"] == "ok")
    if row["status"] == "failed":
        assert row["raw_text"] == "" and row["error"].startswith("x/doc.txt: ")
    else:
        assert row["format"] in FORMATS and "\r" not in row["raw_text"]


# --------------------------------------------------------------------------- formats and header facts


def test_front_matter_fields(tmp_path):
    text = "---\ntitle: 标题\ndate: 2021-03-04\nsource: 新华网\nauthor: 记者\n---\n<p>正文。</p>\n"
    row = read_one(tmp_path, text)
    assert (row["format"], row["title"], row["published"], row["source"]) == (
        "front_matter_html",
        "标题",
        "2021-03-04",
        "新华网",
    )


def test_front_matter_without_title_uses_html_heading(tmp_path):
    row = read_one(tmp_path, "---\ndate: x\n---\n<h1>社会组织在行动</h1><p>正文。</p>")
    assert row["title"] == "社会组织在行动"
    assert row["status"] == "warning" and "front matter date 'x' is not a date" in row["error"]


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("Sun, 23 Jan 2022 03:57:02 GMT", "2022-01-23"),
        ("2020年3月9日", "2020-03-09"),
        ("2020/03/09 10:00", "2020-03-09"),
        ("not a date", ""),
    ],
)
def test_parse_publication_date(value, iso):
    assert parse_publication_date(value) == iso


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("<div><p>社会组织</p></div>", "html"),
        ("第一行<br>第二行<br/>", "html"),
        ("正文。\n版权所有：某某网站", "scraped_page"),
        ("欢迎访问某市民政局网站\n标题\n正文。", "scraped_page"),
        ("正文。\n返回顶部", "scraped_page"),
        ("标题\n\n正文，说明 a<b 与 c>d 不是标签。", "plain_text"),
    ],
)
def test_detect_format(text, fmt):
    assert detect_format(text) == fmt


def test_html_page_title_and_date(tmp_path):
    html = (
        "<html><head><title>站点 - 首页</title></head><body>"
        "<h1>某市社会组织助力疫情防控</h1><div>发布日期：2021-07-08 来源：某市民政局</div>"
        "<p>正文。</p></body></html>"
    )
    row = read_one(tmp_path, html, "page.html")
    assert (row["format"], row["title"], row["published"], row["source"]) == (
        "html",
        "某市社会组织助力疫情防控",
        "2021-07-08",
        "某市民政局",
    )


@pytest.mark.parametrize(
    ("lines", "title", "published", "source"),
    [
        (
            [
                "欢迎光临某省民政厅网站",
                "首页 > 新闻",
                "社会组织参与社区防控",
                "发布时间：2021年1月5日",
            ],
            "社会组织参与社区防控",
            "2021-01-05",
            "",
        ),
        (
            ["社區志願者參與疫情防控", "2021/02/03 10:12 某某日報"],
            "社區志願者參與疫情防控",
            "2021-02-03",
            "某某日報",
        ),
        (
            ["慈善总会捐赠防疫物资", "作者：张三  2022-04-01  来源： 人民网  浏览：12"],
            "慈善总会捐赠防疫物资",
            "2022-04-01",
            "人民网",
        ),
        (["基金会紧急驰援一线医护人员"], "基金会紧急驰援一线医护人员", "", ""),
    ],
)
def test_facts_from_header(lines, title, published, source):
    facts = facts_from_header(lines)
    assert (facts.title, facts.published, facts.source) == (title, published, source)


def test_dates_in_the_body_are_not_taken(tmp_path):
    text = (
        "社会组织积极参与疫情防控\n\n2020年2月8日至2020年3月1日，协会开展消杀。\n2021-01-01 新闻\n"
    )
    row = read_one(tmp_path, text)
    assert row["published"] == ""
    assert row["title"] == "社会组织积极参与疫情防控"


def test_headline_skips_chrome_and_file_names(tmp_path):
    text = "您的浏览器版本过低,推荐使用高版本浏览器\n栏目导航\n微信图片_20200319.jpg\n志愿者联合会开展抗疫服务\n\n正文。"
    row = read_one(tmp_path, text)
    assert row["title"] == "志愿者联合会开展抗疫服务"
    assert row["format"] == "scraped_page"


def test_a_wechat_follow_prompt_is_not_the_title(tmp_path):
    from helpers.corpus.documents import read_document

    path = tmp_path / "wechat.txt"
    path.write_text("点击蓝字关注我们\n\n武汉市社会组织抗疫纪实\n\n原创 武汉社会组织 2020-03-18\n\n"
                    "武汉市各类社会组织积极参与疫情防控，捐赠物资价值3000万元。\n", encoding="utf-8")
    row = read_document(path, tmp_path)
    assert row["title"] == "武汉市社会组织抗疫纪实"
