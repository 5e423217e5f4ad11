"""Places: provinces, prefecture cities and counties found in Chinese text."""

from __future__ import annotations

import pytest

from helpers.gazetteer import PROVINCES, find_places, normalize_region, province_of, short_name


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
