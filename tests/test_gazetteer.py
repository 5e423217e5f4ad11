"""Places: provinces, prefecture cities and counties found in Chinese text."""

from __future__ import annotations

import pytest

from helpers.text.gazetteer import (
    PROVINCES,
    acting_places,
    find_places,
    normalize_region,
    province_of,
    short_name,
)


@pytest.mark.parametrize("name, region", [
    ("英德市", ("广东省", "清远市")), ("邻水县", ("四川省", "广安市")), ("上海", ("上海市", "")),
    ("上海市", ("上海市", "")), ("孝感", ("湖北省", "孝感市")), ("陕西", ("陕西省", "")),
    ("西安", ("陕西省", "西安市")), ("广安", ("四川省", "广安市")), ("深圳", ("广东省", "深圳市")),
    ("吉林", ("吉林省", "")), ("吉林市", ("吉林省", "吉林市")), ("恩施", ("湖北省", "恩施土家族苗族自治州")),
    ("浦东新区", ("上海市", "")), ("不存在的地方", ("", "")),
])
def test_normalize_region(name, region):
    assert normalize_region(name) == region


def test_province_of_and_provinces():
    assert province_of("孝感") == "湖北省"
    assert province_of("宁夏") == "宁夏回族自治区"
    assert len(PROVINCES) == 34 and "重庆市" in PROVINCES


def test_short_names():
    assert short_name("恩施土家族苗族自治州", "city") == "恩施"
    assert short_name("巴音郭楞蒙古自治州", "city") == "巴音郭楞"
    assert short_name("新疆维吾尔自治区", "province") == "新疆"
    assert short_name("阿里地区", "city") == "阿里"


def test_find_places_offsets_and_levels():
    text = "5月9日,广安市邻水县遭受疫情,陕西省民政厅和上海"
    found = find_places(text)
    assert [(m.surface, m.level) for m in found] == [
        ("广安市", "city"), ("邻水县", "county"), ("陕西省", "province"), ("上海", "province")]
    assert all(text[m.start:m.end] == m.surface for m in found)
    assert found[1].city == "广安市" and found[1].county == "邻水县"


@pytest.mark.parametrize("text", ["和平与发展", "杨浦区四平路街道", "发放哈密瓜600件", "东方市场",
                                  "白银首饰", "来宾", "南河北路", "长治久安"])
def test_no_false_places(text):
    surfaces = {m.surface for m in find_places(text)}
    assert not surfaces & {"和平", "四平", "哈密", "东方", "东方市", "白银", "来宾", "河北", "长治"}


def test_ambiguous_district_resolved_by_context():
    assert find_places("西安市长安区")[1].city == "西安市"
    assert find_places("上海市普陀区")[1].province == "上海市"
    assert [m.surface for m in find_places("普陀区")] == []
    assert find_places("普陀区", prefer_province="浙江省")[0].city == "舟山市"


@pytest.mark.parametrize("name, region", [
    ("恩施州", ("湖北省", "恩施土家族苗族自治州")), ("凉山州", ("四川省", "凉山彝族自治州")),
    ("巴州", ("新疆维吾尔自治区", "巴音郭楞蒙古自治州")),
])
def test_usual_short_names_of_autonomous_prefectures(name, region):
    assert normalize_region(name) == region


def surfaces_acting(text):
    return [p.surface for p in acting_places(text)]


def test_receivers_channels_and_partners_are_not_where_someone_acts():
    assert surfaces_acting("西安市慈善会向武汉捐赠口罩,宝鸡市志愿者") == ["西安市", "宝鸡市"]
    assert surfaces_acting("捐赠给急需消毒液的鹤壁市城管局、滑县卫健委等单位") == []
    assert surfaces_acting("通过河南省红十字基金会给南阳、周口捐赠药品") == []
    assert surfaces_acting("新疆巴州香梨协会联合新疆广播电视台、阿拉尔市香梨协会发起活动") == ["新疆", "巴州"]
    assert surfaces_acting("陕西省社会组织联合会组织会员") == ["陕西省"]  # 联合会 is a name
    assert surfaces_acting("截至目前,西安市社会组织捐款") == ["西安市"]  # 截至 is no marker


def test_a_home_place_inside_a_name_and_an_origin_do_not_act():
    assert surfaces_acting("南宁萍乡商会向在邕萍乡籍爱心人士筹集善款") == ["南宁"]
    assert surfaces_acting("山西省浙江商会、太原市温州商会捐款") == ["山西省", "太原市"]
    assert surfaces_acting("陕西省西安市雁塔区志愿者") == ["陕西省", "西安市", "雁塔区"]  # places inside places


def test_a_dateline_place_does_not_act():
    assert surfaces_acting("中新网乌鲁木齐2月6日电 5000件库尔勒香梨抵达湖北鄂州") == []
    assert surfaces_acting("首行\n新华社南宁3月2日电 广西社会组织") == ["广西"]
