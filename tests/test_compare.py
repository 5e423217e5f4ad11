"""Region comparisons: headline measures never sum, residuals match their formula, vocabulary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.compare.labels import ACTIVITY_LABELS, UNPLACED
from helpers.compare.measures import (
    REGION_COLUMNS,
    headline_measures,
    load_measures,
    pivot_headline,
    region_measures,
)
from helpers.compare.org_types import org_type_composition
from helpers.compare.periods import assign_periods
from helpers.compare.profiles import activity_profile, chi_square_residuals, contingency
from helpers.compare.vocabulary import (
    DOMAIN_WORDS,
    TERM_COLUMNS,
    _tokenizer,
    distinctive_terms,
    kwic,
    log_odds_dirichlet,
    read_distinctive_terms,
    tokenize,
)

Q_COLS = ["doc_id", "province", "city", "surface", "value", "value_high", "qualifier", "kind", "unit",
          "object", "section_id", "sentence_id", "char_start", "char_end"]  # fmt: skip


def quantity(doc, province, city, value, kind, obj, sentence="s1", qualifier="", unit="", start=0):
    return dict(doc_id=doc, province=province, city=city, surface=f"{value:g}", value=value, value_high=None,
                qualifier=qualifier, kind=kind, unit=unit, object=obj, section_id=f"{doc}-0",
                sentence_id=sentence, char_start=start, char_end=start + 4)  # fmt: skip


def docs(*rows):
    return pd.DataFrame(
        [dict(doc_id=d, path="", sha256="", bytes=0, encoding="utf-8", format="txt", title=f"title {d}",
              published=p, source="", status="ok", error="") for d, p in rows]  # fmt: skip
    )


@pytest.fixture
def two_documents():
    documents = docs(("a", "2020-03-01"), ("b", "2020-06-01"))
    q = pd.DataFrame(
        [
            quantity("a", "陕西省", "西安市", 2000, "people", "志愿者", "s1", "over", start=10),
            quantity("a", "陕西省", "", 5000, "people", "志愿者", "s2", "", start=50),
            quantity("a", "陕西省", "", 1082, "people", "受益居民", "s3"),  # beneficiaries, not mobilized people
            quantity("a", "陕西省", "", 3.15e8, "money", "防疫物资", "s4", "about", unit="元"),
            quantity("a", "陕西省", "", 4e8, "money", "捐款", "s4b", unit="港元"),  # not yuan: never compared
            quantity("a", "陕西省", "", 130000, "items", "KN95口罩", "s5"),
            quantity("a", "陕西省", "", 500, "items", "防护服", "s6"),
            quantity("b", "陕西省", "", 4800, "people", "志愿者", "s9"),
            quantity("b", "陕西省", "", 1000, "organizations", "社会组织", "s8", "over"),
            quantity("b", "陕西省", "", 3, "organizations", "政府部门", "s7"),
            quantity("b", "广东省", "深圳市", 30, "organizations", "社会组织", "s10"),
            quantity("b", "", "", 7, "organizations", "社会组织", "s11"),
        ],
        columns=Q_COLS,
    )
    return q, documents


def test_measures_lexicon_defines_the_headline_measures():
    ids = [m.measure_id for m in load_measures()]
    assert ids == ["organizations", "people", "person_times", "money", "masks", "other_goods",
                   "disinfected_area", "service_hours"]  # fmt: skip
    masks = next(m for m in load_measures() if m.measure_id == "masks")
    assert masks.matches("items", "一次性口罩") and not masks.matches("items", "防护服")
    assert masks.axis_label == "口罩 (万只)"


def test_a_measure_means_what_its_label_says():
    measures = {m.measure_id: m for m in load_measures()}
    money, hours = measures["money"], measures["service_hours"]
    assert money.matches("money", "捐款", "元")
    assert not money.matches("money", "捐款", "港元") and not money.matches("money", "捐款", "新台币")
    assert hours.matches("hours", "服务时长", "小时") and hours.matches("hours", "上岗总时长", "小时")
    assert not hours.matches("hours", "每天甚至只睡", "小时")  # sleep is no service
    assert not hours.matches("hours", "时间", "小时")  # 仅用一个小时的时间就集结完毕: how long it took


def test_largest_figure_per_document_never_a_sum(two_documents):
    q, documents = two_documents
    table = region_measures(q, documents)
    people = table[(table["measure_id"] == "people") & (table["region_level"] == "province")]
    row = people.set_index("doc_id").loc["a"]
    assert row["value"] == 5000  # max of 2000 and 5000, not 7000; 1082 beneficiaries excluded
    assert row["sentence_id"] == "s2" and row["char_start"] == 50 and row["surface"] == "5000"
    assert row["n_mentions"] == 2
    money = table[(table["measure_id"] == "money") & (table["region_level"] == "province")].iloc[0]
    assert money["value_display"] == pytest.approx(31500)  # 万元
    assert money["qualifier"] == "about"
    orgs = table[(table["measure_id"] == "organizations") & (table["province"] == "陕西省")]
    assert list(orgs["value"]) == [1000]  # 政府部门 are not social organizations


def test_city_rows_and_unplaced_region(two_documents):
    q, documents = two_documents
    table = region_measures(q, documents)
    city = table[(table["region_level"] == "city") & (table["measure_id"] == "people")]
    assert list(city["region"]) == ["陕西省 西安市"] and list(city["value"]) == [2000]
    province = table[(table["region_level"] == "province") & (table["measure_id"] == "organizations")]
    assert set(province["region"]) == {"陕西省", "广东省", UNPLACED}
    gd = province[province["province"] == "广东省"].iloc[0]
    assert gd["quantity_city"] == "深圳市"  # provenance says where the province's figure was reported


def test_headline_compares_documents_and_flags_disagreement(two_documents):
    q, documents = two_documents
    # both documents in one period: the 2020 wave
    table = region_measures(q, documents)
    head = headline_measures(table)
    people = head[(head["measure_id"] == "people") & (head["province"] == "陕西省")].iloc[0]
    assert people["value"] == 5000 and people["doc_id"] == "a"
    assert people["n_documents"] == 2 and people["min_value"] == 4800
    assert not people["sources_disagree"]  # 4% apart
    assert "a=5000" in people["document_values"] and "b=4800" in people["document_values"]
    strict = headline_measures(table, tolerance=0.01)
    assert strict.loc[(strict["measure_id"] == "people") & (strict["province"] == "陕西省"), "sources_disagree"].item()
    wide = pivot_headline(strict)
    shaanxi = wide.set_index("region").loc["陕西省"]
    assert shaanxi["志愿者与社工 (人)"] == 5000 and shaanxi["sources_disagree"]
    assert "people" in shaanxi["disagreeing_measures"]


def test_periods_split_regions(two_documents):
    q, _ = two_documents
    documents = docs(("a", "2020-03-01"), ("b", "2022-01-10"))
    periods = assign_periods(documents)
    head = headline_measures(region_measures(q, documents, periods))
    people = head[(head["measure_id"] == "people") & (head["province"] == "陕西省")]
    assert sorted(people["period_id"]) == ["2020_wuhan", "2021_22_xian"]
    assert set(people["n_documents"]) == {1}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=1, max_value=1e9, allow_nan=False), min_size=1, max_size=8))
def test_headline_value_is_the_maximum_mention(values):
    q = pd.DataFrame(
        [quantity("a", "四川省", "", v, "money", "善款", f"s{i}", unit="元", start=i) for i, v in enumerate(values)],
        columns=Q_COLS,
    )
    head = headline_measures(region_measures(q, docs(("a", "2022-05-17"))))
    assert head["value"].item() == max(values)


def test_empty_quantities_give_empty_tables():
    table = region_measures(pd.DataFrame(columns=Q_COLS), docs(("a", "2020-01-05")))
    assert table.empty and list(table.columns) == REGION_COLUMNS
    assert headline_measures(table).empty


# ------------------------------------------------------------------- activities


def small_corpus():
    sections = pd.DataFrame(
        [
            dict(doc_id="d", section_id="d-0", heading="", province="陕西省", city="西安市", in_body=True, char_start=0, char_end=100),
            dict(doc_id="d", section_id="d-1", heading="", province="广东省", city="", in_body=True, char_start=100, char_end=200),
            dict(doc_id="d", section_id="d-2", heading="", province="", city="", in_body=True, char_start=200, char_end=300),
        ]
    )  # fmt: skip
    texts = {
        "d-0": ["陕西社会组织开展消杀。", "志愿者在西安开展消杀工作。", "社工提供心理疏导服务。", "消杀队伍进入小区。"],
        "d-1": ["深圳商会捐赠口罩。", "基金会发起募捐。", "商会捐赠防疫物资。"],
        "d-2": ["全国社会组织积极参与。"],
    }
    rows, n = [], 0
    for section_id, sents in texts.items():
        for text in sents:
            rows.append(dict(doc_id="d", section_id=section_id, sentence_id=f"d-{n}", text=text,
                             char_start=n * 20, char_end=n * 20 + len(text)))  # fmt: skip
            n += 1
    sentences = pd.DataFrame(rows)
    activities = pd.DataFrame(
        [
            dict(doc_id="d", sentence_id="d-0", code="disinfection", matched_terms="消杀"),
            dict(doc_id="d", sentence_id="d-1", code="disinfection", matched_terms="消杀"),
            dict(doc_id="d", sentence_id="d-1", code="disinfection", matched_terms="消杀"),  # duplicate row
            dict(doc_id="d", sentence_id="d-1", code="volunteer_service", matched_terms="志愿者"),
            dict(doc_id="d", sentence_id="d-2", code="psych_support", matched_terms="心理疏导"),
            dict(doc_id="d", sentence_id="d-3", code="disinfection", matched_terms="消杀"),
            dict(doc_id="d", sentence_id="d-4", code="donate_goods", matched_terms="捐赠"),
            dict(doc_id="d", sentence_id="d-5", code="donate_money", matched_terms="募捐"),
            dict(doc_id="d", sentence_id="d-6", code="donate_goods", matched_terms="捐赠"),
            dict(doc_id="d", sentence_id="d-7", code="party_mobilization", matched_terms="参与"),
        ]
    )
    return sentences, sections, activities


def test_activity_profile_counts_sentences_and_shares():
    sentences, sections, activities = small_corpus()
    profile = activity_profile(activities, sentences, sections).set_index(["region", "code"])
    assert profile.loc[("陕西省", "disinfection"), "n_sentences"] == 3  # duplicate row counted once
    assert profile.loc[("陕西省", "disinfection"), "share"] == pytest.approx(3 / 4)
    assert profile.loc[("广东省", "donate_goods"), "share"] == pytest.approx(2 / 3)
    assert profile.loc[("广东省", "disinfection"), "n_sentences"] == 0
    assert set(profile.index.get_level_values("region")) == {"陕西省", "广东省"}  # unplaced dropped
    assert len(profile) == 2 * len(ACTIVITY_LABELS)
    kept = activity_profile(activities, sentences, sections, keep_unplaced=True)
    assert UNPLACED in set(kept["region"])


def test_adjusted_residuals_match_the_formula():
    table = pd.DataFrame([[20, 5, 5], [5, 20, 10]], index=["甲", "乙"], columns=["x", "y", "z"])
    res = chi_square_residuals(table)
    obs = table.to_numpy(float)
    n = obs.sum()
    r, c = obs.sum(1, keepdims=True), obs.sum(0, keepdims=True)
    e = r @ c / n
    expected = (obs - e) / np.sqrt(e * (1 - r / n) * (1 - c / n))
    np.testing.assert_allclose(res.residuals.to_numpy(), expected)
    chi2 = ((obs - e) ** 2 / e).sum()
    assert res.chi2 == pytest.approx(chi2) and res.dof == 2 and 0 < res.p < 0.01
    assert res.cells_expected_below_5 == 0
    assert "not independent" in res.note and "below 5" not in res.note
    assert res.summary().startswith("χ²(2) = ")
    # in a 2 x k table the adjusted residuals of the two rows mirror each other
    np.testing.assert_allclose(res.residuals.iloc[0], -res.residuals.iloc[1])


def test_chi_square_notes_small_expected_counts_and_drops_empty_columns():
    sentences, sections, activities = small_corpus()
    table = contingency(activity_profile(activities, sentences, sections))
    res = chi_square_residuals(table)
    assert "below 5" in res.note
    assert any(d.startswith("column") for d in res.dropped)  # codes nobody used
    assert res.residuals.notna().all().all()


def test_chi_square_without_two_rows_is_not_a_test():
    res = chi_square_residuals(pd.DataFrame([[1, 2]], index=["甲"], columns=["x", "y"]))
    assert np.isnan(res.chi2) and "no test" in res.note


def test_org_type_composition_counts_distinct_names():
    orgs = pd.DataFrame(
        [
            dict(doc_id="a", sentence_id="1", name="西安市慈善会", org_type="foundation_charity", province="陕西省", city="西安市", char_start=0, char_end=5),
            dict(doc_id="b", sentence_id="2", name="西安市慈善会", org_type="foundation_charity", province="陕西省", city="西安市", char_start=0, char_end=5),
            dict(doc_id="a", sentence_id="3", name="陕西省餐饮行业协会", org_type="industry_association", province="陕西省", city="", char_start=0, char_end=5),
            dict(doc_id="a", sentence_id="4", name="深圳市社会组织总会", org_type="hub_support", province="广东省", city="深圳市", char_start=0, char_end=5),
            dict(doc_id="a", sentence_id="5", name="某协会", org_type="other", province="", city="", char_start=0, char_end=5),
        ]
    )  # fmt: skip
    comp = org_type_composition(orgs).set_index(["region", "org_type"])
    assert comp.loc[("陕西省", "foundation_charity"), "n"] == 1
    assert comp.loc[("陕西省", "foundation_charity"), "share"] == pytest.approx(0.5)
    assert comp.loc[("广东省", "hub_support"), "share"] == 1
    assert comp.groupby(level="region")["share"].sum().round(9).eq(1).all()
    assert comp.loc[("陕西省", "party_org"), "n"] == 0


# ------------------------------------------------------------------- vocabulary


def test_tokenize_drops_stopwords_digits_punctuation_and_single_chars():
    tokens = tokenize("截至3月11日，深圳市社会组织累计捐赠13万个口罩和防疫物资！")
    assert "社会组织" in tokens and "防疫物资" in tokens
    assert all(len(t) > 1 for t in tokens)
    assert not any(ch.isdigit() for t in tokens for ch in t)
    assert "累计" not in tokens and "截至" not in tokens and "，" not in tokens
    assert tokenize("") == []


def test_tokenizer_holds_jiebas_stock_dictionary_plus_the_domain_words():
    import jieba

    reference = jieba.Tokenizer()
    reference.initialize()
    for word in DOMAIN_WORDS:
        reference.add_word(word)
    tokenizer = _tokenizer()
    assert tokenizer.FREQ == reference.FREQ and tokenizer.total == reference.total
    assert tokenizer.FREQ is not jieba.dt.FREQ  # names registered with jieba's default never reach it


def test_distinctive_terms_read_back_from_csv_equal_the_table(tmp_path):
    sentences, sections, _ = small_corpus()
    terms = distinctive_terms(sentences, sections, top_n=10, min_count=1)
    assert len(terms)
    terms.to_csv(tmp_path / "terms.csv", index=False, lineterminator="\n")
    pd.testing.assert_frame_equal(read_distinctive_terms(tmp_path / "terms.csv"), terms)
    empty = terms.iloc[0:0]
    empty.to_csv(tmp_path / "empty.csv", index=False)
    assert list(read_distinctive_terms(tmp_path / "empty.csv").columns) == TERM_COLUMNS


def test_log_odds_matches_monroe_formula():
    counts = pd.DataFrame({"甲": {"消杀": 10, "捐赠": 2, "社区": 5}, "乙": {"消杀": 1, "捐赠": 12, "社区": 5}})
    out = log_odds_dirichlet(counts, prior_scale=0.5).set_index(["group", "term"])
    y = counts.sum(axis=1)
    a, a0 = 0.5 * y, 0.5 * y.sum()
    yi, yj = counts["甲"], counts["乙"]
    ni, nj = yi.sum(), yj.sum()
    delta = np.log((yi + a) / (ni + a0 - yi - a)) - np.log((yj + a) / (nj + a0 - yj - a))
    z = delta / np.sqrt(1 / (yi + a) + 1 / (yj + a))
    for term in counts.index:
        assert out.loc[("甲", term), "z"] == pytest.approx(z[term])
        assert out.loc[("乙", term), "z"] == pytest.approx(-z[term])  # two groups: mirror images
    assert out.loc[("甲", "消杀"), "z"] > 1.96 > out.loc[("甲", "社区"), "z"]


def test_log_odds_accepts_dicts_and_single_group():
    out = log_odds_dirichlet({"甲": {"消杀": 3}}, prior_scale=1)
    assert out["z"].isna().all()


def test_distinctive_terms_per_province_without_place_names():
    sentences, sections, _ = small_corpus()
    terms = distinctive_terms(sentences, sections, top_n=3, min_count=2)
    sx = terms[terms["province"] == "陕西省"]
    assert sx.iloc[0]["term"] == "消杀" and list(sx["rank"]) == list(range(1, len(sx) + 1))
    assert "捐赠" in set(terms[terms["province"] == "广东省"]["term"])
    assert "西安" not in set(terms["term"]) and "陕西" not in set(terms["term"])
    assert (terms["z"] > 0).all()


def test_distinctive_terms_leave_out_places_no_section_names():
    sentences, sections, _ = small_corpus()
    extra = ["深圳志愿者在深圳开展消杀。", "沈阳商会向沈阳捐赠口罩。", "邻水县商会在邻水县捐赠。"]
    more = pd.DataFrame([dict(doc_id="d", section_id="d-1", sentence_id=f"d-x{i}", text=t,
                              char_start=150 + i, char_end=151 + i) for i, t in enumerate(extra)])  # fmt: skip
    sentences = pd.concat([sentences, more], ignore_index=True)
    kept = distinctive_terms(sentences, sections, top_n=20, min_count=2, drop_place_names=False)
    assert {"深圳", "沈阳", "邻水县"} <= set(kept["term"])  # the section names only 广东省
    terms = distinctive_terms(sentences, sections, top_n=20, min_count=2)
    assert not {"深圳", "沈阳", "邻水县", "西安", "陕西"} & set(terms["term"])
    assert "商会" in set(terms[terms["province"] == "广东省"]["term"])


def test_kwic_gives_every_occurrence_with_context():
    sentences, _, _ = small_corpus()
    conc = kwic("消杀", sentences, width=4)
    assert list(conc.columns) == ["doc_id", "sentence_id", "left", "term", "right"]
    assert len(conc) == 3
    first = conc.iloc[0]
    assert first["left"] == "组织开展" and first["right"] == "。"
    assert (conc["left"].str.len() <= 4).all()
    assert kwic("不存在的词", sentences).empty
