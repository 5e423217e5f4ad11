"""Reports the rules were not written for: other provinces, sites, encodings and page forms.

``tests/fixtures/unseen/`` holds 14 realistic reports from provinces that are not in
the seeds (浙江, 湖北, 江苏, 福建, 吉林, 河南, 天津, 广西, 云南, 内蒙古, 北京, 新疆,
河北), each in another page form: a 民政厅 page with header and footer, WeChat
articles, news portals (人民网, 新华网, 澎湃), an HTML page, a Traditional-character
report in Big5, a GBK page, a page mangled by conversion (``協(xié)會(huì)``), one with
censored characters, one with spam and app advertising, and one with regional parts
(``一、浙江省`` / ``（一）杭州市`` / ``【南京】``). ``tests/fixtures/unseen_gold/`` holds
their hand-made annotations in the gold schema (see its README for the decisions).
"""

from __future__ import annotations

import pytest

from conftest import build_corpus
from helpers.evaluation.quantities import load_gold_quantities, score_quantities
from helpers.extract.quantities import extract_quantities
from helpers.extract.regions import attribute_region
from helpers.paths import PROJECT_ROOT
from helpers.text.cleaning import clean_document, normalize_width
from helpers.text.numbers import parse_range
from helpers.text.sections import Region, region_of_heading

UNSEEN_DIR = PROJECT_ROOT / "tests" / "fixtures" / "unseen"
UNSEEN_GOLD = PROJECT_ROOT / "tests" / "fixtures" / "unseen_gold" / "quantities.csv"


@pytest.fixture(scope="module")
def unseen_tables(tmp_path_factory):
    return build_corpus(UNSEEN_DIR, tmp_path_factory.mktemp("unseen-build"))


@pytest.fixture(scope="module")
def unseen_scores(unseen_tables):
    gold = load_gold_quantities(UNSEEN_GOLD)
    return score_quantities(unseen_tables["quantities"], gold, unseen_tables["sentences"])


def _body_text(tables, doc_id):
    sentences = tables["sentences"]
    return "\n".join(sentences.loc[sentences["doc_id"] == doc_id, "text"])


# --- the whole chain on the unseen reports ----------------------------------------------------


def test_quantity_f1_and_region_accuracy(unseen_scores):
    report = unseen_scores.summary().to_string()
    fn = unseen_scores.false_negatives[["doc_id", "surface", "kind"]].to_string()
    fp = unseen_scores.false_positives[["doc_id", "surface", "kind"]].to_string()
    assert unseen_scores.overall.f1 >= 0.95, (report, fn, fp)
    assert unseen_scores.province_accuracy >= 0.95, report
    assert unseen_scores.city_accuracy >= 0.9, report


def test_every_document_is_read(unseen_tables):
    docs = unseen_tables["documents"].set_index("doc_id")
    assert len(docs) == 14
    assert (docs["status"] != "failed").all(), docs[["status", "error"]]
    assert docs.at["u04_xiamen_traditional", "encoding"].startswith(("big5", "cp950"))
    assert docs.at["u09_guangxi_xinhua", "encoding"] in ("gbk", "gb18030", "gb2312")


@pytest.mark.parametrize("fragment", [
    "责任编辑", "打印本页", "关闭窗口", "分享到", "扫一扫", "上一篇", "下一篇", "浏览次数", "阅读量",
    "大中小", "小字号", "蓝字", "阅读原文", "红包", "APP", "客户端", "江苏频道", "广西频道", "政务公开",
    "当前位置", "ICP备", "发布时间", "发布日期", "原创", "文字 |", "图片 |", "了解更多", "相关新闻",
    "大公文汇全媒体", "云南省民政厅2021",
])
def test_site_boilerplate_yields_no_sentence(unseen_tables, fragment):
    sentences = unseen_tables["sentences"]
    hits = sentences[sentences["text"].str.contains(fragment, regex=False)]
    assert hits.empty, hits[["doc_id", "text"]].to_string()


def test_related_links_and_next_articles_give_no_quantity(unseen_tables):
    q = unseen_tables["quantities"]
    # 部署3000家 (u01 link list), 3000余名 (u03 相关新闻), 1000名 (u09 下一篇), 500万元 (u11 下一篇)
    for doc, value in [("u01_zhejiang_mzt", 3000), ("u03_nanjing_portal", 3000),
                       ("u09_guangxi_xinhua", 1000), ("u11_huhehaote", 5_000_000)]:
        assert not ((q["doc_id"] == doc) & (q["value"] == value)).any(), (doc, value)


def test_pinyin_artefacts_removed_and_traditional_converted(unseen_tables):
    text = _body_text(unseen_tables, "u05_changchun_mangled")
    assert "(xié)" not in text and "(wàn)" not in text
    assert "长春市物流协会" in text
    assert "厦门市慈善总会" in _body_text(unseen_tables, "u04_xiamen_traditional")


def test_two_regions_in_headed_parts(unseen_tables):
    sections = unseen_tables["sections"]
    parts = sections[(sections["doc_id"] == "u08_two_regions") & sections["in_body"]]
    regions = set(zip(parts["province"], parts["city"], strict=True))
    assert {("浙江省", "杭州市"), ("浙江省", "宁波市"), ("江苏省", "南京市"), ("江苏省", "苏州市")} <= regions


def test_censored_number_is_not_a_quantity(unseen_tables):
    q = unseen_tables["quantities"]
    doc = q[q["doc_id"] == "u06_zhengzhou_censored"]
    assert not (doc["value"] == 0).any(), doc[["surface", "value"]]
    assert "拾万元" in set(doc["surface"])


# --- the rules one by one --------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "surface", "value", "value_high", "qualifier", "kind"), [
    ("会员企业捐款600万，捐赠口罩", "600万", 6_000_000, None, "", "money"),
    ("河南省商会捐款600万支持防疫", "600万", 6_000_000, None, "", "money"),
    ("北京市红十字基金会筹集资金逾2000万，用于", "逾2000万", 20_000_000, None, "over", "money"),
    ("发放补贴共计12万。", "12万", 120_000, None, "", "money"),
    ("募集款物一亿两千万元", "一亿两千万元", 120_000_000, None, "", "money"),
    ("捐款1亿2000万元", "1亿2000万元", 120_000_000, None, "", "money"),
    ("组织志愿者1万5千余名", "1万5千余名", 15_000, None, "over", "people"),
    ("动员逾千名义工投入", "逾千名", 1000, None, "over", "people"),
    ("50名义务工作者", "50名", 50, None, "", "people"),
    ("累计服务1.2万人次", "1.2万人次", 12_000, None, "", "person_times"),
    ("累计服务时长3.6万小时", "3.6万小时", 36_000, None, "", "hours"),
    ("84消毒液五六百瓶", "五六百瓶", 500, 600, "", "items"),
    ("募集善款拾万元", "拾万元", 100_000, None, "", "money"),
    ("发放宣传单上万份", "上万份", 10_000, None, "over", "items"),
    ("服务居民近万人", "近万人", 10_000, None, "nearly", "people"),
    ("募集善款4万余元", "4万余元", 40_000, None, "over", "money"),
    ("捐赠医用口罩40,000个", "40,000个", 40_000, None, "", "items"),
    ("抗原检测试剂5万人份", "5万人份", 50_000, None, "", "items"),
    ("发放图书万余册", "万余册", 10_000, None, "over", "items"),
    ("送去棉被3000床", "3000床", 3000, None, "", "items"),
    ("组建了24个心理援助小组，", "24个", 24, None, "", "teams"),
    ("面包5万个发往隔离点。", "5万个", 50_000, None, "", "items"),
    ("芒市青年志愿者协会组织数百名志愿者", "数百名", 100, None, "over", "people"),  # vague: lower bound
    ("募集十几万元", "十几万元", 100_000, None, "over", "money"),
])
def test_quantity_forms_of_other_reports(sentence, surface, value, value_high, qualifier, kind):
    found = [m for m in extract_quantities(sentence) if m.surface == surface]
    assert len(found) == 1, extract_quantities(sentence)
    m = found[0]
    assert (m.value, m.value_high, m.qualifier, m.kind) == (value, value_high, qualifier, kind)


@pytest.mark.parametrize("sentence", [
    "爱心午餐标准为15元/人。",  # a rate, not a total
    "捐赠价值□0万元的防疫物资",  # a digit is censored
    "惠及群众600万，",  # 600万 with no money word before it
    "12部门联合发文",  # 部门 is not 12部 + 门
])
def test_not_quantities_of_other_reports(sentence):
    assert extract_quantities(sentence) == []


def test_fullwidth_thousands_separator():
    line = normalize_width("服务时长１，２００小时，覆盖２１６家")
    assert line == "服务时长1,200小时，覆盖216家"
    assert [m.value for m in extract_quantities(line)] == [1200, 216]
    assert normalize_width("1，200") == "1，200"  # an ASCII list stays a list


@pytest.mark.parametrize(("text", "expected"), [
    ("1万5千", (15_000, None)), ("1亿2000万", (120_000_000, None)), ("3万5000", (35_000, None)),
    ("12万3456", (123_456, None)), ("1.2万-1.5万", (12_000, 15_000)),
])
def test_mixed_arabic_and_chinese_magnitudes(text, expected):
    assert parse_range(text) == expected


@pytest.mark.parametrize(("line", "region"), [
    ("【南京】市社会组织联合会发动会员单位捐赠", Region("江苏省", "南京市")),
    ("[苏州]", Region("江苏省", "苏州市")),
    ("（一）宁波市", Region("浙江省", "宁波市")),
    ("【大公报讯】记者陈思厦门报道：福建厦门近日爆发新一轮疫情", None),
])
def test_bracketed_region_heads(line, region):
    assert region_of_heading(line) == region


def test_dateline_place_does_not_set_the_city():
    sentence = "新华社南宁3月2日电（记者黄凯）记者从广西壮族自治区民政厅获悉，累计捐赠款物价值6.3亿元。"
    start = sentence.index("6.3")
    assert attribute_region(sentence, start, "广西壮族自治区", "") == ("广西壮族自治区", "")
    plain = "南宁市社会组织捐款捐物4,280万元。"
    assert attribute_region(plain, plain.index("4,280"), "广西壮族自治区", "") == ("广西壮族自治区", "南宁市")


@pytest.mark.parametrize("line", [
    "打印本页  关闭窗口", "【打印本页】【关闭窗口】", "【大 中 小】", "小字号", "分享让更多人看到",
    "人民网 >> 江苏频道 >> 社会", "新华网 首页 | 时政 | 地方 | 广西频道", "[ 责任编辑: 黄凯 ]",
    "来源：中国社会组织动态  发布时间：2020-02-20", "云南省民政厅 2021-11-05",
    "原创 武汉社会组织 武汉社会组织 2020-03-18 18:30", "点击下方链接，注册即送188元新人红包！",
    "（本文来自澎湃新闻，更多原创资讯请下载“澎湃新闻”APP）", "更多精彩内容，请关注“津云”客户端。",
    "↑点击上方“石家庄社会组织”关注我们", "文字 | 张华",
])
def test_other_sites_boilerplate_lines(line):
    cleaned = clean_document(f"正文第一段，社会组织捐赠口罩500只。\n{line}\n正文第二段，志愿者300名参与。", "plain_text")
    assert [s["text"] for s in cleaned.sentences] == ["正文第一段，社会组织捐赠口罩500只。", "正文第二段，志愿者300名参与。"]


def test_a_headline_with_one_bar_stays_in_the_body():
    cleaned = clean_document("战疫｜武汉社会组织“逆行者”群像\n正文，志愿者300名参与。", "plain_text")
    assert cleaned.sentences[0]["text"] == "战疫|武汉社会组织“逆行者”群像"
