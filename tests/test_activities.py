"""Unit tests of the activity codebook and sentence coding."""

import pandas as pd
import pytest

from helpers.extract.activities import activities_table, code_sentence, load_codebook

CODEBOOK_IDS = {
    "donate_money",
    "donate_goods",
    "volunteer_service",
    "psych_support",
    "disinfection",
    "testing_support",
    "screening_checkpoint",
    "publicity_education",
    "order_keeping",
    "logistics_delivery",
    "vulnerable_care",
    "matching_platform",
    "professional_service",
    "training",
    "work_resumption",
    "coordination",
    "party_mobilization",
}


def codes(text):
    return {code for code, _ in code_sentence(text)}


def test_codebook_has_the_seventeen_fixed_ids_with_terms():
    book = load_codebook()
    assert {c.code for c in book} == CODEBOOK_IDS
    assert all(c.terms and c.definition and c.label for c in book)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("某协会动员会员捐款20万元。", "donate_money"),
        ("志愿者为社区配发口罩和防护服。", "donate_goods"),
        ("开通心理援助热线,为居民提供心理疏导。", "psych_support"),
        ("对小区公共区域进行喷洒消毒。", "disinfection"),
        ("协助社区开展核酸采样和混采工作。", "testing_support"),
        ("在卡点值守,为进出人员测温登记。", "screening_checkpoint"),
        ("张贴防疫海报,开展防疫知识宣讲。", "publicity_education"),
        ("在检测点负责秩序维护。", "order_keeping"),
        ("车队将蔬菜配送到隔离小区。", "logistics_delivery"),
        ("为独居老人和困境儿童送去关怀。", "vulnerable_care"),
        ("搭建供需对接平台,发布求助信息。", "matching_platform"),
        ("组建医学专家组指导医疗救治。", "professional_service"),
        ("开展消杀技能线上培训。", "training"),
        ("行业协会帮助企业复工复产,争取信贷支持。", "work_resumption"),
        ("中心牵头协调全省社会组织联合行动。", "coordination"),
        ("市民政局号召全市社会组织参与防控。", "party_mobilization"),
    ],
)
def test_each_code_is_found_by_its_vocabulary(text, expected):
    assert expected in codes(text)


def test_excluded_phrases_do_not_trigger_a_code():
    assert "disinfection" not in codes("发放84消毒液20桶、消毒酒精10瓶。")
    assert "psych_support" not in codes("志愿者在路口疏导交通。")
    assert "order_keeping" in codes("志愿者在路口疏导交通。")
    assert "screening_checkpoint" not in codes("捐赠测温仪5台。")


def test_weak_terms_need_context():
    assert "matching_platform" not in codes("平台运行良好。")
    assert "matching_platform" in codes("平台发布需求信息。")
    assert "party_mobilization" not in codes("协会动员会员参与。")
    assert "party_mobilization" in codes("协会党支部动员会员参与。")
    assert "party_mobilization" in codes("县民政局动员会员参与。")


def test_organization_names_do_not_report_activities():
    assert "disinfection" not in codes("杭州市消毒清洁行业协会召开会议。")


def test_activities_table_rows_per_sentence_and_code():
    sentences = pd.DataFrame(
        {"doc_id": ["d", "d"], "sentence_id": [0, 1], "text": ["志愿者开展消杀。", "天气晴朗。"]}
    )
    table = activities_table(sentences)
    assert list(table.columns) == ["doc_id", "sentence_id", "code", "matched_terms"]
    assert set(table["code"]) == {"volunteer_service", "disinfection"}
    assert set(table["sentence_id"]) == {0}
    assert table.set_index("code").loc["disinfection", "matched_terms"] == "消杀"


def test_a_term_must_begin_or_end_a_word():
    assert "donate_goods" not in codes("要求各级党组织充分发挥战斗堡垒作用。")
    assert "donate_goods" in codes("志愿者为居民分发口罩。")


def test_titles_do_not_report_what_their_words_say():
    assert {"donate_money", "donate_goods"}.isdisjoint(
        codes("省民政厅印发《社会捐赠款物管理暂行办法》。")
    )
    assert "training" in codes("协会编印《社区志愿者防疫手册》。")


def test_team_names_count_where_the_team_acts():
    assert "volunteer_service" in codes("某某区红马甲志愿服务队在卡点协助查验健康码。")
    assert "professional_service" not in codes("他协调3000箱羊奶捐赠给湖北黄冈山东医疗队。")


def test_background_sentences_are_not_coded():
    assert codes("市民可通过小程序查询本人核酸检测结果。") == set()
    assert codes("据统计，全国依法登记的社会组织数量超过89万个。") == set()


@pytest.mark.parametrize("text", [
    "充分发挥社会组织作用,组织志愿者120名分发口罩3000只。",
    "武汉市慈善总会N95口罩2,000只\r\n送往一线 医护人员(含KN95)。",
    "abc123捐款ab12c与TM-S1型号",
    "中华人民共和国民政部社会组织管理局捐赠款物",
    "",
    "。",
])
@pytest.mark.parametrize("asked", ["one after another", "each alone"])
def test_word_edges_equal_whole_sentence_segmentation(text, asked):
    """Edges told run by run (one object asked every offset), or without segmenting at all
    where no dictionary word crosses the offset (a new object per offset), are jieba's."""
    from helpers.extract.activities import WordEdges
    from helpers.extract.organizations import tokenize

    whole, at = {0}, 0
    for token in tokenize(text):
        at += len(token)
        whole.add(at)
    shared = WordEdges(text)
    edges_of = (lambda: shared) if asked == "one after another" else (lambda: WordEdges(text))
    assert [i for i in range(len(text) + 1) if i in edges_of()] == sorted(whole)


def test_terms_in_finds_overlapping_terms_and_only_those():
    from helpers.extract.activities import terms_in

    found = terms_in("开展心理疏导并捐赠口罩")
    assert {"心理", "捐", "捐赠", "口罩"} <= found  # 捐 inside 捐赠: overlapping terms are all seen
    assert "消杀" not in found
    assert terms_in("") == frozenset()


def test_present_terms_keeps_the_order_of_the_list():
    from helpers.extract.activities import present_terms

    terms = ("捐款捐物", "捐赠", "口罩", "捐")
    assert present_terms(terms, frozenset({"捐", "口罩", "消杀"})) == ("口罩", "捐")
    assert present_terms(terms, frozenset()) == ()
    assert present_terms(("捐", "口罩", "捐"), frozenset({"捐"})) == ("捐", "捐")  # listed twice


def test_codes_triggered_are_those_a_present_term_can_make_in_codebook_order():
    from helpers.extract.activities import codes_triggered

    book = load_codebook()
    triggered = codes_triggered(frozenset({"口罩", "捐款", "不是术语"}))
    assert [c.code for c in triggered] == [c.code for c in book if c.triggers & {"口罩", "捐款"}]
    assert codes_triggered(frozenset()) == []


def test_code_sentence_gives_fresh_lists_each_time():
    sentence = "协会向社区捐款10万元。"
    first = code_sentence(sentence)
    first[0][1].append("改动")
    assert "改动" not in code_sentence(sentence)[0][1]


def test_activity_rows_are_the_rows_of_the_table():
    from helpers.extract.activities import ACTIVITY_COLUMNS, activity_rows

    sentences = pd.DataFrame({"doc_id": ["d", "d"], "sentence_id": [0, 1],
                              "text": ["协会向社区捐款10万元。", "今天天气很好。"]})
    rows = activity_rows(sentences)
    assert rows and all(r[1] == 0 for r in rows)
    assert pd.DataFrame(rows, columns=ACTIVITY_COLUMNS).equals(activities_table(sentences))


# --- the coding rules of activity_rules.csv, activity_gifts.csv, activity_exclusions.csv


def test_money_or_goods_is_decided_by_what_is_given():
    assert codes("某商会向市慈善总会捐赠1200万元。") >= {"donate_money"}
    assert "donate_goods" not in codes("某商会向市慈善总会捐赠1200万元。")
    assert "donate_goods" in codes("某商会向医院捐赠口罩5000只。")
    assert "donate_money" not in codes("某商会向医院捐赠口罩5000只。")
    assert {"donate_money", "donate_goods"} <= codes("协会开展爱心捐赠活动。")  # nothing named: both


def test_an_amount_that_values_goods_is_no_money():
    assert "donate_money" not in codes("协会向社区捐赠蔬菜、口罩等共计9万元。")
    assert "donate_money" not in codes("向灾区援助500万元物资。")
    assert "donate_money" not in codes("捐赠防护服一批，价值约20万元。")


def test_gifts_of_reads_amounts_and_gift_words():
    from helpers.extract.activity_rules import gifts_of

    assert gifts_of("捐赠善款", "捐赠善款") == {"money"}
    assert gifts_of("捐赠3000只", "捐赠3000只") == {"goods"}
    assert gifts_of("捐赠情况良好", "捐赠情况良好") == frozenset()


def test_followed_by_joining_others_is_coordination_giving_together_is_not():
    assert "coordination" in codes("市社会组织服务中心联合当地伙伴开展社区防控。")
    assert "coordination" not in codes("太原市慈善总会联合山西省青少年发展基金会，向医院捐赠防护服3000套。")
    assert "coordination" not in codes("两家商会携手向医院捐赠口罩。")


def test_not_after_volunteers_served_are_no_volunteer_service():
    assert "volunteer_service" in codes("协会组织志愿者在小区值守。")
    assert "volunteer_service" not in codes("商会为一线医护人员、志愿者送去慰问品。")


def test_not_followed_by_medical_supplies_are_no_medical_service():
    assert "professional_service" not in codes("协会向医院捐赠医疗物资一批。")
    assert "professional_service" in codes("医学会组织专家开展医疗救治。")


def test_gives_none_rushing_to_help_with_gifts_is_a_donation():
    assert "volunteer_service" in codes("救援队员驰援武汉。")
    assert "volunteer_service" not in codes("各社会团体纷纷捐款捐物驰援湖北。")


def test_actor_of_an_appeal_decides_party_or_publicity():
    party = codes("县民政局向全县社会组织发出倡议。")
    assert "party_mobilization" in party and "publicity_education" not in party
    own = codes("安康市慈善协会向社会发布抗击疫情慈善捐赠倡议书。")
    assert "publicity_education" in own and "party_mobilization" not in own
    assert "publicity_education" not in codes("某商会积极响应县工商联倡议。")


def test_cue_words_inside_a_team_name_code_nothing():
    assert "screening_checkpoint" not in codes("组建流调溯源专班。")
    assert "volunteer_service" not in codes("驰援修武团队抵达。")
    assert "volunteer_service" in codes("协会组建志愿者团队参与防控。")


def test_footers_and_pressures_are_no_activity():
    assert codes("未经授权禁止转载，违者将依法追究法律责任。") == set()
    assert "work_resumption" not in codes("企业面临复工复产压力。")
    assert "coordination" not in codes("在街道的协调下，志愿者为居民代购生活物资。")


def test_an_excluded_pattern_with_a_gap_masks_within_a_clause():
    from helpers.extract.activity_rules import compile_patterns

    pattern = compile_patterns(["面临*压力"])
    assert pattern.search("面临较大的复工复产压力")
    assert not pattern.search("面临困难，压力")


def test_rules_name_known_codes_and_kinds():
    from helpers.extract.activity_rules import RULE_KINDS, load_rules

    book = {c.code for c in load_codebook()}
    rules = [r for code_rules in load_rules().values() for r in code_rules]
    assert rules and all(r.code in book and r.kind in RULE_KINDS and r.terms and r.values for r in rules)


def test_a_bad_rule_is_named_with_its_file(tmp_path, monkeypatch):
    from helpers import paths
    from helpers.corpus import lexicons
    from helpers.extract import activity_rules

    bad = tmp_path / "activity_rules.csv"
    bad.write_text("code,kind,terms,values,window,note\ndonate_money,gives,捐,cash,,\n", encoding="utf-8")
    for name in ("activity_codes.csv",):
        (tmp_path / name).write_text(paths.lexicon(name).read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(lexicons, "lexicon", lambda name: tmp_path / name)
    activity_rules.load_rules.cache_clear()
    try:
        with pytest.raises(ValueError, match="activity_rules.csv"):
            activity_rules.load_rules()
    finally:
        activity_rules.load_rules.cache_clear()


def test_a_quoted_campaign_name_codes_nothing():
    assert "donate_goods" not in codes("基金会发起的“一只口罩温暖一座城”公益项目募集了200万元。")
    assert "donate_goods" in codes("志愿者说：“我们送口罩来了。”")


def test_a_need_is_no_gift():
    assert "donate_goods" not in codes("社区收到居民急需生活物资的求助。")
