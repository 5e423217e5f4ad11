"""Quantity mentions: numbers with units, kinds, objects, what is not a quantity, regions."""

from collections import namedtuple

import pandas as pd
import pytest

from helpers.extract.quantities import extract_quantities, quantities_table
from helpers.extract.regions import attribute_region


def only(sentence):
    """The one quantity of ``sentence``."""
    found = extract_quantities(sentence)
    assert len(found) == 1, found
    return found[0]


def surfaces(sentence):
    return [m.surface for m in extract_quantities(sentence)]


# --- numbers, magnitudes, qualifiers and units --------------------------------------------

@pytest.mark.parametrize(
    ("sentence", "surface", "value", "value_high", "qualifier", "kind", "unit"),
    [
        ("陕西省1000多家社会组织积极响应", "1000多家", 1000, None, "over", "organizations", "家"),
        ("筹集200余万件防疫物资", "200余万件", 2_000_000, None, "over", "items", "件"),
        ("价值20万余元的物资", "20万余元", 200_000, None, "over", "money", "元"),
        ("累计捐款捐物约3.15亿元。", "约3.15亿元", 315_000_000, None, "about", "money", "元"),
        ("防疫消杀近百万平方米。", "近百万平方米", 1_000_000, None, "nearly", "area", "m2"),
        ("动员全球千余家秦商", "千余家", 1000, None, "over", "organizations", "家"),
        ("每个小组由1至2个社会组织作为牵头单位", "1至2个", 1, 2, "", "organizations", "个"),
        ("每天只睡三四个小时", "三四个小时", 3, 4, "", "hours", "小时"),
        ("服务时长50多个小时", "50多个小时", 50, None, "over", "hours", "小时"),
        ("用一个半小时集结", "一个半小时", 1.5, None, "", "hours", "小时"),
        ("7吨左右的消毒液", "7吨左右", 7000, None, "about", "weight", "kg"),
        ("爱心蔬菜水果34673斤", "34673斤", 17336.5, None, "", "weight", "kg"),
        ("面积200平方公里", "200平方公里", 200_000_000, None, "", "area", "m2"),
        ("消毒液500毫升", "500毫升", 0.5, None, "", "volume", "L"),
        ("累计服务超过1万余人次", "超过1万余人次", 10_000, None, "over", "person_times", "人次"),
        ("出动车辆3450台次", "3450台次", 3450, None, "", "events", "台次"),
        ("开展3批次线上培训", "3批次", 3, None, "", "events", "批次"),
        ("小鲁和近30多位队友", "近30多位", 30, None, "over", "people", "位"),
        ("不足50人参加", "不足50人", 50, None, "under", "people", "人"),
        ("累计接听上百个电话", "上百个", 100, None, "over", "events", "个"),
        ("走访宣讲排查14813户居民", "14813户", 14813, None, "", "households", "户"),
        ("支持10省/市的枢纽机构", "10省/市", 10, None, "", "places", "省/市"),
        ("发放KN95口罩40,000个", "40,000个", 40_000, None, "", "items", "个"),
        ("开设5个专题", "5个", 5, None, "", "other", "个"),
    ],
)
def test_mention(sentence, surface, value, value_high, qualifier, kind, unit):
    m = only(sentence)
    assert (m.surface, m.qualifier, m.kind, m.unit) == (surface, qualifier, kind, unit)
    assert m.value == pytest.approx(value)
    assert m.value_high == (None if value_high is None else pytest.approx(value_high))
    assert sentence[m.start:m.end] == m.surface


def test_several_mentions_in_a_list():
    found = extract_quantities("发放140185只各类口罩、66450副各类防护手套、660件隔离衣")
    assert [(m.value, m.unit, m.object) for m in found] == [
        (140185, "只", "各类口罩"), (66450, "副", "各类防护手套"), (660, "件", "隔离衣"),
    ]


def test_suffix_qualifier_after_unit_and_prefix_both_in_surface():
    assert only("约2万公斤酒精").surface == "约2万公斤"


# --- kinds of ambiguous classifiers, decided by what is counted --------------------------

@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("分设8个功能小组", "teams"),
        ("覆盖了安徽省的16个地市", "places"),
        ("协同9个政府部门参与", "organizations"),
        ("向26个地区发放口罩", "places"),
        ("20个乡镇分队深入社区", "teams"),
        ("为80多个「三无」社区提供支持", "places"),
        ("捐赠到260个社区和单位", "places"),
        ("每天出动20多个组织及队伍", "organizations"),
        ("所属15个县域微信群内", "other"),
        ("刘华是两个孩子的妈妈", "people"),
        ("疫情防控点76个;", "places"),
        ("单道微量注射泵494个、", "items"),
        ("确诊病例环境采样8家。", "households"),
        ("5家复工复产企业厂区", "organizations"),
        ("1302支志愿服务队", "teams"),
        ("体温计1600支、", "items"),
        ("收集中小企业在疫情期间的困难和需求285份。", "events"),
        ("送餐1000份、", "items"),
        ("宣传推文50条;", "events"),
        ("受益人次10万余人。", "person_times"),
    ],
)
def test_kind_follows_the_counted_noun(sentence, kind):
    assert only(sentence).kind == kind


def test_object_before_the_number_when_nothing_follows():
    assert only("活性炭口罩1310000只、").object == "活性炭口罩"
    assert only("医用隔离眼罩(护目镜)11997个、").object == "医用隔离眼罩"


def test_object_after_the_unit_cut_at_verbs_and_particles():
    assert only("组织2000余名志愿者开展线上线下心理疏导").object == "志愿者"
    assert only("价值1000多万元的生活物资;").object == "生活物资"


def test_count_in_brackets_keeps_its_object():
    found = extract_quantities("防护隔离面罩20箱(4000个),")
    assert [(m.value, m.unit, m.object) for m in found] == [
        (20, "箱", "防护隔离面罩"), (4000, "个", "防护隔离面罩"),
    ]


# --- what is not a quantity ----------------------------------------------------------------

@pytest.mark.parametrize(
    "sentence",
    [
        "2021年12月21日,冬至。",  # dates
        "12月31日17时51分,平台接到求援信息",  # clock times
        "晚上7点多,微信群就出现了名单",
        "清晨8时许",
        "近一个月来",  # spans of days, months, years
        "开展14天的全过程疫情防控工作",
        "为流浪人员34天每日固定送餐",
        "已有一年多的时间",
        "持续3个多月",
        "75%",  # percentages
        "百分之七十五的居民",
        "第一轮全员核酸检测",  # ordinals
        "《消毒技术指南(第八版)》",
        "开展第二期紧急救援",
        "N95口罩、KN95口罩、N99口罩",  # identifiers and model names
        "84消毒液、VG70呼吸机、泰克曼TM-S1/S2系列",
        "心理健康热线(12355)",
        "电话:0931-8408197",
        "南河北路956-962号",
        "陇ICP备18001912号",
        "90后志愿者",  # generation labels
        "大部分是90、00后",
        "市级4A社会组织和五星级党组织",  # ratings
        "全市唯一5A社会组织",
        "组建「1+4」疫情防控组织领导体系",  # set phrases
        "第一时间发布倡议书",
        "奋战在一线",
        "一次性医用口罩",
        "发挥三大优势",
        "依托两大核心力量",
        "千年古都的太阳",
        "万众一心",
        "一批批应急物资",
        "一个又一个不眠之夜",
        "一张医护人员单膝跪地的照片",  # 一 as an article
        "我作为一名党员",
        "其中一支封闭式驻内场突击队",
        "小到几十个口罩,大到几十吨的酒精",  # vague numerals
        "省市县(区)三级社会组织",
        "二级防护服",
        "七台河市的志愿者",  # a place name
    ],
)
def test_not_quantities(sentence):
    assert extract_quantities(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        ("大米(25kg/袋)450袋、食用油(5L/桶)450桶", ["450袋", "450桶"]),  # package sizes
        ("普利斯喷雾1.18L酒精(12瓶/箱)150箱、", ["150箱"]),  # a measure inside the product name
        ("新太牌75%乙醇消毒液2.5升(8桶/箱)250箱、", ["250箱"]),
        ("2016瓶便携装酒精(250ML)、", ["2016瓶"]),
        ("壹基金救灾帐篷(12平米)40顶", ["40顶"]),
        ("638.7吨蔬菜、爱心蔬菜水果34673斤", ["638.7吨", "34673斤"]),  # real weights stay
        ("好益多50箱300瓶", ["50箱", "300瓶"]),
        ("人均5元/人的补贴", []),  # a rate
    ],
)
def test_package_sizes_and_specs(sentence, kept):
    assert surfaces(sentence) == kept


# --- SCHEMA's decisions where its tables are silent -------------------------------------------

@pytest.mark.parametrize(
    ("sentence", "surface", "value", "qualifier", "kind"),
    [
        ("贵州省数十家社会团体参与", "数十家", 10, "over", "organizations"),
        ("组建了十几个服务小组", "十几个", 10, "over", "teams"),
        ("招募几十名志愿者", "几十名", 10, "over", "people"),
        ("累计服务数百人次", "数百人次", 100, "over", "person_times"),
        ("动员上千名志愿者", "上千名", 1000, "over", "people"),
        ("惠及数万人", "数万人", 10_000, "over", "people"),
        ("募集善款二十几万元", "二十几万元", 200_000, "over", "money"),
        ("总金额超过数千万元", "数千万元", 10_000_000, "over", "money"),
    ],
)
def test_vague_numerals_reporting_a_fact_are_their_lower_bound(sentence, surface, value, qualifier, kind):
    m = only(sentence)
    assert (m.surface, m.value, m.qualifier, m.kind) == (surface, value, qualifier, kind)


@pytest.mark.parametrize("sentence", [
    "一天打上百个电话,每天只睡三四个小时是常态",  # a typical day, not a fact: only the hours stay
    "每天要询问几十遍",
])
def test_vague_numerals_that_only_illustrate_are_not_quantities(sentence):
    assert [m.surface for m in extract_quantities(sentence) if m.kind != "hours"] == []


def test_a_lone_magnitude_is_a_lost_number():
    assert extract_quantities("全省慈善组织已捐助资金余万元,捐赠物资余万元。") == []
    assert only("发放图书万余册").value == 10_000  # 万余 is a number


@pytest.mark.parametrize("sentence", [
    "每人补助500元",  # rates and standards set in advance
    "爱心午餐的标准为15元",
    "补贴20万元/人",
    "提供24小时在线心理咨询",  # round-the-clock availability
    "开通24小时心理援助热线",
    "24小时提供线上服务",
    "不到20个小时就募集了善款",  # the time something took
    "48小时内完成",
    "准备送往该社区五期的一位居民家中",  # the phase of a housing estate
    "“三期有6栋楼和别墅区",
    "第一时间四处寻求货源",
])
def test_rates_spans_and_phases_are_not_quantities(sentence):
    assert [m.surface for m in extract_quantities(sentence) if m.unit in ("元", "小时", "期", "处")] == []


@pytest.mark.parametrize(
    ("sentence", "surface", "value", "kind", "unit"),
    [
        ("日均19.2万人次参与", "19.2万人次", 192_000, "person_times", "人次"),  # a per-day result stays
        ("每家省级枢纽机构3万元工作经费", "3万元", 30_000, "money", "元"),  # granted to each of a named set
        ("累计服务24小时", "24小时", 24, "hours", "小时"),  # a total of hours given
        ("前后只花了20小时", "20小时", 20, "hours", "小时"),
        ("服务群众370万人(次)", "370万人(次)", 3_700_000, "person_times", "人次"),
        ("服务群众5000人/次", "5000人/次", 5000, "person_times", "人次"),
        ("合共价值约100万港元", "约100万港元", 1_000_000, "money", "港元"),
        ("捐款澳门元50万澳门元", "50万澳门元", 500_000, "money", "澳门元"),
        ("募得300万新台币", "300万新台币", 3_000_000, "money", "新台币"),
        ("收到捐款657笔", "657笔", 657, "events", "笔"),
        ("2.6万笔捐赠", "2.6万笔", 26_000, "events", "笔"),
        ("黄山8市之后", "8市", 8, "places", "市"),
        ("南疆四地州", "四地州", 4, "places", "地州"),
        ("三期有6栋楼", "6栋", 6, "places", "栋"),
        ("办了三期培训班", "三期", 3, "events", "期"),
    ],
)
def test_schema_decision_forms(sentence, surface, value, kind, unit):
    found = [m for m in extract_quantities(sentence) if m.surface == surface]
    assert len(found) == 1, extract_quantities(sentence)
    m = found[0]
    assert (m.value, m.kind, m.unit) == (pytest.approx(value), kind, unit)


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("开通70条心理咨询热线", "other"),  # things that exist and are not goods
        ("682个志愿服务项目", "other"),
        ("开辟3个捐赠渠道", "other"),
        ("1500余份志愿者赠险", "other"),
        ("9大类", "other"),  # N大 + a noun counts what the noun names
        ("聚合五大平台抗击疫情", "other"),
        ("发挥社会组织五大作用", None),  # ... and nothing when the noun names no kind
        ("开展十大行动", None),
        ("发布95条疫情防控信息", "events"),  # posts and pieces of information
        ("订购941.4万个个人防护品", "items"),  # 人 inside the object counts no people
        ("对接需求物资13558965件", "items"),
        ("宁波市勘察设计协会向武汉提供600辆共享电动车", "items"),  # vehicles given
        ("出动50辆车", "other"),  # vehicles used
        ("我们发起的项目有2个方向", "other"),  # the noun before decides when the one after says nothing
        ("全市14个县区慈善协(分)会统一行动", "organizations"),  # a bracketed insert inside a word
        ("全省70个新时代文明实践中心", "places"),
    ],
)
def test_kinds_of_less_common_things(sentence, kind):
    found = extract_quantities(sentence)
    if kind is None:
        assert found == []
    else:
        assert only(sentence).kind == kind


def test_bare_amounts_of_people_and_money():
    assert [(m.value, m.kind) for m in extract_quantities("注册的志愿者人数达68万,")] == [(680_000, "people")]
    assert [(m.value, m.kind) for m in extract_quantities("覆盖人群近20万。")] == [(200_000, "people")]
    assert [(m.value, m.kind) for m in extract_quantities("这2.3亿的款物中")] == [(230_000_000, "money")]
    assert extract_quantities("惠及群众600万,") == []


def test_bare_count_inside_a_list_of_goods():
    found = extract_quantities("双道微量注射泵1000个、无创呼吸机500、VG70呼吸机30台;")
    assert [(m.value, m.unit, m.kind) for m in found] == [
        (1000, "个", "items"), (500, "", "items"), (30, "台", "items"),
    ]


def test_bare_number_outside_a_list_is_no_quantity():
    assert extract_quantities("访问次数3285,来源本站") == []


# --- regions --------------------------------------------------------------------------------

Place = namedtuple("Place", "start end surface province city county level")


def places_in(sentence, *names):
    """Fake gazetteer mentions: (surface, province, city, level) at their first occurrence."""
    out = []
    for surface, province, city, level in names:
        start = sentence.index(surface)
        out.append(Place(start, start + len(surface), surface, province, city, "", level))
    return out


def region(sentence, number, province, city, *names):
    start = sentence.index(number)
    return attribute_region(sentence, start, province, city, places=places_in(sentence, *names))


def test_section_region_without_places():
    assert region("协调省内57家社会组织参与", "57家", "安徽省", "") == ("安徽省", "")


def test_a_city_of_the_province_refines_the_city():
    s = "西安市阎良区志愿者协会组织志愿者为19个无物业管理小区进行消杀"
    assert region(s, "19个", "陕西省", "", ("阎良区", "陕西省", "西安市", "county")) == ("陕西省", "西安市")


def test_the_province_right_before_clears_the_city():
    s = "当天,陕西省内30多家社会组织就快速联合响应。"
    assert region(s, "30多家", "陕西省", "西安市", ("陕西省", "陕西省", "", "province")) == ("陕西省", "")


def test_a_province_in_an_organization_name_does_not_clear_the_city():
    s = "陕西省药品零售行业协会发动会员企业筹措防疫物资,仅用一天的时间筹集500套防护服"
    got = region(s, "500套", "陕西省", "西安市", ("陕西省", "陕西省", "", "province"))
    assert got == ("陕西省", "西安市")


def test_recipients_do_not_move_the_fact():
    s = "深圳市深商会联合党委组织会员企业向香港捐赠13万个口罩"
    got = region(s, "13万个", "广东省", "深圳市", ("深圳市", "广东省", "深圳市", "city"),
                 ("香港", "香港特别行政区", "", "province"))
    assert got == ("广东省", "深圳市")
    s = "广安市慈善会向邻水县捐赠20万个口罩"
    got = region(s, "20万个", "四川省", "广安市", ("邻水县", "四川省", "广安市", "county"))
    assert got == ("四川省", "广安市")


def test_another_province_never_changes_the_province():
    s = "陕西省保健学会143人分批驰援湖北,武汉市接收物资3000箱"
    got = region(s, "3000箱", "陕西省", "", ("武汉市", "湖北省", "武汉市", "city"))
    assert got == ("陕西省", "")


def test_receivers_in_a_list_after_a_word_of_giving_do_not_place_the_fact():
    s = "已捐赠给急需消毒液的鹤壁市城管局、滑县妇幼保健院等80余家单位"
    got = region(s, "80余家", "河南省", "郑州市", ("鹤壁市", "河南省", "鹤壁市", "city"),
                 ("滑县", "河南省", "安阳市", "county"))
    assert got == ("河南省", "郑州市")


def test_a_home_place_inside_a_name_is_not_where_the_body_is():
    s = "郑州市滑县商会名誉会长王永光率先行动,捐赠50万元"
    got = region(s, "50万元", "河南省", "", ("郑州市", "河南省", "郑州市", "city"),
                 ("滑县", "河南省", "安阳市", "county"))
    assert got == ("河南省", "郑州市")


def test_an_actor_based_in_another_province_places_the_fact_there():
    s = "南宁萍乡商会自发出号召以来,就向在邕萍乡籍爱心人士筹集到了77900元善款捐赠至萍乡市红十字会"
    got = region(s, "77900元", "江西省", "萍乡市", ("南宁", "广西壮族自治区", "南宁市", "city"),
                 ("萍乡", "江西省", "萍乡市", "city"))
    assert got == ("广西壮族自治区", "南宁市")


def test_a_section_without_a_province_takes_its_actor():
    s = "青岛市河南商会介绍,商会近日及时组织广大会员开展爱心捐助活动,短短三天时间共筹得善款106600元。"
    got = region(s, "106600元", "", "", ("青岛市", "山东省", "青岛市", "city"), ("河南", "河南省", "", "province"))
    assert got == ("山东省", "青岛市")


def test_a_partner_from_another_province_does_not_move_the_fact():
    s = "陕西省慈善协会联合北京市红十字会捐赠500套防护服"
    got = region(s, "500套", "陕西省", "", ("陕西省", "陕西省", "", "province"),
                 ("北京市", "北京市", "", "province"))
    assert got == ("陕西省", "")


def test_a_list_of_places_before_a_count_says_what_is_counted():
    s = "继铜陵、六安、黄山8市之后"
    got = region(s, "8市", "安徽省", "", ("铜陵", "安徽省", "铜陵市", "city"),
                 ("六安", "安徽省", "六安市", "city"), ("黄山", "安徽省", "黄山市", "city"))
    assert got == ("安徽省", "")
    s = "继铜陵、黄山8市之后,淮北、亳州4市预计将实现清零"
    got = region(s, "4市", "安徽省", "", ("铜陵", "安徽省", "铜陵市", "city"),
                 ("黄山", "安徽省", "黄山市", "city"), ("淮北", "安徽省", "淮北市", "city"),
                 ("亳州", "安徽省", "亳州市", "city"))
    assert got == ("安徽省", "")  # an earlier list, counted by an earlier number, does not place it either


def test_the_province_as_scope_of_a_count_clears_the_city_after_a_word_of_covering():
    s = "孙志达搭建的联合救灾网络覆盖山东省16个地市"
    got = region(s, "16个", "山东省", "潍坊市", ("山东省", "山东省", "", "province"))
    assert got == ("山东省", "")


def test_municipalities_have_no_city():
    s = "在普陀区,50多个小时里"
    assert region(s, "50多个", "上海市", "", ("普陀区", "上海市", "", "county")) == ("上海市", "")


def test_national_sections_stay_unplaced():
    s = "湖北省武汉市获得32万元资助"
    assert region(s, "32万元", "", "", ("武汉市", "湖北省", "武汉市", "city")) == ("", "")


# --- the table ---------------------------------------------------------------------------------

def test_quantities_table_offsets_and_regions():
    sections = pd.DataFrame([
        {"doc_id": "d", "section_id": 0, "heading": "", "province": "四川省", "city": "广安市",
         "in_body": True, "char_start": 0, "char_end": 40},
        {"doc_id": "d", "section_id": 1, "heading": "", "province": "", "city": "",
         "in_body": False, "char_start": 40, "char_end": 60},
    ])
    sentences = pd.DataFrame([
        {"doc_id": "d", "section_id": 0, "sentence_id": 0, "text": "组织17名会员。", "char_start": 10, "char_end": 18},
        {"doc_id": "d", "section_id": 1, "sentence_id": 1, "text": "访问50次。", "char_start": 40, "char_end": 46},
    ])
    table = quantities_table(sentences, sections)
    assert list(table.columns) == [
        "doc_id", "province", "city", "surface", "value", "value_high", "qualifier", "kind",
        "unit", "object", "section_id", "sentence_id", "char_start", "char_end",
    ]
    assert len(table) == 1
    row = table.iloc[0]
    assert (row.province, row.city, row.surface, row.char_start, row.char_end) == ("四川省", "广安市", "17名", 12, 15)
    assert pd.isna(row.value_high)


def test_yuan_in_hong_kong_macao_and_taiwan_facts_is_the_local_currency():
    sections = pd.DataFrame([
        {"doc_id": "d", "section_id": 0, "heading": "", "province": "香港特别行政区", "city": "",
         "in_body": True, "char_start": 0, "char_end": 60},
    ])
    sentences = pd.DataFrame([
        {"doc_id": "d", "section_id": 0, "sentence_id": 0, "text": "特区政府设立300亿元防疫抗疫基金。",
         "char_start": 0, "char_end": 18},
        {"doc_id": "d", "section_id": 0, "sentence_id": 1, "text": "向内地捐款400万港元,另捐100万元人民币。",
         "char_start": 18, "char_end": 40},
    ])
    table = quantities_table(sentences, sections)
    assert list(zip(table["surface"], table["unit"], strict=True)) == [
        ("300亿元", "港元"), ("400万港元", "港元"), ("100万元", "元")]


def test_quantities_table_of_nothing_has_the_columns():
    sentences = pd.DataFrame(columns=["doc_id", "section_id", "sentence_id", "text", "char_start", "char_end"])
    sections = pd.DataFrame(columns=["doc_id", "section_id", "province", "city", "in_body"])
    assert quantities_table(sentences, sections).empty


@pytest.mark.parametrize("text, expected", [
    ("累计发放口罩", "累计发放口罩"),
    ("其中，累计发放口罩", "累计发放口罩"),
    ("（含）", ""),
    ("", ""),
])
def test_after_last_punctuation(text, expected):
    from helpers.extract.quantities import _after_last_punctuation

    assert _after_last_punctuation(text) == expected


# --- remembered sentences and the rows of the table ----------------------------------------

def test_extract_quantities_gives_fresh_mentions_each_time():
    sentence = "累计发放口罩85450只"
    first = extract_quantities(sentence)
    first[0].object = "改动"
    first.clear()
    again = extract_quantities(sentence)
    assert [(m.surface, m.object) for m in again] == [("85450只", "口罩")]


def test_quantity_rows_are_the_rows_of_the_table():
    from helpers.extract.quantities import QUANTITY_COLUMNS, quantity_rows

    sections = pd.DataFrame([{"doc_id": "d", "section_id": 0, "province": "四川省", "city": "广安市",
                              "in_body": True}])
    sentences = pd.DataFrame([
        {"doc_id": "d", "section_id": 0, "sentence_id": 0, "text": "组织17名会员,筹集资金1.5亿。",
         "char_start": 10},
        {"doc_id": "d", "section_id": 0, "sentence_id": 1, "text": "邻水县发放口罩3至5万只。", "char_start": 30},
    ])
    rows = quantity_rows(sentences, sections)
    assert [r[3] for r in rows] == ["17名", "1.5亿", "3至5万只"]
    assert pd.DataFrame(rows, columns=QUANTITY_COLUMNS).equals(quantities_table(sentences, sections))


@pytest.mark.parametrize("sentence, found", [
    ("捐款600万用于防疫", ["600万"]),
    ("捐款600元用于防疫", ["600元"]),
    ("捐款600用于防疫", []),  # no 万 or 亿: no bare amount to look for
])
def test_bare_amounts_need_their_magnitude(sentence, found):
    assert surfaces(sentence) == found


def test_words_added_to_jiebas_shared_dictionary_do_not_change_the_counted_object(words_in_jieba):
    import jieba

    from helpers.extract import quantities
    from helpers.extract.quantities import object_segmenter

    sentence = "向社区捐赠医用口罩3000只"
    before = [(m.value, m.unit, m.object, m.kind) for m in extract_quantities(sentence)]
    assert object_segmenter() is not jieba.dt
    words_in_jieba("社区捐赠医用", freq=10_000_000)
    for remembered in (object_segmenter, quantities._tokens, quantities.quantities_in):
        remembered.cache_clear()  # even a segmenter made after the addition, and nothing remembered
    assert [(m.value, m.unit, m.object, m.kind) for m in extract_quantities(sentence)] == before
