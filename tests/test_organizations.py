"""Unit tests of organization names: boundaries, sub-units, generic mentions and types."""

import jieba
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.extract.organizations import (
    classify_org_type,
    extract_organizations,
    is_specific_name,
    org_patterns,
    organizations_table,
    tokenize,
)


def names(sentence):
    return [m.name for m in extract_organizations(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("记者从西宁市社会组织服务中心了解到", ["西宁市社会组织服务中心"]),
        (
            "中心立即协调联络河南省食品企业协会,为金水街办捐赠水饺",
            ["河南省食品企业协会", "金水街办"],
        ),
        ("枢纽机构南宁市绿叶志愿者协会联合当地伙伴", ["南宁市绿叶志愿者协会"]),
        ("市委市政府迅速部署", ["市委", "市政府"]),
        ("在团区委带领下开展志愿服务", ["团区委"]),
        ("请问是市民政局吗", ["市民政局"]),
        (
            "成都市慈善总会和新疆维吾尔自治区红十字会共同捐赠",
            ["成都市慈善总会", "新疆维吾尔自治区红十字会"],
        ),
        ("搭建起福建省联合救灾网络疫情防控协调平台", ["福建省联合救灾网络疫情防控协调平台"]),
        ("为配合复旦大学附属华山医院做好工作", ["复旦大学附属华山医院"]),
        ("长沙市新的社会阶层人士联谊会充分发挥统战力量", ["长沙市新的社会阶层人士联谊会"]),
        (
            "疫情发生后云南绿水青山环境与社会发展中心第一时间响应",
            ["云南绿水青山环境与社会发展中心"],
        ),
        ("截至目前,全市各级社会组织和当地政府共同行动", []),
        ("面对本轮疫情,该协会党支部迅速组织会员企业", []),
        ("1302支志愿服务队参与", []),
        ("抓严学会治理,成为标杆", []),
    ],
)
def test_name_boundaries(sentence, expected):
    assert names(sentence) == expected


def test_subunits_join_the_organization_before_them():
    found = extract_organizations("杭州市医学会党支部联合杭州市医师协会向医院捐赠")
    assert [(m.name, m.org_type) for m in found] == [
        ("杭州市医学会党支部", "party_org"),
        ("杭州市医师协会", "professional_society"),
    ]
    assert names("南京市慈善协会志愿服务总队和20个乡镇分队深入社区") == [
        "南京市慈善协会志愿服务总队"
    ]


def test_mention_spans_index_the_sentence():
    sentence = "5月9日,武汉市民政局发布倡议书"
    (mention,) = extract_organizations(sentence)
    assert sentence[mention.start : mention.end] == mention.name == "武汉市民政局"


@pytest.mark.parametrize(
    ("name", "org_type"),
    [
        ("深圳市巾帼志愿者协会党支部", "party_org"),
        ("佛山市巾帼志愿者协会", "volunteer_group"),
        ("广州市酒店用品行业协会", "industry_association"),
        ("温州商会", "industry_association"),
        ("湖南省医学会", "professional_society"),
        ("长沙市医师协会", "professional_society"),
        ("湖南省心理学会", "professional_society"),
        ("湖南省慈善总会", "foundation_charity"),
        ("湘潭市红十字会", "foundation_charity"),
        ("南京市仁爱社会工作服务中心", "social_work_agency"),
        ("南京社会组织服务中心", "hub_support"),
        ("南京市社会组织孵化基地", "hub_support"),
        ("团市委", "mass_org"),
        ("区青企协", "mass_org"),
        ("某某科技有限公司", "enterprise"),
        ("湖北省民政厅", "government"),
        ("市疫情指挥部医疗物资保障组", "government"),
        ("武汉市第一医院", "other"),
    ],
)
def test_types_follow_the_head_of_the_name(name, org_type):
    assert classify_org_type(name) == org_type


def test_hub_context_makes_a_social_organization_a_hub():
    assert classify_org_type("南宁市绿叶志愿者协会", context="hub_support") == "hub_support"
    assert classify_org_type("南宁市民政局", context="hub_support") == "government"
    found = extract_organizations("枢纽机构南宁市绿叶社会工作服务中心联合当地伙伴")
    assert found[0].org_type == "hub_support"


def test_generic_names_are_not_specific():
    assert not is_specific_name("各级社会组织")
    assert not is_specific_name("当地政府")
    assert is_specific_name("市政府")
    assert is_specific_name("省民政厅")


def test_words_added_to_jiebas_shared_dictionary_do_not_change_how_names_are_found(words_in_jieba):
    """Whatever a researcher's own code adds to jieba in the same kernel, names are found alike."""
    from helpers.extract import organizations

    sentence = "联合重庆市九龙坡区山城青年社工发展协会开展活动"
    before = extract_organizations(sentence)
    words_in_jieba("山城青年社工发展协会", "青年社工", freq=100_000)
    organizations._extract_organizations.cache_clear()  # found again, not remembered
    organizations._tokens_of.cache_clear()
    assert "山城青年社工发展协会" in jieba.lcut(sentence)
    assert extract_organizations(sentence) == before
    assert "山城青年社工发展协会" not in tokenize(sentence)


def test_table_dedupes_per_document_and_takes_region_from_section():
    sentences = pd.DataFrame(
        {
            "doc_id": ["d1", "d1", "d1", "d1"],
            "section_id": [0, 1, 1, 1],
            "sentence_id": [0, 1, 2, 3],
            "text": [
                "版权所有:某某市慈善总会",
                "省级枢纽机构",
                "南宁市绿叶社会工作服务中心",
                "南宁市绿叶社会工作服务中心发放口罩。",
            ],
            "char_start": [0, 20, 30, 50],
        }
    )
    sections = pd.DataFrame(
        {
            "doc_id": ["d1", "d1"],
            "section_id": [0, 1],
            "province": ["", "广西壮族自治区"],
            "city": ["", "南宁市"],
            "in_body": [False, True],
        }
    )
    table = organizations_table(sentences, sections)
    assert table[["name", "org_type", "province", "city", "sentence_id"]].values.tolist() == [
        ["南宁市绿叶社会工作服务中心", "hub_support", "广西壮族自治区", "南宁市", 2]
    ]
    assert table.loc[0, "char_end"] - table.loc[0, "char_start"] == len(
        "南宁市绿叶社会工作服务中心"
    )
    all_mentions = organizations_table(sentences, sections, dedupe=False)
    assert len(all_mentions) == 2


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("根据武汉市新冠肺炎疫情防控指挥部统一部署", ["武汉市新冠肺炎疫情防控指挥部"]),
        (
            "接管华中科技大学同济医学院附属协和医院的重症病区",
            ["华中科技大学同济医学院附属协和医院"],
        ),
        ("采购呼吸机送往武汉多家定点医院", []),
        ("在各大超市入口测温", []),
        (
            "云南白药集团股份有限公司向云南省红十字会捐赠",
            ["云南白药集团股份有限公司", "云南省红十字会"],
        ),
        (
            "中共北京市委社会工作委员会、北京市民政局联合印发通知",
            ["中共北京市委社会工作委员会", "北京市民政局"],
        ),
        ("区社工委联合区民政局指导", ["区社工委", "区民政局"]),
        ("市红会将物资分发至医院", ["市红会"]),
        ("南京市鼓楼医院援鄂医疗队134名队员抵达武汉", ["南京市鼓楼医院援鄂医疗队"]),
        ("基金会设立医务人员人文关怀基金，投入资金", []),
        ("盐田村村委会和新华社区居委会组织党员值守", ["盐田村村委会", "新华社区居委会"]),
    ],
)
def test_name_boundaries_in_reports_from_other_regions(sentence, expected):
    assert names(sentence) == expected


@pytest.mark.parametrize(
    ("name", "org_type"),
    [
        ("天津市律师协会", "professional_society"),
        ("云南省心理咨询师协会", "professional_society"),
        ("天津市应急救援协会", "volunteer_group"),
        ("江苏省志愿服务联合会", "volunteer_group"),
        ("湖北省中医药研究院", "other"),
        ("武汉大学北京校友会", "other"),
        ("湖北省妇幼保健院", "other"),
        ("东湖社区居委会", "other"),  # community committees are other (CODEBOOK)
        ("市卫健委", "government"),
        ("区社工委", "party_org"),
        ("天津市河西区恒心社会工作服务社", "social_work_agency"),
        ("市红会", "foundation_charity"),
    ],
)
def test_types_of_names_from_other_regions(name, org_type):
    assert classify_org_type(name) == org_type


def test_repeated_extraction_is_cached_and_safe_to_mutate():
    sentence = "杭州市慈善总会联合杭州市红十字会募集善款"
    first = extract_organizations(sentence)
    first.clear()
    assert names(sentence) == ["杭州市慈善总会", "杭州市红十字会"]


def ningxia_document(*texts):
    """``(sentences, sections)`` of a document of one section about 银川, one sentence per text."""
    sentences = pd.DataFrame({
        "doc_id": ["d1"] * len(texts), "section_id": [0] * len(texts),
        "sentence_id": list(range(len(texts))), "text": list(texts),
        "char_start": [30 * i for i in range(len(texts))],
    })
    sections = pd.DataFrame({"doc_id": ["d1"], "section_id": [0], "province": ["宁夏回族自治区"],
                             "city": ["银川市"], "in_body": [True]})
    return sentences, sections


def test_an_organization_takes_the_city_in_its_name_within_the_sections_province():
    sentences, sections = ningxia_document("吴忠市志愿者联合会组织志愿者600多人配送物资。",
                                           "银川市蓝天救援队出动队员150余人次。")
    table = organizations_table(sentences, sections)
    assert table[["name", "province", "city"]].values.tolist() == [
        ["吴忠市志愿者联合会", "宁夏回族自治区", "吴忠市"],
        ["银川市蓝天救援队", "宁夏回族自治区", "银川市"],
    ]


@pytest.mark.parametrize("name, expected", [
    ("吴忠市志愿者联合会", "吴忠市"),
    ("宁夏社会工作协会", ""),
    ("蓝天救援队", "银川市"),
    ("陕西省慈善协会", "银川市"),  # a place of another province: the section's city stays
])
def test_city_in_name(name, expected):
    from helpers.extract.organizations import city_in_name
    from helpers.extract.regions import default_find_places

    assert city_in_name(name, "宁夏回族自治区", "银川市", default_find_places()) == expected


# --- the literal prefilter of org_types.csv and the rows of the table ----------------------

#: Pieces of text the patterns look for (their literals of org_types.csv and the characters around them).
PATTERN_PIECES = sorted({literal for p in org_patterns() for literal in p.literals or ()}
                        | set("市团大省员会中心党"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PATTERN_PIECES), max_size=6).map("".join))
def test_patterns_in_keeps_every_pattern_that_matches_in_file_order(text):
    from helpers.extract.organizations import patterns_in

    kept = patterns_in(text)
    for pattern in org_patterns():
        if any(m.group() for m in pattern.regex.finditer(text)):
            assert pattern in kept
    assert list(kept) == [p for p in org_patterns() if p in kept]


@pytest.fixture
def org_patterns_with(monkeypatch):
    """Replace the patterns of org_types.csv for one test (caches cleared before and after)."""
    from helpers.extract import organizations

    cached = (organizations._pattern_prefilter, organizations.patterns_in)

    def use(patterns):
        for function in cached:
            function.cache_clear()
        monkeypatch.setattr(organizations, "org_patterns", lambda: patterns)

    yield use
    monkeypatch.undo()
    for function in cached:
        function.cache_clear()


def test_a_lexicon_pattern_without_a_literal_is_always_tried(org_patterns_with):
    import re

    from helpers.extract.organizations import OrgPattern, patterns_in

    no_literal = OrgPattern(re.compile(r"(?i)ngo"), "other", "suffix", 30, False, False)
    edited = (*org_patterns(), no_literal)
    org_patterns_with(edited)
    assert no_literal in patterns_in("绿色环保Ngo联合")
    assert no_literal in patterns_in("没有")
    assert patterns_in("没有") == (no_literal,)


def test_organization_rows_are_the_rows_of_the_table():
    from helpers.extract.organizations import ORGANIZATION_COLUMNS, organization_rows

    sentences, sections = ningxia_document("吴忠市志愿者联合会组织志愿者600多人。",
                                           "吴忠市志愿者联合会和银川市蓝天救援队出动。")
    for dedupe in (True, False):
        rows = organization_rows(sentences, sections, dedupe=dedupe)
        table = organizations_table(sentences, sections, dedupe=dedupe)
        assert pd.DataFrame(rows, columns=ORGANIZATION_COLUMNS).equals(table)
        assert len(rows) == (2 if dedupe else 3)


def test_tokenize_gives_a_new_list_each_time():
    tokens = tokenize("南宁市社会组织服务中心")
    tokens.append("改动")
    assert "改动" not in tokenize("南宁市社会组织服务中心")


# --- rules for real reports (issue 16): one test per kind of error ---------------------------

@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("募集善款1.2亿余元大连市慈善总会表示感谢", ["大连市慈善总会"]),
        ("本次疫情临沂市慈善总会共募集款物", ["临沂市慈善总会"]),
        ("目前已经有潍坊市鸢都义工公益服务中心等参与", ["潍坊市鸢都义工公益服务中心"]),
        ("这正是省慈善总会的号召", ["省慈善总会"]),
        ("另外宁化总商会捐赠1万元", ["宁化总商会"]),
        ("得到了市委市政府的肯定", ["市委", "市政府"]),
        ("1月27日福建荣建集团有限公司捐赠物资", ["福建荣建集团有限公司"]),
        ("理事单位北京百城同配科技有限公司捐赠", ["北京百城同配科技有限公司"]),
        ("同心抗疫丨自治区工商联发倡议", ["自治区工商联"]),
    ],
)
def test_left_edges_leave_out_amounts_times_verbs_and_roles(sentence, expected):
    assert names(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # what stands before the first place is kept when it is part of the name
        ("中国共产党天津市西青区委员会、致公党西青区基层委员会", ["中国共产党天津市西青区委员会", "致公党西青区基层委员会"]),
        ("新疆生产建设兵团第一师阿拉尔市香梨苹果协会联合发起", ["新疆生产建设兵团第一师阿拉尔市香梨苹果协会"]),
        ("中欧校友总会湖北分会副会长", ["中欧校友总会湖北分会"]),
        ("世纪新城投资集团捐款", ["世纪新城投资集团"]),  # 新城 a place, 世纪 no verb
        ("留固镇政府", ["留固镇政府"]),  # 固镇 a county, 留 a character of the place name
    ],
)
def test_left_edges_keep_what_belongs_to_the_name(sentence, expected):
    assert names(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("协会会员单位长实建设有限公司捐赠", ["长实建设有限公司"]),
        ("龙岩市建筑业协会会员单位长实建设有限公司捐赠", ["龙岩市建筑业协会", "长实建设有限公司"]),
        ("鞍钢集团总医院派出医疗队", ["鞍钢集团总医院"]),
        ("河北省民政厅社会组织管理局下发通知", ["河北省民政厅社会组织管理局"]),
        ("省委统战部、宁夏党委统战部", ["省委统战部", "宁夏党委统战部"]),
        ("其中的省上市公司协会捐款", ["省上市公司协会"]),
        ("武汉大学深圳校友会捐赠", ["武汉大学深圳校友会"]),
        ("市委市政府迅速部署", ["市委", "市政府"]),  # a second name opens with its own level
        ("钢城区社工总站及街道社工站社工投入工作", ["钢城区社工总站"]),
        ("铜陵市与我同行爱心协会18名会员", ["铜陵市与我同行爱心协会"]),
        ("贵州省招标采购协会、贵州省律师协会", ["贵州省招标采购协会", "贵州省律师协会"]),
    ],
)
def test_names_are_neither_merged_nor_split(sentence, expected):
    assert names(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("全面落实党中央、国务院和民政部决策部署", ["党中央", "国务院", "民政部"]),
        ("党中央国务院高度重视", ["党中央", "国务院"]),
        ("中宣部、中央文明办开展行动", ["中宣部", "中央文明办"]),
        ("中总亦透过中联办向内地捐款", ["中联办"]),
        ("16名自治区政协香港委员捐款", ["自治区政协"]),
        ("已捐赠给滑县妇幼保健院、大连市社会福利院", ["滑县妇幼保健院", "大连市社会福利院"]),
        ("联合江苏凤凰美术出版社设计挂图", ["江苏凤凰美术出版社"]),
        ("告诉长江日报记者", ["长江日报"]),
        ("前往益丰大药房取药", ["益丰大药房"]),
        ("玄武区慈善超市还向医院捐赠", ["玄武区慈善超市"]),
        ("河南明善堂制药厂董事长", ["河南明善堂制药厂"]),
        ("联系仙桃的口罩厂", []),
        ("西青区王稳庄张家窝镇民盛太极俱乐部全体会员", ["西青区王稳庄张家窝镇民盛太极俱乐部"]),
        ("孝陵卫街道的“敲门大姐”志愿服务队情系老人", ["敲门大姐志愿服务队"]),
        ("向“四叶草”方舱医院捐赠", ["四叶草方舱医院"]),
        ("市建协会员单位积极响应", ["市建协"]),
    ],
)
def test_bodies_hospitals_schools_shops_media_and_aliases_are_found(sentence, expected):
    assert names(sentence) == expected


def test_a_quoted_brand_joins_the_name_and_the_span_keeps_the_quotes():
    sentence = "孝陵卫街道的“敲门大姐”志愿服务队情系老人"
    (mention,) = extract_organizations(sentence)
    assert sentence[mention.start : mention.end] == "“敲门大姐”志愿服务队"


@pytest.mark.parametrize(
    "sentence",
    [
        "各盟市工商联、异地商会积极行动",
        "仅市县区慈善协会就捐款40万元",
        "广州市海珠区各级政府联动社会组织",
        "委托重庆市相关区县慈善会实施款物",
        "宁夏广大民营企业和所属商会组织",
        "晋浙两省省委积极部署",
        "我们商会将坚决响应号召",
        "上海市多家本土基金会联动各类企业",
        "引导近2万个志愿服务组织和1.4万支新时代文明实践志愿服务队",
        "成立了“疫情防控领导小组”",
        "积极动员全市“双百工程”社工站",
        "来源:济南泓宇养老服务有限公司",
        "广州都市报 抗击疫情",
        "(中国日报大连记者站)",
        "孝陵卫街道的志愿者",
        "河北省各级民政部门认真贯彻",
    ],
)
def test_generic_words_sets_places_and_bylines_are_not_names(sentence):
    assert names(sentence) == []


@pytest.mark.parametrize(
    ("name", "org_type"),
    [
        ("张家窝镇董庄子村民委员会", "other"),
        ("致公党西青区基层委员会", "party_org"),
        ("民进天津市西青区工作委员会", "party_org"),
        ("西青区国际象棋协会", "other"),
        ("蚌埠市稳恒者公益协会", "foundation_charity"),
        ("玄武区社会组织发展促进会", "hub_support"),
        ("贵州省乡村振兴促进会", "other"),
        ("贵州省大健康产业联合会", "industry_association"),
        ("云南省工商业联合会", "mass_org"),
        ("市疫情防控物资保障组", "government"),
        ("玄武区慈善超市", "foundation_charity"),
        ("永辉超市沪亭北路店", "other"),
        ("自治区政协", "government"),
        ("中宣部", "party_org"),
        ("萍乡市统战部", "party_org"),
    ],
)
def test_types_follow_the_codebook(name, org_type):
    assert classify_org_type(name) == org_type


def test_a_hub_named_as_a_hub_type_organization_is_a_hub():
    sentence = "成都市城乡社区发展治理促进会充分发挥枢纽型社会组织的优势"
    sentences = pd.DataFrame({"doc_id": ["d1"], "section_id": [0], "sentence_id": [0],
                              "text": [sentence], "char_start": [0]})
    sections = pd.DataFrame({"doc_id": ["d1"], "section_id": [0], "province": ["四川省"],
                             "city": ["成都市"], "in_body": [True]})
    assert organizations_table(sentences, sections)["org_type"].tolist() == ["hub_support"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("壹基金(One Foundation)向武汉捐赠", [("壹基金", "foundation_charity"), ("One Foundation", "foundation_charity")]),
        ("中国扶贫基金会(China Foundation for Poverty Alleviation)",
         [("中国扶贫基金会", "foundation_charity"), ("China Foundation for Poverty Alleviation", "foundation_charity")]),
        ("由 Hong Kong Red Cross 发放", [("Hong Kong Red Cross", "foundation_charity")]),
        ("the Foundation said", []),  # a head without a capitalized word before it names nothing
    ],
)
def test_names_in_latin_script(sentence, expected):
    assert [(m.name, m.org_type) for m in extract_organizations(sentence)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("团中央号召青年", [("团中央", "mass_org")]),
        ("在中国红十字会总会的指导下", [("中国红十字会总会", "foundation_charity")]),
        ("深圳市南山区蛇口街道社区工作站", [("深圳市南山区蛇口街道社区工作站", "other")]),
        ("某某区红马甲志愿服务队在卡点值守", [("某某区红马甲志愿服务队", "volunteer_group")]),
    ],
)
def test_more_bodies_and_placeholders(sentence, expected):
    assert [(m.name, m.org_type) for m in extract_organizations(sentence)] == expected
