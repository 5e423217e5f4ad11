"""Figures: every label renders in the packaged CJK font, and regeneration is byte-identical."""

from __future__ import annotations

import hashlib
import random
import warnings
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib import font_manager

from helpers.compare.labels import ACTIVITY_LABELS, ORG_TYPE_LABELS
from helpers.compare.measures import headline_measures, region_measures
from helpers.compare.org_types import org_type_composition
from helpers.compare.periods import assign_periods
from helpers.compare.profiles import activity_profile
from helpers.compare.vocabulary import distinctive_terms, read_distinctive_terms
from helpers.report import figures, style

PROVINCE_CITIES = {
    "陕西省": ["西安市", "宝鸡市"],
    "湖北省": ["武汉市", "孝感市"],
    "广东省": ["深圳市", "清远市"],
    "上海市": [""],
    "四川省": ["广安市", "成都市"],
    "山东省": ["潍坊市"],
    "黑龙江省": ["哈尔滨市"],
}

SENTENCE_TEMPLATES = [
    ("{org}组织志愿者开展核酸检测协助和秩序维护。", ["testing_support", "order_keeping", "volunteer_service"]),
    ("{org}向{city}捐赠一次性口罩和防护服等防疫物资。", ["donate_goods"]),
    ("{org}发起募捐，筹集善款用于支持抗疫一线。", ["donate_money"]),
    ("{org}开通心理疏导热线，为居民提供心理援助。", ["psych_support"]),
    ("{org}组织专业队伍对小区和公共场所进行消杀。", ["disinfection"]),
    ("{org}协助社区开展排查和卡点值守，登记往来车辆。", ["screening_checkpoint"]),
    ("{org}通过公众号推文和海报宣传科普防疫知识。", ["publicity_education"]),
    ("{org}组建车队配送生活物资，为封控小区送餐。", ["logistics_delivery"]),
    ("{org}关爱独居老人和困境儿童，帮扶滞留的外来务工人员。", ["vulnerable_care"]),
    ("{org}搭建供需对接平台，发布信息并匹配资源。", ["matching_platform"]),
    ("{org}组织医疗专家组提供法律咨询和医务服务。", ["professional_service"]),
    ("{org}为社区工作者和志愿者开展防护技能培训。", ["training"]),
    ("{org}调研企业需求，帮助会员企业复工复产。", ["work_resumption"]),
    ("{org}牵头成立联合行动网络，协调各方社会组织。", ["coordination"]),
    ("{org}党支部发出倡议，动员党员冲锋在前。", ["party_mobilization"]),
    ("疫情发生后，{city}的社会组织迅速响应。", []),
]

ORG_NAMES = [
    ("{city}慈善总会", "foundation_charity"),
    ("{city}红十字会", "foundation_charity"),
    ("{city}义工联合会", "volunteer_group"),
    ("{city}青年志愿者协会", "volunteer_group"),
    ("{city}社会工作服务中心", "social_work_agency"),
    ("{city}餐饮行业协会", "industry_association"),
    ("{city}浙江商会", "industry_association"),
    ("{city}心理学会", "professional_society"),
    ("{city}社会组织服务中心", "hub_support"),
    ("{city}社会组织联合党委", "party_org"),
    ("共青团{city}委员会", "mass_org"),
    ("{city}民政局", "government"),
    ("{city}某某科技有限公司", "enterprise"),
]

DOCS = [
    # doc_id, published, provinces (with weight), period
    ("d000", "2022-01-23", ["陕西省"]),
    ("d001", "2020-03-19", ["湖北省", "广东省", "陕西省", "山东省", "黑龙江省", "四川省"]),
    ("d002", "2020-12-12", ["陕西省"]),
    ("d003", "", ["广东省", "上海市"]),
    ("d004", "2022-05-17", ["四川省"]),
]

QUANTITY_SPECS = [
    # kind, unit, object, low, high, surface template
    ("organizations", "家", "社会组织", 20, 3000, "{v}余家"),
    ("people", "名", "志愿者", 100, 50000, "{v}余名"),
    ("people", "名", "社会工作者", 10, 800, "{v}名"),
    ("person_times", "人次", "志愿者", 1000, 900000, "{v}人次"),
    ("money", "元", "防疫物资", 100000, 300000000, "{v}元"),
    ("items", "只", "一次性口罩", 5000, 2000000, "{v}只"),
    ("items", "件", "防护服", 100, 20000, "{v}件"),
    ("area", "m2", "消杀面积", 10000, 3000000, "{v}平方米"),
    ("hours", "小时", "服务时长", 100, 60000, "{v}小时"),
]


def synthetic_tables(seed: int = 7) -> dict[str, pd.DataFrame]:
    """A realistic small study: five documents, seven provinces, four periods, every table."""
    rng = random.Random(seed)
    documents, sections, sentences, quantities, organizations, activities = [], [], [], [], [], []
    for doc_id, published, provinces in DOCS:
        documents.append(
            dict(doc_id=doc_id, path=f"seeds/{doc_id}.txt", sha256="0" * 64, bytes=1000, encoding="utf-8",
                 format="txt", title=f"{'、'.join(provinces)}社会组织参与疫情防控", published=published,
                 source="synthetic", status="ok", error="")  # fmt: skip
        )
        offset = 0
        for s_no, province in enumerate(provinces):
            city = rng.choice(PROVINCE_CITIES[province])
            section_id = f"{doc_id}-s{s_no}"
            n_sent = rng.randint(8, 24) if len(provinces) > 1 else rng.randint(25, 45)
            start = offset
            for k in range(n_sent):
                template, codes = SENTENCE_TEMPLATES[rng.randrange(len(SENTENCE_TEMPLATES))]
                org_template, org_type = ORG_NAMES[rng.randrange(len(ORG_NAMES))]
                org = org_template.format(city=city or province)
                text = template.format(org=org, city=city or province)
                if doc_id == "d003" and k == 0:
                    text = f"截至 3 月 {rng.randint(1, 28)} 日，" + text
                sentence_id = f"{doc_id}-{len([x for x in sentences if x['doc_id'] == doc_id])}"
                sentences.append(dict(doc_id=doc_id, section_id=section_id, sentence_id=sentence_id,
                                      text=text, char_start=offset, char_end=offset + len(text)))  # fmt: skip
                organizations.append(dict(doc_id=doc_id, sentence_id=sentence_id, name=org, org_type=org_type,
                                          province=province, city=city, char_start=offset,
                                          char_end=offset + len(org)))  # fmt: skip
                for code in codes:
                    if rng.random() < 0.85:
                        activities.append(dict(doc_id=doc_id, sentence_id=sentence_id, code=code, matched_terms=""))
                if rng.random() < 0.45:
                    kind, unit, obj, low, high, surface = QUANTITY_SPECS[rng.randrange(len(QUANTITY_SPECS))]
                    value = float(rng.randint(low, high))
                    qualifier = rng.choice(["", "over", "about", ""])
                    quantities.append(dict(doc_id=doc_id, province=province, city=city if rng.random() < 0.6 else "",
                                           surface=surface.format(v=int(value)), value=value, value_high=None,
                                           qualifier=qualifier, kind=kind, unit=unit, object=obj,
                                           section_id=section_id, sentence_id=sentence_id, char_start=offset,
                                           char_end=offset + 5))  # fmt: skip
                offset += len(text)
            sections.append(dict(doc_id=doc_id, section_id=section_id, heading=province, province=province,
                                 city=city, in_body=True, char_start=start, char_end=offset))  # fmt: skip
    return {
        "documents": pd.DataFrame(documents),
        "sections": pd.DataFrame(sections),
        "sentences": pd.DataFrame(sentences),
        "quantities": pd.DataFrame(quantities),
        "organizations": pd.DataFrame(organizations),
        "activities": pd.DataFrame(activities),
    }


@pytest.fixture(scope="module")
def tables():
    return synthetic_tables()


def test_packaged_cjk_font_is_the_one_matplotlib_uses():
    family = style.register_cjk_font()
    found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert Path(str(found)) == style.cjk_font_path()
    assert style.cjk_font_path().name == "NotoSansCJK-Regular.ttc"


def test_every_label_renders_without_missing_glyphs(tables, tmp_path):
    """Glyph-missing warnings become failures while every figure (all its labels) is drawn."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        records = figures.build_all_figures(tables, tmp_path)
    assert [r.number for r in records] == [1, 2, 3, 4, 5]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with style.study_style():
            fig = matplotlib.figure.Figure()
            ax = fig.add_subplot()
            labels = list(ACTIVITY_LABELS.values()) + list(ORG_TYPE_LABELS.values())
            ax.set_title("χ²(16) = 45.2, p < .001 · ≥1,000 ≈2 −3 万元 万人次 m² 調整後")
            ax.plot([-1, 1], [-1, 1])  # negative tick labels use the Unicode minus
            for i, label in enumerate(labels):
                ax.text(0.02, i / len(labels), label, transform=ax.transAxes)
            fig.savefig(tmp_path / "glyphs.png")


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_figures_regenerate_byte_for_byte(tables, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    records_a = figures.build_all_figures(tables, first)
    with matplotlib.rc_context({"font.size": 20, "svg.hashsalt": None, "figure.dpi": 55}):
        records_b = figures.build_all_figures(tables, second)  # local rc settings must not leak in
    assert _digest(first) == _digest(second)
    assert len(_digest(first)) == 15
    assert [r.data_sha256 for r in records_a] == [r.data_sha256 for r in records_b]


def test_figures_from_the_notebooks_tables_equal_those_computed_here(tables, tmp_path):
    here, given = tmp_path / "here", tmp_path / "given"
    records_here = figures.build_all_figures(tables, here)  # every table computed in there
    terms = distinctive_terms(tables["sentences"], tables["sections"], top_n=10)  # as notebook 04
    terms.to_csv(tmp_path / "distinctive_terms.csv", index=False, lineterminator="\n")
    periods = assign_periods(tables["documents"], tables["sections"], tables["sentences"])
    with_terms = dict(  # as notebook 05 passes them: notebook 04's terms, its own findings' tables
        tables, periods=periods, distinctive_terms=read_distinctive_terms(tmp_path / "distinctive_terms.csv"),
        region_measures=region_measures(tables["quantities"], tables["documents"], periods),
        activity_profile=activity_profile(tables["activities"], tables["sentences"], tables["sections"]),
        org_type_composition=org_type_composition(tables["organizations"]),
    )
    records_given = figures.build_all_figures(with_terms, given)
    assert _digest(here) == _digest(given)
    assert [(r.number, r.name, r.title, r.caption, r.data_sha256) for r in records_here] == [
        (r.number, r.name, r.title, r.caption, r.data_sha256) for r in records_given
    ]
    assert all(p.parent == given for r in records_given for p in r.files.values())


def test_outputs_carry_no_timestamps_or_software(tables, tmp_path):
    paths = figures.fig01_corpus_overview(
        figures.corpus_overview_table(
            tables["documents"], tables["sections"], tables["sentences"], tables["quantities"],
            assign_periods(tables["documents"], tables["sections"], tables["sentences"]),
        ),
        tmp_path,
    )  # fmt: skip
    svg = paths["svg"].read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert b"Software" not in paths["png"].read_bytes()[:4096]
    assert "<text" not in svg  # glyphs are paths: the SVG needs no font to display


def test_csv_holds_exactly_the_data_drawn(tables, tmp_path):
    records = figures.build_all_figures(tables, tmp_path)
    by_name = {r.name: r for r in records}
    fig02 = pd.read_csv(by_name["fig02_headline_measures"].files["csv"])
    headline = headline_measures(
        region_measures(
            tables["quantities"], tables["documents"],
            assign_periods(tables["documents"], tables["sections"], tables["sentences"]),
        )
    )  # fmt: skip
    assert len(fig02) == len(headline)
    assert set(fig02["measure_id"]) == set(headline["measure_id"])
    for rec in records:
        assert rec.files["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert rec.data_sha256 == hashlib.sha256(rec.files["csv"].read_bytes()).hexdigest()
        assert rec.notebook == "05_report"
        assert rec.caption and rec.title


def test_png_is_300_dpi_and_column_width(tables, tmp_path):
    records = figures.build_all_figures(tables, tmp_path)
    for rec in records:
        data = rec.files["png"].read_bytes()
        width = int.from_bytes(data[16:20], "big")
        assert 3.5 * 300 <= width <= 7 * 300 + 1, rec.name


def test_figures_draw_from_empty_tables(tmp_path):
    empty = synthetic_tables()
    for name in ("quantities", "organizations", "activities"):
        empty[name] = empty[name].iloc[0:0]
    records = figures.build_all_figures(empty, tmp_path)
    assert all(r.files["png"].is_file() for r in records)


def test_wrap_label_breaks_long_chinese_labels():
    assert style.wrap_label("陕西省 · 2021-22 西安疫情", 8).count("\n") >= 1
    assert style.wrap_label("短标签", 8) == "短标签"
    lines = style.wrap_label("这是一个很长很长的中文标签没有空格", 6).split("\n")
    assert all(len(line) <= 6 for line in lines)


def test_format_value_marks_qualifiers():
    assert style.format_value(1000, "over") == "≥1,000"
    assert style.format_value(3.15, "about") == "≈3.15"
    assert style.format_value(12.5) == "12.5"


def _drawn_figures(monkeypatch) -> dict[str, matplotlib.figure.Figure]:
    """The Figure objects the figure functions save, by name."""
    drawn = {}
    save = style.save_figure

    def keep(fig, data, figures_dir, name):
        drawn[name] = fig
        return save(fig, data, figures_dir, name)

    monkeypatch.setattr(figures, "save_figure", keep)
    return drawn


def test_fig03_frames_exactly_the_cells_past_1_96(tables, tmp_path, monkeypatch):
    drawn = _drawn_figures(monkeypatch)
    records = figures.build_all_figures(tables, tmp_path)
    data = pd.read_csv(next(r for r in records if r.number == 3).files["csv"])
    strong = int((data["adjusted_residual"].abs() > 1.96).sum())
    assert strong > 0
    ax = drawn["fig03_activity_by_region"].axes[0]
    frames = [p for p in ax.patches if isinstance(p, matplotlib.patches.Rectangle) and not p.get_fill()]
    assert len(frames) == strong
    assert not any(t.get_fontweight() == "bold" for t in ax.texts)  # the packaged font has no bold face


def test_log_panels_mark_decades_only_and_term_panels_share_one_labelled_scale(tables, tmp_path, monkeypatch):
    drawn = _drawn_figures(monkeypatch)
    figures.build_all_figures(tables, tmp_path)
    periods = assign_periods(tables["documents"], tables["sections"], tables["sentences"])
    headline = headline_measures(region_measures(tables["quantities"], tables["documents"], periods))
    spread = headline["measure_id"] == headline["measure_id"].iloc[0]
    assert spread.sum() > 1
    headline.loc[spread.idxmax(), "value"] *= 10_000  # over 100x the others: a log panel
    figures.fig02_headline_measures(headline, tmp_path / "spread")
    log_axes = [ax for ax in drawn["fig02_headline_measures"].axes if ax.get_xscale() == "log"]
    assert len(log_axes) == 1
    assert all(isinstance(ax.xaxis.get_minor_locator(), matplotlib.ticker.NullLocator) for ax in log_axes)
    panels = [ax for ax in drawn["fig05_distinctive_terms"].axes if ax.get_title(loc="left")]
    assert len({ax.get_xlim() for ax in panels}) == 1
    labelled = [bool(ax.xaxis.get_label_text()) for ax in panels]
    with_ticks = [any(t.get_visible() and t.get_text() for t in ax.get_xticklabels()) for ax in panels]
    assert with_ticks == labelled and any(labelled) and not all(labelled)
