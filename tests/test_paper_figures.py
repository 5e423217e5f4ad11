"""Figures for a paper: fig02 tells periods apart without colour, fig05 shows terms and not places or
pieces of numbers, and the report page has a title, alt text and a readable provenance table."""

from __future__ import annotations

import re

import matplotlib
import nbformat
import pandas as pd

from helpers.compare.vocabulary import (
    distinctive_terms,
    is_quantity_fragment,
    place_terms,
    tokenize,
)
from helpers.report import figures
from helpers.report.citations import alt_text, figure_html
from helpers.report.figures import FigureRecord, draws_significance_line
from helpers.run.pipeline import export_report
from test_figures import _drawn_figures, tables  # noqa: F401  (the synthetic study's tables)


def _sentences(rows):
    sentences = pd.DataFrame(
        [dict(doc_id=d, section_id=f"{d}-0", sentence_id=f"{d}-{i}", text=t) for i, (d, t) in enumerate(rows)]
    )
    sections = pd.DataFrame({"doc_id": ["yn", "sc"], "section_id": ["yn-0", "sc-0"],
                             "province": ["云南省", "四川省"], "city": ["", ""]})
    return sentences, sections


def test_county_level_place_names_and_pieces_of_numbers_are_not_terms():
    assert {"瑞丽", "瑞丽市", "邻水", "云南"} <= place_terms()
    assert is_quantity_fragment("余次") and is_quantity_fragment("多名") and is_quantity_fragment("万元")
    assert not is_quantity_fragment("志愿者") and not is_quantity_fragment("余额")
    assert "余次" not in tokenize("瑞丽志愿者服务1000余次。")
    rows = [("yn", "瑞丽志愿者服务1000余次，瑞丽社工值守口岸。")] * 4 + [("sc", "邻水社会组织捐赠物资，邻水党员值守。")] * 4
    sentences, sections = _sentences(rows)
    terms = distinctive_terms(sentences, sections, top_n=10)
    assert not set(terms["term"]) & {"瑞丽", "邻水", "余次"}
    assert {"口岸", "党员"} <= set(terms["term"])


def test_the_1_96_line_is_in_the_caption_exactly_when_it_is_drawn(tables, tmp_path, monkeypatch):  # noqa: F811
    drawn = _drawn_figures(monkeypatch)
    records = {r.number: r for r in figures.build_all_figures(tables, tmp_path)}
    terms = pd.read_csv(tmp_path / "fig05_distinctive_terms.csv")
    lines = [ln for ax in drawn["fig05_distinctive_terms"].axes for ln in ax.get_lines()
             if list(ln.get_xdata()) == [1.96, 1.96]]  # fmt: skip
    assert bool(lines) == draws_significance_line(terms) == ("1.96" in records[5].caption)
    low = terms.assign(z=terms["z"].clip(upper=1.5))
    assert not draws_significance_line(low)


def test_fig02_rows_name_the_period_and_periods_differ_in_marker_shape(tables, tmp_path, monkeypatch):  # noqa: F811
    drawn = _drawn_figures(monkeypatch)
    figures.build_all_figures(tables, tmp_path)
    data = pd.read_csv(tmp_path / "fig02_headline_measures.csv", keep_default_na=False)
    fig = drawn["fig02_headline_measures"]
    ticks = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    for region, period in zip(data["region"], data["period_label"], strict=True):
        assert any(t.startswith(region.split("\n")[0][:2]) and t.endswith(period) for t in ticks)
    legend = fig.legends[0]
    shapes = [h.get_marker() for h in legend.legend_handles]
    assert len(set(shapes)) == len(shapes) == data["period_id"].nunique()
    assert not (data["value_label"].str.contains(r"0\.000", regex=True)).any()


def test_report_page_has_its_title_and_alt_text_for_every_figure(tmp_path):
    png = tmp_path / "fig.png"
    fig = matplotlib.figure.Figure(figsize=(1, 1))
    fig.savefig(png)
    record = FigureRecord(2, "fig02_x", "各地区的主要数字", "每格为一个指标。数字未经核实。", {"png": png})
    assert alt_text(record) == "各地区的主要数字. 每格为一个指标。"
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("display(HTML(...))")
    cell.outputs = [nbformat.v4.new_output("display_data", {"text/html": figure_html(record)})]
    methods = nbformat.v4.new_markdown_cell("# 05 · Report: how this notebook works")
    methods.metadata["tags"] = ["methods"]
    nb.cells = [methods, cell]
    nbformat.write(nb, tmp_path / "05_report.ipynb")
    for language, title, lang in (("zh", "社会组织参与新冠疫情防控", "zh"), ("en", "Social organizations in China", "en")):
        page = export_report(tmp_path / "05_report.ipynb", tmp_path / f"report-{language}.html", language).read_text()
        assert re.search(rf"<title>{title}[^<]*</title>", page), f"no real title in the {language} report"
        assert f'<html lang="{lang}">' in page
        assert "how this notebook works" not in page, "the methods cells belong to the notebook, not the report"
        images = re.findall(r"<img [^>]*>", page)
        assert images and all(re.search(r'alt="[^"]+"', img) for img in images)
