"""The clean stage: normalization, boilerplate and the seed documents' cleaned text."""

from __future__ import annotations

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.text.cleaning import (
    boilerplate_reason,
    clean_document,
    html_to_text,
    mark_boilerplate_blocks,
    normalize_spacing,
    normalize_width,
    remove_pinyin_annotations,
    simplified_dual_use,
    to_simplified,
)
from test_sections import seed_docs  # noqa: F401  (session fixture shared with the section tests)


def _doc(docs, prefix):
    return next(d for k, d in docs.items() if k.startswith(prefix))


def _body_text(doc) -> str:
    return "\n".join(s["text"] for s in doc.sentences)


# --- seeds -----------------------------------------------------------------------------


def test_no_traditional_character_survives_in_002(seed_docs):  # noqa: F811
    doc = _doc(seed_docs, "002")
    tw2s = opencc.OpenCC("tw2s").convert
    dual = simplified_dual_use()
    assert [c for c in set(doc.text) if c not in dual and tw2s(c) != c] == []
    assert "陕西社会组织深度参与疫情防控" in doc.text


def test_related_links_of_002_are_not_body(seed_docs):  # noqa: F811
    body = _body_text(_doc(seed_docs, "002"))
    for phrase in ("天津社会组织积极参与疫情防控工作", "狗不理", "相关焦点", "杭州社会组织"):
        assert phrase not in body
    assert "引导慈善捐赠,保障疫情防控。" in [s["text"] for s in _doc(seed_docs, "002").sentences]


@pytest.mark.parametrize("phrase", ["您的浏览器", "栏目导航", "COLUMN", "访问次数", "联系我们",
                                    "版权所有", "返回顶部", "在线咨询", "ICP", "微信图片_",
                                    "电邮", "0931-8408197"])
def test_navigation_and_footer_of_001_are_not_body(seed_docs, phrase):  # noqa: F811
    assert phrase not in _body_text(_doc(seed_docs, "001"))


def test_image_file_names_are_dropped_and_recorded(seed_docs):  # noqa: F811
    doc = _doc(seed_docs, "001")
    assert "微信图片_" not in doc.text
    assert sum(d["reason"] == "image_file_name" for d in doc.dropped) == 10


def test_banner_and_publication_line_of_004_are_not_body(seed_docs):  # noqa: F811
    body = _body_text(_doc(seed_docs, "004"))
    assert "欢迎光临" not in body and "发布时间" not in body and "无障碍" not in body
    assert "广安社会组织发挥“三大优势”投身抗疫主战场" in body


def test_editor_lines_of_000_are_not_body_and_html_is_gone(seed_docs):  # noqa: F811
    doc = _doc(seed_docs, "000")
    assert "<p>" not in doc.text and "referrerpolicy" not in doc.text
    assert "栏目主编" in doc.text and "栏目主编" not in _body_text(doc)


def test_spaced_numbers_of_003_are_joined(seed_docs):  # noqa: F811
    text = _doc(seed_docs, "003").text
    assert "13万个" in text and "约3.15亿元" in text and "3月11日" in text
    assert "4.5万名志愿者这样守护上海" in text


# --- units -----------------------------------------------------------------------------


def test_pinyin_annotations_are_removed():
    assert remove_pinyin_annotations("協(xié)會(huì)")[0] == "協會"
    assert remove_pinyin_annotations("社區（shè qū）服務")[0] == "社區服務"
    assert remove_pinyin_annotations("綠(lǜ)色")[0] == "綠色"


@pytest.mark.parametrize("text", ["KN95口罩(KN95)", "指南(第八版)", "天平(湖南)街道", "口罩(N95)",
                                  "新冠(Covid)肺炎", "便携装酒精(250ML)"])
def test_real_parentheticals_stay(text):
    assert remove_pinyin_annotations(text)[0] == text


def test_traditional_and_variant_characters_become_simplified():
    assert to_simplified("陝西社會組織") == "陕西社会组织"
    assert to_simplified("陜西") == "陕西"
    assert to_simplified("那么") == "那么" and to_simplified("么") == "么"


def test_width_normalization_keeps_chinese_punctuation():
    assert normalize_width("ＫＮ９５口罩１３万个，共计３．１５亿元！") == "KN95口罩13万个，共计3.15亿元！"
    assert normalize_width("（第八版）：；？") == "（第八版）：；？"
    assert normalize_width("全\u3000角\u00a0空格") == "全 角 空格"
    assert normalize_width("⼈⺠") == "人⺠"  # Kangxi radical via NFKC; ⺠ via the variant table


@pytest.mark.parametrize("raw, expected", [
    ("13 万个", "13万个"), ("3 月 11 日", "3月11日"), ("约 3.15 亿元", "约3.15亿元"),
    ("KN95 口罩", "KN95口罩"), ("陕 西 省", "陕西省"), ("All Rights Reserved  版权所有", "All Rights Reserved 版权所有"),
    ("  缩进的  行  ", "缩进的行"), ("帮买药 4.5 万名", "帮买药4.5万名"), ("2020 2021", "2020 2021"),
])
def test_spacing_normalization(raw, expected):
    assert normalize_spacing(raw) == expected


def test_html_block_elements_become_lines_and_scripts_are_dropped():
    text, dropped = html_to_text("<div><p>第一段&nbsp;文字</p><script>var a=1;</script>"
                                 "<p>第二<br>行</p><img src='a.jpg'><ul><li>甲</li><li>乙</li></ul></div>")
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    assert lines == ["第一段 文字", "第二", "行", "甲", "乙"]
    assert {d["reason"] for d in dropped} == {"script", "image"}


def test_plain_text_with_angle_brackets_is_not_parsed_as_html():
    doc = clean_document("關於印發<評比達標表彰活動管理辦法>的通知。", "plain_text")
    assert "评比达标表彰活动管理办法" in doc.text


@pytest.mark.parametrize("line, reason", [
    ("您的浏览器版本过低,推荐使用高版本浏览器", "browser_warning"),
    ("欢迎光临四川省民政厅官方网站!无障碍浏览", "site_banner"),
    ("发布于2020-03-19访问次数:3285来源:本站", "publication_info"),
    ("发布时间: 2022年05月17日【字体:】", "publication_info"),
    ("责任编辑：张三", "editor"),
    ("COPYRIGHT © 2018 All Rights Reserved 版权所有:甘肃一山一水", "copyright"),
    ("返回顶部", "widget"),
    ("相关阅读", "related_links"),
    ("2020-12-12中华人民共和国民政部", "dateline"),
])
def test_boilerplate_lines(line, reason):
    assert boilerplate_reason(line) == reason


@pytest.mark.parametrize("line", [
    "2021年12月21日，冬至。", "寒冬", "省级枢纽机构", "“", "协调人故事",
    "开通心理援助热线:0931-1234567,为市民提供服务。疫情期间全天开放。",
])
def test_article_lines_are_not_boilerplate(line):
    assert boilerplate_reason(line) == ""


def test_spaced_name_byline_is_boilerplate():
    assert boilerplate_reason("赵斐王东鹏", "赵 斐 王东鹏") == "byline_names"


def test_related_links_block_runs_to_the_end_when_followed_by_list_items():
    lines = ["正文。", "相关阅读", "• 另一篇文章", "另一篇文章的摘要,很长很长。很长。"]
    reasons = mark_boilerplate_blocks(lines, [boilerplate_reason(line) for line in lines])
    assert reasons == ["", "related_links", "related_links", "related_links"]


def test_related_links_block_runs_to_the_end_when_followed_by_bare_headlines():
    lines = ["正文。", "相关链接：", "浙江省慈善联合会募集资金5亿元", "杭州市志愿者协会组织志愿者2000名"]
    reasons = mark_boilerplate_blocks(lines, [boilerplate_reason(line) for line in lines])
    assert reasons == ["", "related_links", "related_links", "related_links"]


def test_related_heading_followed_by_prose_stays_body():
    prose = "省慈善总会当天又接收捐款300万元,全部用于一线防控。随后分批拨付到各市县,用于采购防护物资和慰问一线人员。"
    lines = ["正文。", "相关阅读", prose]
    reasons = mark_boilerplate_blocks(lines, [boilerplate_reason(line) for line in lines])
    assert reasons[2] == ""


def test_footer_block_stops_before_prose():
    lines = ["联系我们", "地址:兰州市", "正文继续,内容很长。还有一句。"]
    reasons = mark_boilerplate_blocks(lines, [boilerplate_reason(line) for line in lines])
    assert reasons[0] == "footer" and reasons[2] == ""


def test_clean_document_never_crashes_on_odd_input():
    for raw in ["", "\n\n", "□□□", "<html></html>", "■■市■■区社会组织捐赠口罩×万只。", "a" * 10]:
        doc = clean_document(raw, "plain_text")
        assert doc.sections and doc.sections[-1]["char_end"] == len(doc.text)
    doc = clean_document("某市□□区社会组织捐赠口罩。", "plain_text")
    assert doc.notes and "□□" in doc.text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("陕西省社會組織捐赠口罩。；,\n 13万个（）(xié)•相关阅读联系我们<p>")),
               max_size=120))
def test_any_text_gives_contiguous_sections_and_exact_sentence_offsets(raw):
    doc = clean_document(raw, "plain_text")
    assert doc.sections[0]["char_start"] == 0 and doc.sections[-1]["char_end"] == len(doc.text)
    for sentence in doc.sentences:
        assert doc.text[sentence["char_start"]:sentence["char_end"]] == sentence["text"]


def _normalize_width_per_character(line: str) -> str:
    """:func:`normalize_width` as first written, one character at a time: the reference."""
    import re
    import unicodedata

    out = []
    line = re.sub("(?<=[\uff10-\uff19])\uff0c(?=[\uff10-\uff19]{3}(?![\uff10-\uff19]))", ",", line)
    for ch in re.sub(r"[\u200b-\u200d\u2060\ufeff\u00ad]", "", line):
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E and ch not in "，：；？！（）":
            out.append(chr(code - 0xFEE0))
        elif 0x2F00 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F:
            out.append(unicodedata.normalize("NFKC", ch))
        else:
            out.append(ch)
    return re.sub(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\r\f\v]", " ", "".join(out))


_WIDTH_ALPHABET = st.one_of(
    st.characters(min_codepoint=0xFF00, max_codepoint=0xFF65),
    st.characters(min_codepoint=0x2EF0, max_codepoint=0x2FEF),
    st.characters(min_codepoint=0xF8F0, max_codepoint=0xFB05),
    st.characters(min_codepoint=0x2F7F0, max_codepoint=0x2FA2F),
    st.characters(min_codepoint=0x2000, max_codepoint=0x2070),
    st.sampled_from("\u3000\u00a0\u00ad\ufeff\u1680\t\r\f\v ,，0１人。"),
    st.characters(),
)


@settings(max_examples=400, deadline=None)
@given(st.text(_WIDTH_ALPHABET, max_size=40))
def test_normalize_width_is_the_per_character_rule(line):
    assert normalize_width(line) == _normalize_width_per_character(line)


@settings(max_examples=300, deadline=None)
@given(st.text(st.one_of(_WIDTH_ALPHABET, st.sampled_from("陜囘衞躭陝西")), max_size=40))
def test_one_translation_is_variants_then_width(line):
    from helpers.text.cleaning import FULLWIDTH_THOUSANDS_RE, variant_and_width_table, variant_table

    one_pass = FULLWIDTH_THOUSANDS_RE.sub(",", line).translate(variant_and_width_table())
    assert one_pass == normalize_width(line.translate(variant_table()))
