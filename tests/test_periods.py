"""Outbreak periods: dates decide, province lists break ties, undated documents use month mentions."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.compare.periods import (
    BASIS_DATE,
    BASIS_MONTHS,
    BASIS_UNDATED,
    assign_periods,
    attach_periods,
    load_periods,
    month_mentions,
)


def documents(*rows):
    cols = ["doc_id", "path", "sha256", "bytes", "encoding", "format", "title", "published", "source", "status", "error"]
    return pd.DataFrame(
        [dict(zip(cols, [d, f"seeds/{d}.txt", "", 0, "utf-8", "txt", "t", p, "", "ok", ""], strict=True)) for d, p in rows]
    )


def sections(*rows):
    cols = ["doc_id", "section_id", "heading", "province", "city", "in_body", "char_start", "char_end"]
    return pd.DataFrame(
        [dict(zip(cols, [d, f"{d}-{i}", "", prov, "", body, 0, 10], strict=True)) for i, (d, prov, body) in enumerate(rows)],
        columns=cols,
    )


def sentences(*rows):
    cols = ["doc_id", "section_id", "sentence_id", "text", "char_start", "char_end"]
    return pd.DataFrame(
        [dict(zip(cols, [d, f"{d}-0", f"{d}-{i}", text, i * 100, i * 100 + len(text)], strict=True)) for i, (d, text) in enumerate(rows)],
        columns=cols,
    )


def by_doc(result):
    return result.set_index("doc_id")


def test_periods_lexicon_has_the_four_waves():
    ids = [p.period_id for p in load_periods()]
    assert ids == ["2020_wuhan", "2021_22_xian", "2022_shenzhen_shanghai", "2022_guangan"]


def test_published_date_decides():
    docs = documents(("a", "2020-03-19"), ("b", "2022-01-23"), ("c", "2020-12-12"))
    secs = sections(("a", "湖北省", True), ("b", "陕西省", True), ("c", "陕西省", True))
    out = by_doc(assign_periods(docs, secs))
    assert out.loc["a", "period_id"] == "2020_wuhan"
    assert out.loc["b", "period_id"] == "2021_22_xian"
    assert out.loc["c", "period_id"] == "2020_wuhan"  # Shaanxi 2020 is not Shaanxi 2021-22
    assert set(out["period_basis"]) == {BASIS_DATE}


def test_province_list_breaks_overlap_ties():
    # 2022-05-17 lies in both the Shenzhen/Shanghai and the Guang'an ranges
    docs = documents(("sichuan", "2022-05-17"), ("shanghai", "2022-05-17"), ("nowhere", "2022-05-17"))
    secs = sections(("sichuan", "四川省", True), ("shanghai", "上海市", True), ("nowhere", "河南省", True))
    out = by_doc(assign_periods(docs, secs))
    assert out.loc["sichuan", "period_id"] == "2022_guangan"
    assert out.loc["shanghai", "period_id"] == "2022_shenzhen_shanghai"
    assert out.loc["nowhere", "period_id"] == "ambiguous"
    assert "falls in 2 periods" in out.loc["sichuan", "period_note"]


def test_undated_document_placed_by_month_mentions_and_region():
    docs = documents(("d003", ""))
    secs = sections(("d003", "广东省", True), ("d003", "上海市", True), ("d003", "", False))
    sents = sentences(("d003", "截至 3 月 11 日，累计捐款捐物约 3.15 亿元。"), ("d003", "3月13日开展核酸检测。"))
    out = by_doc(assign_periods(docs, secs, sents))
    assert out.loc["d003", "period_id"] == "2022_shenzhen_shanghai"
    assert out.loc["d003", "period_basis"] == BASIS_MONTHS
    assert "3月" in out.loc["d003", "period_note"]


def test_undated_without_a_unique_match_stays_undated():
    docs = documents(("x", ""), ("y", ""), ("z", None))
    secs = sections(("x", "河南省", True), ("y", "陕西省", True), ("z", "广东省", True))
    # x: March, a province no period names -> only the 2020 wave has no province list -> one match
    # y: no dated month at all; z: "3个月" is a duration, not a date
    sents = sentences(("x", "3月5日起开展志愿服务。"), ("y", "社会组织积极参与。"), ("z", "持续3个月的服务。"))
    out = by_doc(assign_periods(docs, secs, sents))
    assert out.loc["x", "period_id"] == "2020_wuhan" and out.loc["x", "period_basis"] == BASIS_MONTHS
    assert out.loc["y", "period_id"] == "undated" and out.loc["y", "period_basis"] == BASIS_UNDATED
    assert out.loc["z", "period_id"] == "undated"


def test_undated_months_in_two_region_periods_stay_undated():
    docs = documents(("w", ""))
    secs = sections(("w", "广东省", True), ("w", "四川省", True))
    sents = sentences(("w", "5月20日，社会组织开展服务。"))  # May: Shenzhen/Shanghai and Guang'an both fit
    out = by_doc(assign_periods(docs, secs, sents))
    assert out.loc["w", "period_id"] == "undated"
    assert "2022_shenzhen_shanghai" in out.loc["w", "period_note"]


def test_dated_document_outside_every_period():
    out = by_doc(assign_periods(documents(("old", "2019-05-01")), sections(("old", "陕西省", True))))
    assert out.loc["old", "period_id"] == "outside_periods"
    assert out.loc["old", "period_basis"] == BASIS_DATE


def test_in_body_as_yes_no_strings():
    docs = documents(("s", "2022-05-17"))
    secs = sections(("s", "四川省", "yes"), ("s", "上海市", "no"))
    assert by_doc(assign_periods(docs, secs)).loc["s", "period_id"] == "2022_guangan"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3月11日", [(None, 3)]),
        ("截至 3 月 11 日", [(None, 3)]),
        ("2022年4月", [(2022, 4)]),
        ("十二月份", [(None, 12)]),
        ("近3个月", []),
        ("12月3日至1月5日", [(None, 12), (None, 1)]),
    ],
)
def test_month_mentions(text, expected):
    assert month_mentions(text) == expected


def test_year_in_text_narrows_the_period():
    docs = documents(("y", ""))
    secs = sections(("y", "陕西省", True))
    sents = sentences(("y", "2022年1月5日，志愿者上岗。"))
    out = by_doc(assign_periods(docs, secs, sents))
    assert out.loc["y", "period_id"] == "2021_22_xian"


def test_attach_periods_fills_unknown_documents():
    periods = assign_periods(documents(("a", "2020-02-01")), sections(("a", "湖北省", True)))
    table = pd.DataFrame({"doc_id": ["a", "ghost"], "value": [1, 2]})
    out = attach_periods(table, periods)
    assert list(out["period_id"]) == ["2020_wuhan", "undated"]
    assert out["period_label"].notna().all()
