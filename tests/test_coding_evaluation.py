"""Scoring of activities and organizations, and the gold-set targets on the seeds."""

import pandas as pd

from helpers.evaluation.coding import (
    han_only,
    locate_anchors,
    score_activities,
    score_organizations,
)

SENTENCES = pd.DataFrame(
    {
        "doc_id": ["d", "d", "d"],
        "section_id": [0, 0, 1],
        "sentence_id": [0, 1, 2],
        "text": ["志愿者开展了1次消杀工作。", "发放口罩100只。", "相关焦点:捐赠新闻"],
    }
)
SECTIONS = pd.DataFrame({"doc_id": ["d", "d"], "section_id": [0, 1], "in_body": [True, False]})


def test_han_only_drops_digits_and_punctuation():
    assert han_only("发放口罩100只, N95") == "发放口罩只"


def test_anchor_is_found_in_han_only_text():
    gold = pd.DataFrame({"doc_id": ["d"], "anchor": ["发放口罩只"], "codes": [["donate_goods"]]})
    assert locate_anchors(gold, SENTENCES)["sentence_id"].tolist() == [1]


def test_score_activities_counts_uncoded_body_sentences_as_false_positives():
    gold = pd.DataFrame(
        {
            "doc_id": ["d"],
            "anchor": ["志愿者开展了次消杀"],
            "codes": [["volunteer_service", "disinfection"]],
        }
    )
    pred = pd.DataFrame(
        {
            "doc_id": ["d", "d", "d"],
            "sentence_id": [0, 1, 2],
            "code": ["disinfection", "donate_goods", "donate_goods"],
            "matched_terms": ["消杀", "发放", "捐赠"],
        }
    )
    result = score_activities(pred, gold, SENTENCES, SECTIONS)
    assert (result.score.tp, result.score.fp, result.score.fn) == (1, 1, 1)
    assert result.missed["code"].tolist() == ["volunteer_service"]
    assert result.spurious["sentence_id"].tolist() == [1]
    assert set(result.per_code["code"]) == {"disinfection", "donate_goods", "volunteer_service"}


def test_score_organizations_by_exact_name_and_type():
    gold = pd.DataFrame(
        {
            "doc_id": ["d", "d"],
            "name": ["甲市慈善会", "乙市民政局"],
            "org_type": ["foundation_charity", "government"],
        }
    )
    pred = pd.DataFrame(
        {
            "doc_id": ["d", "d", "x"],
            "name": ["甲市慈善会", "丙协会", "丁协会"],
            "org_type": ["other", "industry_association", "other"],
        }
    )
    result = score_organizations(pred, gold)
    assert (result.score.tp, result.score.fp, result.score.fn) == (1, 1, 1)
    assert result.type_accuracy == 0.0
    assert result.missed["name"].tolist() == ["乙市民政局"]
    assert result.type_errors["name"].tolist() == ["甲市慈善会"]
