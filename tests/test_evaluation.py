"""Scoring quantities against a gold set, and the seed gold set itself."""

import math

import pandas as pd
import pytest

from helpers.evaluation.quantities import load_gold_quantities, score_quantities, values_agree

GOLD_COLUMNS = ["doc_id", "province", "city", "surface", "value", "value_high", "qualifier",
                "kind", "unit", "object"]


def frame(rows, columns=GOLD_COLUMNS):
    return pd.DataFrame([dict(zip(columns, r, strict=True)) for r in rows], columns=columns)


GOLD = frame([
    ("a", "陕西省", "西安市", "500套", 500, math.nan, "", "items", "套", "防护服"),
    ("a", "陕西省", "", "1000多家", 1000, math.nan, "over", "organizations", "家", "社会组织"),
    ("a", "陕西省", "西安市", "1至2个", 1, 2, "", "organizations", "个", "社会组织"),
    ("b", "上海市", "", "3.15亿元", 315000000, math.nan, "", "money", "元", "捐款"),
])
PRED_COLUMNS = ["doc_id", "province", "city", "surface", "value", "value_high", "qualifier",
                "kind", "unit", "object", "sentence_id", "char_start"]


def test_values_agree_to_one_part_in_a_million():
    assert values_agree(315000000, 315000000.0000001)
    assert not values_agree(315000000, 315001000)
    assert values_agree(math.nan, math.nan)
    assert not values_agree(1, math.nan)


def test_perfect_prediction():
    pred = GOLD.assign(sentence_id=[0, 1, 2, 0], char_start=[5, 1, 9, 0])
    scores = score_quantities(pred, GOLD)
    assert (scores.overall.tp, scores.overall.fp, scores.overall.fn) == (4, 0, 0)
    assert scores.overall.f1 == 1.0
    assert scores.province_accuracy == 1.0 and scores.city_accuracy == 1.0


def test_kind_must_agree_and_misses_are_listed():
    pred = frame([
        ("a", "陕西省", "西安市", "500套", 500, math.nan, "", "items", "套", "", 0, 3),
        ("a", "陕西省", "", "1000多家", 1000, math.nan, "over", "items", "家", "", 1, 0),  # wrong kind
        ("b", "上海市", "", "3.15亿元", 315000000.0000001, math.nan, "", "money", "元", "", 0, 0),
    ], PRED_COLUMNS)
    sentences = pd.DataFrame({"doc_id": ["a", "a", "b"], "sentence_id": [0, 1, 0], "text": ["s0", "s1", "t0"]})
    scores = score_quantities(pred, GOLD, sentences)
    assert (scores.overall.tp, scores.overall.fp, scores.overall.fn) == (2, 1, 2)
    assert set(scores.false_negatives["surface"]) == {"1000多家", "1至2个"}
    assert scores.false_positives.loc[0, "sentence"] == "s1"
    by_kind = scores.by_kind.set_index("kind")
    assert by_kind.loc["items", "fp"] == 1 and by_kind.loc["organizations", "fn"] == 2
    assert by_kind.loc["money", "f1"] == 1.0
    assert "overall" in set(scores.summary()["kind"])


def test_each_gold_row_matched_once_preferring_same_range_then_document_order():
    gold = frame([
        ("a", "湖北省", "", "638.7吨", 638700, math.nan, "", "weight", "kg", ""),
        ("a", "四川省", "", "638.7吨", 638700, math.nan, "", "weight", "kg", ""),
        ("a", "陕西省", "", "1至2个", 1, 2, "", "organizations", "个", ""),
    ])
    pred = frame([
        ("a", "四川省", "", "638.7吨", 638700, math.nan, "", "weight", "kg", "", 9, 900),
        ("a", "湖北省", "", "638.7吨", 638700, math.nan, "", "weight", "kg", "", 1, 100),
        ("a", "湖北省", "", "638.7吨", 638700, math.nan, "", "weight", "kg", "", 1, 120),
        ("a", "陕西省", "", "1个", 1, math.nan, "", "organizations", "个", "", 2, 200),
        ("a", "陕西省", "", "1至2个", 1, 2, "", "organizations", "个", "", 3, 300),
    ], PRED_COLUMNS)
    scores = score_quantities(pred, gold)
    assert (scores.overall.tp, scores.overall.fp, scores.overall.fn) == (3, 2, 0)
    assert scores.province_accuracy == pytest.approx(2 / 3)  # the 四川 row took the second 湖北 one
    assert scores.false_positives["surface"].tolist() == ["1个", "638.7吨"]


def test_load_gold_quantities(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text(
        "doc_id,province,city,surface,value,value_high,qualifier,kind,unit,object\n"
        "a,陕西省,,1至2个,1,2,,organizations,个,社会组织\n"
        "a,,,500,500,,,items,,无创呼吸机\n",
        encoding="utf-8",
    )
    gold = load_gold_quantities(path)
    assert gold["value"].tolist() == [1.0, 500.0]
    assert gold.loc[0, "value_high"] == 2.0 and math.isnan(gold.loc[1, "value_high"])
    assert gold.loc[1, "province"] == "" and gold.loc[1, "unit"] == ""


def test_load_gold_quantities_names_the_bad_file(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("doc_id,value\na,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.csv"):
        load_gold_quantities(path)
