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
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullLocator

from ..compare.labels import ORG_TYPE_COLOURS, ORG_TYPE_LABELS, UNPLACED, iter_codes
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
from ..compare.stories import duplicate_counts
from ..compare.vocabulary import distinctive_terms
from ..paths import resolve
from .captions import text
from .language import Labels
from .style import (
    LOG_SCALE_RATIO,
    MARKERS,
    THOUSANDS,
    add_caption,
    format_magnitude,
    new_figure,
    panels,
    region_period_label,
    save_figure,
    save_no_data,
    sha256_file,
    study_style,
    tick_label,
    wrap_label,
)

NOTEBOOK = "05_report"
ZH = Labels("zh")
SIGNIFICANCE_Z = 1.96


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


def fig01_corpus_overview(overview: pd.DataFrame, figures_dir: str | Path, labels: Labels = ZH) -> dict[str, Path]:
    """Documents, sentences and quantity mentions per region-period (three bar panels)."""
    name = "fig01_corpus_overview"
    lang = labels.language
    overview = overview.copy()
    overview["region_period"] = [
        labels.region_period(p, i, lab)
        for p, i, lab in zip(overview["province"], overview["period_id"], overview["period_label"], strict=True)
    ]
    with study_style():
        n = len(overview)
        if n == 0:
            return save_no_data(overview, figures_dir, name, text(lang, "no_data"), height=0.26 * n + 1.1)
        fig = new_figure(0.26 * n + 1.1)
        axes = fig.subplots(1, 3, sharey=True)
        y = np.arange(n)
        ticks = [wrap_label(lab, 14 if not labels.english else 26) for lab in overview["region_period"]]
        panels = [(col, text(lang, f"fig01.{col}")) for col in ("documents", "sentences", "quantities")]
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
        axes[0].set_yticks(y, ticks)
        axes[0].invert_yaxis()
        return save_figure(fig, overview, figures_dir, name)


def fig02_headline_measures(
    headline: pd.DataFrame, figures_dir: str | Path, ncols: int = 2, labels: Labels = ZH
) -> dict[str, Path]:
    """Small multiples: one panel per measure, region-periods as sorted dots on a line from zero.

    Each dot is a region-period's largest reported figure (never a sum) in the
    measure's unit; each label writes the figure in words of its own magnitude
    (``2,700万``, ``3``; ``27 million``), never as ``0.0003 万小时``. Rows name the
    region and the period, so a province reported in two periods is told apart in
    the label; the period is also the marker's shape and colour (greyscale-safe). The
    label marks qualifiers (≥ 余/多, ≈ 约, < 近/不足) and ``*`` when documents
    disagree by more than 10%.
    """
    name = "fig02_headline_measures"
    lang = labels.language
    cols = [
        "measure_id", "measure_label", "region", "period_id", "period_label", "region_period",
        "value", "value_label", "unit_label", "qualifier", "surface", "doc_id", "sentence_id",
        "n_documents", "sources_disagree",
    ]  # fmt: skip
    data = headline.copy()
    measures = {m.measure_id: m for m in load_measures()}
    measure_order = {m: i for i, m in enumerate(measures)}
    data["_m"] = data["measure_id"].map(measure_order).fillna(len(measure_order))
    data = data.sort_values(["_m", "value", "region", "period_id"], ascending=[True, False, True, True], kind="stable")
    data["region"] = [labels.province(r if r != UNPLACED else "") for r in data["region"]]
    data["period_label"] = [labels.period(i, lab) for i, lab in zip(data["period_id"], data["period_label"], strict=True)]
    data["region_period"] = [f"{r} · {p}" for r, p in zip(data["region"], data["period_label"], strict=True)]
    data["unit_label"] = [labels.measure_unit(m, measures[m].base_unit if m in measures else u)
                          for m, u in zip(data["measure_id"], data["unit_label"], strict=True)]  # fmt: skip
    data["measure_label"] = [
        f"{labels.measure(m, measures[m].label if m in measures else lab)} ({unit})"
        for m, lab, unit in zip(data["measure_id"], data["measure_label"], data["unit_label"], strict=True)
    ]
    data["value_label"] = [
        format_magnitude(float(v), q, lang) + (" *" if dis else "")
        for v, q, dis in zip(data["value"], data["qualifier"], data["sources_disagree"], strict=True)
    ]
    data = data[cols].reset_index(drop=True)
    ticks = FuncFormatter(lambda x, _pos: tick_label(x, lang))
    with study_style():
        if data.empty:
            return save_no_data(data, figures_dir, name, text(lang, "no_data"))
        fig, axes, measure_ids, ncols = panels(data, "measure_id", ncols, 0.24, 0.7, 0.5)
        period_ids = sorted(dict.fromkeys(data["period_id"]))
        cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
        colors = {p: f"#{cycle[i % len(cycle)]}".replace("##", "#") for i, p in enumerate(period_ids)}
        markers = {p: MARKERS[i % len(MARKERS)] for i, p in enumerate(period_ids)}
        for ax, measure_id in zip(axes, measure_ids, strict=False):
            part = data[data["measure_id"] == measure_id]
            y = np.arange(len(part))
            values = part["value"].to_numpy(dtype=float)
            positive = values[values > 0]
            log_scale = len(positive) > 1 and positive.max() / positive.min() > LOG_SCALE_RATIO
            xlabel = part["measure_label"].iloc[0]
            if log_scale:
                # figures spanning orders of magnitude: a log axis (a line's length from zero would mislead)
                low = 10 ** math.floor(math.log10(positive.min() / 2))
                high = 10 ** math.ceil(math.log10(positive.max()))
                ax.set_xscale("log")
                ax.set_xlim(low, high * 8)
                ax.xaxis.set_minor_locator(NullLocator())  # decades only: the labels give each figure
                xlabel += text(lang, "fig02.log")
                start = low
            else:
                ax.set_xlim(0, max(np.nanmax(values), 1e-9) * 1.45)
                ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
                start = 0
            ax.xaxis.set_major_formatter(ticks)
            for yi, v, period, label in zip(y, values, part["period_id"], part["value_label"], strict=True):
                ax.hlines(yi, start, v if v > 0 else start, color="#BBBBBB", linewidth=0.8, zorder=1)
                if v > 0:
                    ax.scatter([v], [yi], color=colors[period], marker=markers[period], s=18, zorder=3,
                               edgecolors="#222222", linewidths=0.4)  # fmt: skip
                xpos = v * 1.4 if log_scale else v + ax.get_xlim()[1] * 0.03
                ax.text(xpos if v > 0 else start, yi, label, va="center", fontsize=6.5)
            ax.set_yticks(y, [f"{wrap_label(r, 12 if not labels.english else 20)}\n{p}"
                              for r, p in zip(part["region"], part["period_label"], strict=True)], fontsize=6)
            ax.set_ylim(len(part) - 0.5, -0.5)
            ax.set_xlabel(wrap_label(xlabel, 24 if not labels.english else 42))
            ax.xaxis.grid(True)
            ax.tick_params(axis="x", labelsize=6.5)
        for ax in axes[len(measure_ids) :]:
            ax.set_axis_off()
        period_names = data.drop_duplicates("period_id").set_index("period_id")["period_label"]
        handles = [matplotlib.lines.Line2D([], [], linestyle="none", marker=markers[p], markerfacecolor=colors[p],
                                           markeredgecolor="#222222", markeredgewidth=0.4, markersize=5,
                                           label=period_names[p]) for p in period_ids]  # fmt: skip
        fig.legend(handles=handles, loc="outside upper center", ncols=min(4 if not labels.english else 2, len(handles)),
                   title=text(lang, "fig02.legend"))  # fmt: skip
        return save_figure(fig, data, figures_dir, name)


def fig03_activity_by_region(
    profile: pd.DataFrame, chi: ChiSquareResult, figures_dir: str | Path, labels: Labels = ZH
) -> dict[str, Path]:
    """Heatmap of adjusted residuals (activity code x province), cells annotated with shares.

    Colour: adjusted standardized residual, diverging colormap centred at 0
    (red = more sentences with the activity than independence predicts, blue =
    fewer; |r| > 1.96 is the 5% level, and those cells are framed). Text: the
    share of the province's sentences that carry the activity. The chi-square
    result is printed below.
    """
    name = "fig03_activity_by_region"
    lang = labels.language
    data = profile.copy()
    if "label" in data:
        data["label"] = [labels.activity(c) for c in data["code"]]
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
            return save_no_data(data, figures_dir, name, text(lang, "no_data"))
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
                if not np.isnan(r) and abs(r) > SIGNIFICANCE_Z:  # framed: the packaged font has no bold face
                    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="#222222",
                                           linewidth=0.9, zorder=3))  # fmt: skip
        n_by_region = data.drop_duplicates("region").set_index("region")["n_region_sentences"]
        col_labels = [f"{labels.province(r)}\n(n={n_by_region[r]})" for r in regions]
        rotate = len(regions) > 8
        ax.set_xticks(range(len(regions)), col_labels, rotation=45 if rotate else 0, ha="right" if rotate else "center",
                      rotation_mode="anchor")  # fmt: skip
        ax.set_yticks(range(len(codes)), [labels.activity(c) for c in codes])
        ax.tick_params(length=0)
        for side in ("top", "right", "left", "bottom"):
            ax.spines[side].set_visible(False)
        bar = fig.colorbar(image, ax=ax, shrink=0.6, pad=0.02)
        bar.set_label(text(lang, "fig03.colorbar"))
        bar.ax.tick_params(labelsize=6.5)
        note = text(lang, "fig03.inset", chi=chi.summary())
        if chi.cells_expected_below_5:
            note += text(lang, "fig03.inset_sparse", below=chi.cells_expected_below_5, cells=chi.expected.size)
        add_caption(fig, note, width_chars=ax.figure.get_figwidth() * 8.5)
        return save_figure(fig, data, figures_dir, name)


def fig04_org_types_by_region(composition: pd.DataFrame, figures_dir: str | Path, labels: Labels = ZH) -> dict[str, Path]:
    """100% stacked horizontal bars: organization types as shares of each region's distinct organizations."""
    name = "fig04_org_types_by_region"
    lang = labels.language
    data = composition.copy()
    if "label" in data:
        data["label"] = [labels.org_type(t) for t in data["org_type"]]
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
            return save_no_data(data, figures_dir, name, text(lang, "no_data"))
        fig = new_figure(0.3 * len(regions) + 1.6)
        ax = fig.add_subplot()
        y = np.arange(len(regions))
        left = np.zeros(len(regions))
        present = [t for t in types if data.loc[data["org_type"] == t, "n"].sum() > 0]
        for t in present:
            part = data[data["org_type"] == t].set_index("region").reindex(regions)
            share = part["share"].fillna(0).to_numpy() * 100
            label = labels.org_type(t)
            ax.barh(y, share, left=left, color=ORG_TYPE_COLOURS.get(t, "#999999"), label=label, height=0.7,
                    edgecolor="white", linewidth=0.4)  # fmt: skip
            for yi, lft, s in zip(y, left, share, strict=True):
                if s >= 9:
                    dark = t in {"mass_org", "other", "professional_society"}
                    ax.text(lft + s / 2, yi, f"{s:.0f}", ha="center", va="center", fontsize=6,
                            color="#222222" if dark else "white")  # fmt: skip
            left += share
        n_by_region = data.drop_duplicates("region").set_index("region")["n_region"]
        ax.set_yticks(y, [f"{wrap_label(labels.province(r), 12)} (n={n_by_region[r]})" for r in regions])
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel(text(lang, "fig04.xlabel"))
        fig.legend(loc="outside lower center", ncols=min(5, len(present)), handlelength=1.0, columnspacing=1.0)
        return save_figure(fig, data, figures_dir, name)


def fig05_distinctive_terms(
    terms: pd.DataFrame, figures_dir: str | Path, ncols: int = 3, labels: Labels = ZH
) -> dict[str, Path]:
    """Small multiples: each province's most distinctive terms, bars = log-odds z-score.

    The terms are data and stay as written (Chinese) in both languages; the dashed
    line at z = 1.96 is drawn when some term reaches it (:func:`draws_significance_line`).
    """
    name = "fig05_distinctive_terms"
    lang = labels.language
    data = terms.sort_values(["province", "rank"], kind="stable").reset_index(drop=True)
    with study_style():
        if data.empty:
            return save_no_data(data, figures_dir, name, text(lang, "no_data"))
        # one z scale for all panels
        fig, axes, provinces, ncols = panels(data, "province", ncols, 0.17, 0.6, 0.3, sharex=True)
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
            if draws_significance_line(data):
                ax.axvline(SIGNIFICANCE_Z, color="#888888", linewidth=0.6, linestyle="--")
            ax.set_title(labels.province(province), loc="left", y=1.0)  # placed, not searched for: no ticks on top
            ax.xaxis.grid(True)
            ax.tick_params(axis="x", labelsize=6.5)
        for ax in axes[len(provinces) :]:
            ax.set_axis_off()
        for i, ax in enumerate(axes[: len(provinces)]):
            if i + ncols >= len(provinces):  # no panel below: this one carries the scale and its label
                ax.xaxis.set_tick_params(labelbottom=True)
                ax.set_xlabel(text(lang, "fig05.xlabel"))
        return save_figure(fig, data, figures_dir, name)


def draws_significance_line(terms: pd.DataFrame) -> bool:
    """Whether fig05 draws the dashed z = 1.96 line: when some term's z reaches past it."""
    return bool(len(terms)) and float(terms["z"].max()) > SIGNIFICANCE_Z


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

def build_all_figures(
    tables: dict[str, pd.DataFrame], figures_dir: str | Path, labels: str | Labels = "zh",
    count_duplicates: bool = False,
) -> list[FigureRecord]:
    """Draw every figure from the study's tables; return their records for the index.

    ``tables`` needs documents, sections, sentences, quantities, organizations,
    activities; ``periods`` (from :func:`helpers.compare.periods.assign_periods`) is
    computed when absent, and so is ``distinctive_terms`` (the table of
    :func:`helpers.compare.vocabulary.distinctive_terms` with at least ``FIG05_TOP_N`` = 8
    terms per province, as notebook 04 writes it; fig05 draws its first 8), and
    so are ``region_measures``, ``activity_profile`` and ``org_type_composition``
    (:mod:`helpers.compare`; the report notebook passes the ones it has already
    computed for its findings, so text and figures come from the same tables).
    ``labels`` is the language of every label, title and caption (``zh`` or ``en``).
    With a ``stories`` table (notebook 02), figure 1's caption ends by saying how many
    documents were copies of another and whether they were counted (``count_duplicates``;
    the tables given are already filtered as the notebook chose).
    The figures are drawn one after the other.
    """
    labels = labels if isinstance(labels, Labels) else Labels(labels)
    lang = labels.language
    sep = text(lang, "list_sep")
    documents, sections, sentences = tables["documents"], tables["sections"], tables["sentences"]
    quantities, organizations, activities = tables["quantities"], tables["organizations"], tables["activities"]
    periods = _given(tables, "periods", lambda: assign_periods(documents, sections, sentences))
    by_basis = periods["period_basis"].value_counts().to_dict()
    basis_text = sep.join(text(lang, "count", label=labels.period_basis(k), n=v) for k, v in sorted(by_basis.items()))
    figures_dir = resolve(figures_dir)
    planned: list[tuple[int, str, str, str, tuple[Callable[..., dict[str, Path]], tuple]]] = []

    def plan(number: int, name: str, caption: str, draw: Callable[..., dict[str, Path]], *data: object) -> None:
        title = text(lang, f"fig{number:02d}.title")
        planned.append((number, name, title, caption, (draw, (*data, figures_dir), {"labels": labels})))

    overview = corpus_overview_table(documents, sections, sentences, quantities, periods)
    status = documents["status"].fillna("").value_counts().to_dict() if "status" in documents else {}
    status_text = sep.join(text(lang, "count", label=labels.status(k or "failed"), n=v) for k, v in sorted(status.items()))
    caption = text(lang, "fig01.caption", basis=basis_text, status=status_text)
    if tables.get("stories") is not None:
        caption += duplicates_sentence(tables["stories"], lang, count_duplicates)
    plan(1, "fig01_corpus_overview", caption, fig01_corpus_overview, overview)

    region_table = _given(tables, "region_measures", lambda: region_measures(quantities, documents, periods))
    headline = headline_measures(region_table)
    n_dis = int(headline["sources_disagree"].sum()) if len(headline) else 0
    plan(2, "fig02_headline_measures", text(lang, "fig02.caption", n_disagree=n_dis), fig02_headline_measures, headline)

    profile = _given(tables, "activity_profile", lambda: activity_profile(activities, sentences, sections))
    chi = chi_square_residuals(contingency(profile)) if len(profile) else None
    if chi is None:
        chi = chi_square_residuals(pd.DataFrame())
    plan(3, "fig03_activity_by_region", text(lang, "fig03.caption", chi=chi.summary(), note=chi_note(chi, lang)),
         fig03_activity_by_region, profile, chi)

    composition = _given(tables, "org_type_composition", lambda: org_type_composition(organizations))
    plan(4, "fig04_org_types_by_region", text(lang, "fig04.caption", n_types=len(ORG_TYPE_LABELS)),
         fig04_org_types_by_region, composition)

    terms = tables.get("distinctive_terms")
    if terms is None:
        terms = distinctive_terms(sentences, sections, top_n=FIG05_TOP_N)
    else:
        terms = terms[terms["rank"] <= FIG05_TOP_N]
    line = text(lang, "fig05.line") if draws_significance_line(terms) else ""
    plan(5, "fig05_distinctive_terms", text(lang, "fig05.caption", line=line), fig05_distinctive_terms, terms)

    records = []
    for number, name, title, caption, (draw, args, kwargs) in planned:
        files = draw(*args, **kwargs)
        records.append(FigureRecord(number, name, title, caption, files, NOTEBOOK, sha256_file(files["csv"])))
    return records


def chi_note(chi: ChiSquareResult, language: str = "zh") -> str:
    """The chi-square test's caveats in the caption's language, from the test's own counts."""
    if not chi.n or chi.expected.empty:
        return text(language, "fig03.no_test")
    note = ""
    if chi.cells_expected_below_5:
        smallest = float(np.nanmin(chi.expected.to_numpy(dtype=float)))
        note += text(language, "fig03.note_sparse", below=chi.cells_expected_below_5, cells=chi.expected.size,
                     share=f"{chi.share_expected_below_5:.0%}", smallest=f"{smallest:.2f}")  # fmt: skip
    return note + text(language, "fig03.note_codes")


def duplicates_sentence(stories: pd.DataFrame, language: str, count_duplicates: bool = False) -> str:
    """Figure 1's last sentence: how many documents copy another, and whether they were counted."""
    n_copies, n_stories = duplicate_counts(stories)
    if n_copies == 0:
        return text(language, "fig01.duplicates_none")
    counted = text(language, "fig01.duplicates_counted" if count_duplicates else "fig01.duplicates_left_out")
    return text(language, "fig01.duplicates", n=n_copies, stories=n_stories, counted=counted)


def _given(tables: dict[str, pd.DataFrame], name: str, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``tables[name]`` when the caller has it, else what ``compute()`` makes of the other tables."""
    table = tables.get(name)
    return compute() if table is None else table
