"""The study's figures: one function per figure, byte-identical when nothing changed.

Each ``figNN_name(data..., figures_dir)`` writes ``figures/figNN_name.png``
(300 dpi), ``.svg`` and ``.csv`` (exactly the data drawn) and returns their paths.
:func:`build_all_figures` makes them all from the study's tables and returns a
:class:`FigureRecord` per figure (number, title, caption, files, data sha256)
for the figure index (:func:`helpers.report.citations.write_figure_index`).

Figures are drawn on ``matplotlib.figure.Figure`` objects, never through ``pyplot``;
the style and the writers are in :mod:`helpers.report.style`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.colors import TwoSlopeNorm
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator, NullLocator

from ..compare.labels import ACTIVITY_LABELS, ORG_TYPE_LABELS, UNPLACED, iter_codes
from ..compare.measures import headline_measures, load_measures, region_measures
from ..compare.org_types import org_type_composition
from ..compare.periods import assign_periods, attach_periods
from ..compare.profiles import (
    ChiSquareResult,
    activity_profile,
    chi_square_residuals,
    contingency,
    sentence_regions,
)
from ..compare.vocabulary import distinctive_terms
from ..paths import resolve
from .style import (
    LOG_SCALE_RATIO,
    THOUSANDS,
    add_caption,
    draw_no_data,
    format_value,
    new_figure,
    region_period_label,
    save_figure,
    sha256_file,
    study_style,
    wrap_label,
)

NOTEBOOK = "05_report"


ORG_TYPE_COLORS = {
    "industry_association": "#0072B2",
    "foundation_charity": "#E69F00",
    "social_work_agency": "#009E73",
    "volunteer_group": "#CC79A7",
    "professional_society": "#56B4E9",
    "hub_support": "#D55E00",
    "party_org": "#B2182B",
    "mass_org": "#F0E442",
    "enterprise": "#8C6D31",
    "government": "#6A51A3",
    "other": "#BDBDBD",
}


# ----------------------------------------------------------------------------- figures


def corpus_overview_table(
    documents: pd.DataFrame,
    sections: pd.DataFrame,
    sentences: pd.DataFrame,
    quantities: pd.DataFrame,
    periods: pd.DataFrame,
) -> pd.DataFrame:
    """region_period, province, period_id, period_label, documents, sentences, quantities.

    Documents and sentences per region come from the sentences' sections;
    quantities from the province the extraction gave them; ``未定位`` collects
    text placed in no province.
    """
    regions = sentence_regions(sentences, sections, periods)
    regions = regions[regions["doc_id"].isin(documents["doc_id"])]
    sent = regions.groupby(["province", "period_id", "period_label"]).agg(
        documents=("doc_id", "nunique"), sentences=("sentence_id", "size")
    )
    q = quantities[["doc_id", "province"]].copy()
    q["province"] = q["province"].astype(object).where(q["province"].notna(), "").astype(str)
    q = attach_periods(q, periods)
    qn = q.groupby(["province", "period_id", "period_label"]).size().rename("quantities")
    out = sent.join(qn, how="outer").fillna(0).astype(int).reset_index()
    out["province"] = out["province"].replace("", UNPLACED)
    out.insert(0, "region_period", [region_period_label(p, lab) for p, lab in zip(out["province"], out["period_label"], strict=True)])
    out = out.sort_values(["sentences", "quantities", "region_period"], ascending=[False, False, True], kind="stable")
    return out.reset_index(drop=True)


def fig01_corpus_overview(overview: pd.DataFrame, figures_dir: str | Path) -> dict[str, Path]:
    """Documents, sentences and quantity mentions per region-period (three bar panels)."""
    name = "fig01_corpus_overview"
    with study_style():
        n = len(overview)
        fig = new_figure(0.26 * n + 1.1)
        if n == 0:
            draw_no_data(fig, "没有数据")
            return save_figure(fig, overview, figures_dir, name)
        axes = fig.subplots(1, 3, sharey=True)
        y = np.arange(n)
        labels = [wrap_label(lab, 14) for lab in overview["region_period"]]
        panels = [("documents", "文档 (篇)"), ("sentences", "正文句子 (句)"), ("quantities", "数量表述 (条)")]
        for ax, (col, xlabel) in zip(axes, panels, strict=True):
            values = overview[col].to_numpy()
            ax.barh(y, values, color="#0072B2", height=0.7)
            top = max(values.max(), 1)
            for yi, v in zip(y, values, strict=True):
                ax.text(v + top * 0.02, yi, f"{v:,}", va="center", fontsize=6.5)
            ax.set_xlim(0, top * 1.25)
            ax.set_xlabel(xlabel)
            ax.xaxis.grid(True)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
            ax.xaxis.set_major_formatter(THOUSANDS)
        axes[0].set_yticks(y, labels)
        axes[0].invert_yaxis()
        return save_figure(fig, overview, figures_dir, name)


def fig02_headline_measures(headline: pd.DataFrame, figures_dir: str | Path, ncols: int = 2) -> dict[str, Path]:
    """Small multiples: one panel per measure, region-periods as sorted horizontal bars.

    Bars show each region-period's largest reported figure (never a sum) in the
    measure's display unit; the label marks qualifiers (≥ 余/多, ≈ 约, < 近/不足)
    and ``*`` when documents disagree by more than 10%. Colour = period.
    """
    name = "fig02_headline_measures"
    cols = [
        "measure_id", "measure_label", "region", "period_id", "period_label", "region_period",
        "value_display", "unit_label", "qualifier", "surface", "doc_id", "sentence_id",
        "n_documents", "sources_disagree",
    ]  # fmt: skip
    data = headline.copy()
    data["region_period"] = [
        region_period_label(r if r != UNPLACED else "", p)
        for r, p in zip(data["region"], data["period_label"], strict=True)
    ]
    measure_order = {m.measure_id: i for i, m in enumerate(load_measures())}
    data["_m"] = data["measure_id"].map(measure_order).fillna(len(measure_order))
    data = data.sort_values(["_m", "value_display", "region_period"], ascending=[True, False, True], kind="stable")
    data = data[cols].reset_index(drop=True)
    with study_style():
        measures = list(dict.fromkeys(data["measure_id"]))
        if not measures:
            fig = new_figure(2)
            draw_no_data(fig, "没有数据")
            return save_figure(fig, data, figures_dir, name)
        ncols = min(ncols, len(measures))
        nrows = math.ceil(len(measures) / ncols)
        most = int(data.groupby("measure_id").size().max())
        fig = new_figure(nrows * (0.16 * most + 0.7) + 0.5)
        axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
        period_ids = list(dict.fromkeys(data.sort_values("period_id")["period_id"]))
        cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
        colors = {p: f"#{cycle[i % len(cycle)]}".replace("##", "#") for i, p in enumerate(period_ids)}
        for ax, measure_id in zip(axes, measures, strict=False):
            part = data[data["measure_id"] == measure_id]
            y = np.arange(len(part))
            values = part["value_display"].to_numpy(dtype=float)
            bar_colors = [colors[p] for p in part["period_id"]]
            positive = values[values > 0]
            log_scale = len(positive) > 1 and positive.max() / positive.min() > LOG_SCALE_RATIO
            xlabel = part["measure_label"].iloc[0]
            if log_scale:
                # figures spanning orders of magnitude: dots on a log axis (a bar's length would mislead)
                low = 10 ** math.floor(math.log10(positive.min() / 2))
                high = 10 ** math.ceil(math.log10(positive.max()))
                ax.set_xscale("log")
                ax.hlines(y, low, np.where(values > 0, values, low), color=bar_colors, linewidth=1.2)
                ax.scatter(np.where(values > 0, values, np.nan), y, color=bar_colors, s=14, zorder=3)
                ax.set_xlim(low, high * 8)
                ax.xaxis.set_minor_locator(NullLocator())  # decades only: the labels give each figure
                xlabel += "，对数刻度"
            else:
                ax.barh(y, values, color=bar_colors, height=0.7)
                ax.set_xlim(0, max(np.nanmax(values), 1e-9) * 1.35)
                ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
                ax.xaxis.set_major_formatter(THOUSANDS)
            for yi, v, qual, dis in zip(y, values, part["qualifier"], part["sources_disagree"], strict=True):
                label = format_value(v, qual) + (" *" if dis else "")
                xpos = v * 1.25 if log_scale else v + ax.get_xlim()[1] * 0.015
                ax.text(xpos, yi, label, va="center", fontsize=6.5)
            ax.set_yticks(y, [wrap_label(r, 12) for r in part["region"]])
            ax.invert_yaxis()
            ax.set_xlabel(xlabel)
            ax.xaxis.grid(True)
            ax.tick_params(axis="x", labelsize=6.5)
        for ax in axes[len(measures) :]:
            ax.set_axis_off()
        labels = data.drop_duplicates("period_id").set_index("period_id")["period_label"]
        handles = [matplotlib.patches.Patch(color=colors[p], label=labels[p]) for p in period_ids]
        fig.legend(handles=handles, loc="outside upper center", ncols=min(4, len(handles)), title="时段")
        return save_figure(fig, data, figures_dir, name)


def fig03_activity_by_region(
    profile: pd.DataFrame, chi: ChiSquareResult, figures_dir: str | Path
) -> dict[str, Path]:
    """Heatmap of adjusted residuals (activity code x province), cells annotated with shares.

    Colour: adjusted standardized residual, diverging colormap centred at 0
    (red = more sentences with the activity than independence predicts, blue =
    fewer; |r| > 1.96 is the 5% level, and those cells are framed). Text: the
    share of the province's sentences that carry the activity. The chi-square
    result is printed below.
    """
    name = "fig03_activity_by_region"
    data = profile.copy()
    res = chi.residuals.stack().rename("adjusted_residual") if not chi.residuals.empty else pd.Series(dtype=float)
    exp = chi.expected.stack().rename("expected") if not chi.expected.empty else pd.Series(dtype=float)
    if len(res):
        res.index.names = ["region", "code"]
        exp.index.names = ["region", "code"]
        data = data.merge(res.reset_index(), on=["region", "code"], how="left")
        data = data.merge(exp.reset_index(), on=["region", "code"], how="left")
    else:
        data["adjusted_residual"] = np.nan
        data["expected"] = np.nan
    regions = (
        data.drop_duplicates("region").sort_values(["n_region_sentences", "region"], ascending=[False, True])["region"].tolist()
    )
    codes = list(iter_codes(data)) if len(data) else []
    data["_r"] = data["region"].map({r: i for i, r in enumerate(regions)})
    data["_c"] = data["code"].map({c: i for i, c in enumerate(codes)})
    data = data.sort_values(["_c", "_r"]).drop(columns=["_r", "_c"]).reset_index(drop=True)
    with study_style():
        if not regions or not codes:
            fig = new_figure(2)
            draw_no_data(fig, "没有数据")
            return save_figure(fig, data, figures_dir, name)
        fig = new_figure(0.24 * len(codes) + 2.0, width=max(4.0, min(7.0, 1.8 + 0.55 * len(regions))))
        ax = fig.add_subplot()
        grid = data.pivot(index="code", columns="region", values="adjusted_residual").reindex(index=codes, columns=regions)
        shares = data.pivot(index="code", columns="region", values="share").reindex(index=codes, columns=regions)
        finite = np.abs(grid.to_numpy(dtype=float))
        vmax = max(2.5, float(np.nanmax(finite)) if np.isfinite(finite).any() else 2.5)
        norm = TwoSlopeNorm(vcenter=0.0, vmin=-vmax, vmax=vmax)
        # cells as vector rectangles (an image would be resampled into the PNG and embedded in the SVG
        # as a bitmap); row 0 at the top, as in a table
        image = ax.pcolormesh(np.arange(len(regions) + 1) - 0.5, np.arange(len(codes) + 1) - 0.5,
                              np.ma.masked_invalid(grid.to_numpy(dtype=float)), cmap="RdBu_r", norm=norm,
                              edgecolors="white", linewidth=1)  # fmt: skip
        ax.set_ylim(len(codes) - 0.5, -0.5)
        for i in range(len(codes)):
            for j in range(len(regions)):
                share = shares.iat[i, j]
                r = grid.iat[i, j]
                dark = not np.isnan(r) and abs(r) > 0.6 * vmax
                if not np.isnan(share):
                    ax.text(j, i, f"{share:.0%}", ha="center", va="center", fontsize=6,
                            color="white" if dark else "#222222")  # fmt: skip
                if not np.isnan(r) and abs(r) > 1.96:  # framed: the packaged font has no bold face
                    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="#222222",
                                           linewidth=0.9, zorder=3))  # fmt: skip
        n_by_region = data.drop_duplicates("region").set_index("region")["n_region_sentences"]
        col_labels = [f"{r}\n(n={n_by_region[r]})" for r in regions]
        rotate = len(regions) > 8
        ax.set_xticks(range(len(regions)), col_labels, rotation=45 if rotate else 0, ha="right" if rotate else "center",
                      rotation_mode="anchor")  # fmt: skip
        labels = [ACTIVITY_LABELS.get(c, c) for c in codes]
        ax.set_yticks(range(len(codes)), labels)
        ax.tick_params(length=0)
        for side in ("top", "right", "left", "bottom"):
            ax.spines[side].set_visible(False)
        bar = fig.colorbar(image, ax=ax, shrink=0.6, pad=0.02)
        bar.set_label("调整后标准化残差")
        bar.ax.tick_params(labelsize=6.5)
        note = f"{chi.summary()}。格内数字 = 含该活动的句子占该地区句子的比例（黑框：|残差| > 1.96）。"
        if chi.cells_expected_below_5:
            note += f" {chi.cells_expected_below_5}/{chi.expected.size} 格期望频数 < 5，检验仅作描述。"
        add_caption(fig, note, width_chars=ax.figure.get_figwidth() * 8.5)
        return save_figure(fig, data, figures_dir, name)


def fig04_org_types_by_region(composition: pd.DataFrame, figures_dir: str | Path) -> dict[str, Path]:
    """100% stacked horizontal bars: organization types as shares of each region's distinct organizations."""
    name = "fig04_org_types_by_region"
    data = composition.copy()
    regions = (
        data.drop_duplicates("region").sort_values(["n_region", "region"], ascending=[False, True])["region"].tolist()
    )
    types = [t for t in ORG_TYPE_LABELS if t in set(data["org_type"])]
    types += sorted(set(data["org_type"]) - set(types))
    data["_r"] = data["region"].map({r: i for i, r in enumerate(regions)})
    data["_t"] = data["org_type"].map({t: i for i, t in enumerate(types)})
    data = data.sort_values(["_r", "_t"]).drop(columns=["_r", "_t"]).reset_index(drop=True)
    with study_style():
        if not regions:
            fig = new_figure(2)
            draw_no_data(fig, "没有数据")
            return save_figure(fig, data, figures_dir, name)
        fig = new_figure(0.3 * len(regions) + 1.6)
        ax = fig.add_subplot()
        y = np.arange(len(regions))
        left = np.zeros(len(regions))
        present = [t for t in types if data.loc[data["org_type"] == t, "n"].sum() > 0]
        for t in present:
            part = data[data["org_type"] == t].set_index("region").reindex(regions)
            share = part["share"].fillna(0).to_numpy() * 100
            label = ORG_TYPE_LABELS.get(t, t)
            ax.barh(y, share, left=left, color=ORG_TYPE_COLORS.get(t, "#999999"), label=label, height=0.7,
                    edgecolor="white", linewidth=0.4)  # fmt: skip
            for yi, lft, s in zip(y, left, share, strict=True):
                if s >= 9:
                    dark = t in {"mass_org", "other", "professional_society"}
                    ax.text(lft + s / 2, yi, f"{s:.0f}", ha="center", va="center", fontsize=6,
                            color="#222222" if dark else "white")  # fmt: skip
            left += share
        n_by_region = data.drop_duplicates("region").set_index("region")["n_region"]
        ax.set_yticks(y, [f"{wrap_label(r, 12)} (n={n_by_region[r]})" for r in regions])
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("占该地区不同组织数的比例 (%)")
        fig.legend(loc="outside lower center", ncols=min(5, len(present)), handlelength=1.0, columnspacing=1.0)
        return save_figure(fig, data, figures_dir, name)


def fig05_distinctive_terms(terms: pd.DataFrame, figures_dir: str | Path, ncols: int = 3) -> dict[str, Path]:
    """Small multiples: each province's most distinctive terms, bars = log-odds z-score."""
    name = "fig05_distinctive_terms"
    data = terms.sort_values(["province", "rank"], kind="stable").reset_index(drop=True)
    with study_style():
        provinces = list(dict.fromkeys(data["province"]))
        if not provinces:
            fig = new_figure(2)
            draw_no_data(fig, "没有数据")
            return save_figure(fig, data, figures_dir, name)
        ncols = min(ncols, len(provinces))
        nrows = math.ceil(len(provinces) / ncols)
        most = int(data.groupby("province").size().max())
        fig = new_figure(nrows * (0.17 * most + 0.6) + 0.3)
        axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True).ravel()  # one z scale for all
        zmax = float(data["z"].max())
        for ax, province in zip(axes, provinces, strict=False):
            part = data[data["province"] == province]
            y = np.arange(len(part))
            ax.barh(y, part["z"], color="#0072B2", height=0.7)
            for yi, z, count in zip(y, part["z"], part["count"], strict=True):
                ax.text(z + zmax * 0.02, yi, f"{count}", va="center", fontsize=5.5, color="#555555")
            ax.set_yticks(y, part["term"])
            ax.invert_yaxis()
            ax.set_xlim(0, zmax * 1.15)
            if zmax > 1.96:
                ax.axvline(1.96, color="#888888", linewidth=0.6, linestyle="--")
            ax.set_title(province, loc="left", y=1.0)  # placed, not searched for: no ticks on top
            ax.xaxis.grid(True)
            ax.tick_params(axis="x", labelsize=6.5)
        for ax in axes[len(provinces) :]:
            ax.set_axis_off()
        for i, ax in enumerate(axes[: len(provinces)]):
            if i + ncols >= len(provinces):  # no panel below: this one carries the scale and its label
                ax.xaxis.set_tick_params(labelbottom=True)
                ax.set_xlabel("z 分数 (加权对数优势比)")
        return save_figure(fig, data, figures_dir, name)


# ----------------------------------------------------------------------- build them all


@dataclass
class FigureRecord:
    """One figure as the index cites it."""

    number: int
    name: str
    title: str
    caption: str
    files: dict[str, Path] = field(default_factory=dict)
    notebook: str = NOTEBOOK
    data_sha256: str = ""


FIG05_TOP_N = 8
"""Terms per province in fig05 (notebook 04's table keeps 10; the figure draws the first 8)."""

def build_all_figures(tables: dict[str, pd.DataFrame], figures_dir: str | Path) -> list[FigureRecord]:
    """Draw every figure from the study's tables; return their records for the index.

    ``tables`` needs documents, sections, sentences, quantities, organizations,
    activities; ``periods`` (from :func:`helpers.compare.periods.assign_periods`) is
    computed when absent, and so is ``distinctive_terms`` (the table of
    :func:`helpers.compare.vocabulary.distinctive_terms` with at least ``FIG05_TOP_N`` = 8
    terms per province, as notebook 04 writes it; fig05 draws its first 8), and
    so are ``region_measures``, ``activity_profile`` and ``org_type_composition``
    (:mod:`helpers.compare`; the report notebook passes the ones it has already
    computed for its findings, so text and figures come from the same tables).
    The figures are drawn one after the other.
    """
    documents, sections, sentences = tables["documents"], tables["sections"], tables["sentences"]
    quantities, organizations, activities = tables["quantities"], tables["organizations"], tables["activities"]
    periods = _given(tables, "periods", lambda: assign_periods(documents, sections, sentences))
    by_basis = periods["period_basis"].value_counts().to_dict()
    basis_text = "，".join(f"{k} {v} 篇" for k, v in sorted(by_basis.items()))
    figures_dir = resolve(figures_dir)
    planned: list[tuple[int, str, str, str, tuple[Callable[..., dict[str, Path]], tuple]]] = []

    def plan(number: int, name: str, title: str, caption: str, draw: Callable[..., dict[str, Path]],
             *data: object) -> None:
        planned.append((number, name, title, caption, (draw, (*data, figures_dir))))

    overview = corpus_overview_table(documents, sections, sentences, quantities, periods)
    status = documents["status"].fillna("").value_counts().to_dict() if "status" in documents else {}
    status_text = "，".join(f"{k or '未知'} {v} 篇" for k, v in sorted(status.items()))
    plan(1, "fig01_corpus_overview", "语料概况：各地区-时段的文档、句子与数量表述",
        f"每个地区-时段（省份 · 疫情时段）的文档数、正文句子数与抽取的数量表述数。地区取句子所在段落的省份，"
        f"时段按文档判定（{basis_text}）。一篇文档可覆盖多个地区，因此各行文档数之和可大于文档总数。"
        f"文档状态：{status_text}。未定位 = 文本未指明省份的内容。",
        fig01_corpus_overview, overview)  # fmt: skip

    region_table = _given(tables, "region_measures", lambda: region_measures(quantities, documents, periods))
    headline = headline_measures(region_table)
    n_dis = int(headline["sources_disagree"].sum()) if len(headline) else 0
    plan(2, "fig02_headline_measures", "各地区-时段的主要数字（报道中的最大值，不加总）",
        "每格为一个指标，条形为该地区-时段所有文档中报道的最大数字（单位见横轴；最大值超过最小值 100 倍的指标用对数刻度的点而非条形）。报道数字多为累计且相互重叠，"
        "因此从不相加：每篇文档取其最大值，文档之间并列比较、取最大者显示。≥ = 余/多，≈ = 约，< = 近/不足；"
        f"* = 不同文档的数字相差超过 10%（共 {n_dis} 处）。省级条形取该省任一地点报道的最大值（市级数字是全省的下限）。"
        "数字是自我报告的宣传口径，未经核实；缺失的条形表示未报道，而非为零。",
        fig02_headline_measures, headline)  # fmt: skip

    profile = _given(tables, "activity_profile", lambda: activity_profile(activities, sentences, sections))
    chi = chi_square_residuals(contingency(profile)) if len(profile) else None
    if chi is None:
        chi = chi_square_residuals(pd.DataFrame())
    plan(3, "fig03_activity_by_region", "各省活动类型：卡方检验的调整后标准化残差",
        f"行 = 活动编码（CODEBOOK），列 = 省份。颜色为调整后标准化残差（Haberman；红 = 多于独立假设的期望，"
        f"蓝 = 少于期望，|r| > 1.96 约为 5% 水平，这些格加黑框），格内数字为含该活动的句子占该省句子的比例。{chi.summary()}。"
        f"注意：{chi.note}。编码由词典规则自动标注，不是人工编码；各省句子数差异很大。",
        fig03_activity_by_region, profile, chi)  # fmt: skip

    composition = _given(tables, "org_type_composition", lambda: org_type_composition(organizations))
    plan(4, "fig04_org_types_by_region", "各省参与组织的类型构成",
        "每省提及的不同组织（按名称去重）中各类型所占比例（%），n 为不同组织数。类型由组织名称后缀规则判定"
        "（CODEBOOK 的 11 类）。报道倾向于点名大型或官方背景的组织，构成反映报道而非全部参与者；n 小的省份比例不稳定。",
        fig04_org_types_by_region, composition)  # fmt: skip

    terms = tables.get("distinctive_terms")
    if terms is None:
        terms = distinctive_terms(sentences, sections, top_n=FIG05_TOP_N)
    else:
        terms = terms[terms["rank"] <= FIG05_TOP_N]
    plan(5, "fig05_distinctive_terms", "各省的特色词（加权对数优势比）",
        "每省与其他省份合并相比最具特色的词：jieba 分词（去停用词、数字、标点与单字），"
        "加权对数优势比 + 语料整体计数作为信息性 Dirichlet 先验（Monroe, Colaresi & Quinn 2008），"
        "横轴为 z 分数，虚线为 1.96，条形旁数字为该词在该省的出现次数。只保留在该省出现至少 2 次的词；各省市名称不参与比较（它们只说明报道的地点）。语料小，特色词受单篇报道的写法影响很大。",
        fig05_distinctive_terms, terms)  # fmt: skip

    records = []
    for number, name, title, caption, (draw, args) in planned:
        files = draw(*args)
        records.append(FigureRecord(number, name, title, caption, files, NOTEBOOK, sha256_file(files["csv"])))
    return records


def _given(tables: dict[str, pd.DataFrame], name: str, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``tables[name]`` when the caller has it, else what ``compute()`` makes of the other tables."""
    table = tables.get(name)
    return compute() if table is None else table
