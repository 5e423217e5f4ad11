"""Report: the figure index, provenance of headline numbers, computed findings."""

from __future__ import annotations

import hashlib
import re

import pandas as pd

from helpers.compare.measures import headline_measures, region_measures
from helpers.compare.periods import assign_periods
from helpers.compare.profiles import chi_square_residuals
from helpers.report import citations
from helpers.report.figures import FigureRecord


def study():
    documents = pd.DataFrame(
        [
            dict(doc_id="a", path="", sha256="", bytes=0, encoding="utf-8", format="txt", title="陕西社会组织抗疫",
                 published="2022-01-23", source="", status="ok", error=""),
            dict(doc_id="b", path="", sha256="", bytes=0, encoding="utf-8", format="txt", title="陕西志愿者在行动",
                 published="2022-01-30", source="", status="ok", error=""),
        ]
    )  # fmt: skip
    sentences = pd.DataFrame(
        [
            dict(doc_id="a", section_id="a-0", sentence_id="a-0", text="全省1000余家社会组织参与抗疫。", char_start=0, char_end=17),
            dict(doc_id="a", section_id="a-0", sentence_id="a-1", text="2000余名志愿者上岗。", char_start=17, char_end=29),
            dict(doc_id="b", section_id="b-0", sentence_id="b-0", text="累计1500名志愿者参与。", char_start=0, char_end=13),
        ]
    )  # fmt: skip
    quantities = pd.DataFrame(
        [
            dict(doc_id="a", province="陕西省", city="", surface="1000余家", value=1000.0, value_high=None, qualifier="over",
                 kind="organizations", unit="家", object="社会组织", section_id="a-0", sentence_id="a-0", char_start=3, char_end=9),
            dict(doc_id="a", province="陕西省", city="西安市", surface="2000余名", value=2000.0, value_high=None, qualifier="over",
                 kind="people", unit="名", object="志愿者", section_id="a-0", sentence_id="a-1", char_start=17, char_end=23),
            dict(doc_id="b", province="陕西省", city="", surface="1500名", value=1500.0, value_high=None, qualifier="",
                 kind="people", unit="名", object="志愿者", section_id="b-0", sentence_id="b-0", char_start=2, char_end=7),
        ]
    )  # fmt: skip
    return documents, sentences, quantities


def test_provenance_traces_every_headline_number_to_its_sentence():
    documents, sentences, quantities = study()
    table = region_measures(quantities, documents, assign_periods(documents))
    sections = pd.DataFrame({"doc_id": ["a", "b"], "section_id": ["a-0", "b-0"], "heading": ["陕西省", ""]})
    prov = citations.provenance_table(table, sentences, documents, sections)
    assert list(prov.columns) == citations.PROVENANCE_COLUMNS
    people = prov[(prov["measure_id"] == "people") & (prov["region"] == "陕西省")].set_index("doc_id")
    assert people.loc["a", "is_headline"] and not people.loc["b", "is_headline"]
    assert people.loc["a", "sentence"] == "2000余名志愿者上岗。"
    assert people.loc["a", "title"] == "陕西社会组织抗疫"
    assert people.loc["a", "section_heading"] == "陕西省" and people.loc["b", "section_heading"] == ""
    readable = citations.readable_provenance(prov, "en")
    assert list(readable.columns) == list(citations.READABLE_PROVENANCE["en"].values())
    assert len(readable) == int(prov["is_headline"].sum())
    for row in prov.itertuples():
        assert row.surface in row.sentence  # the number stands in the sentence cited
    assert set(prov["period_label"]) == {"2021-22 西安疫情"}


def test_figure_index_lists_every_figure_and_is_deterministic(tmp_path):
    csv = tmp_path / "fig01_corpus_overview.csv"
    csv.write_text("a,b\n1,2\n", encoding="utf-8")
    files = {ext: tmp_path / f"fig01_corpus_overview.{ext}" for ext in ("png", "svg")} | {"csv": csv}
    sha = hashlib.sha256(csv.read_bytes()).hexdigest()
    records = [
        FigureRecord(2, "fig02_headline_measures", "主要数字", "每格一个指标。", {"csv": csv}, "05_report", sha),
        FigureRecord(1, "fig01_corpus_overview", "语料概况", "文档与句子。", files, "05_report", sha),
    ]
    reproducible = ["## 图表的可复现依据", "", "- corpus digest: `abc`", ""]
    path = citations.write_figure_index(records, tmp_path, reproducible=reproducible)
    text = path.read_text(encoding="utf-8")
    assert path.name == "index.md"
    assert text.index("图 1：") < text.index("图 2：")
    assert "fig01_corpus_overview.png" in text and "notebooks/05_report.ipynb" in text
    assert sha in text and str(tmp_path) not in text  # relative file names only
    assert text.index("corpus digest: `abc`") < text.index("图 1：")
    assert citations.write_figure_index(records, tmp_path, reproducible=reproducible).read_bytes() == path.read_bytes()
    assert not re.search(r"20\d\d-\d\d-\d\d", text)  # no date stamps


def test_findings_are_computed_from_the_tables():
    documents, sentences, quantities = study()
    periods = assign_periods(documents)
    head = headline_measures(region_measures(quantities, documents, periods))
    table = pd.DataFrame([[20, 5], [5, 20]], index=["陕西省", "四川省"], columns=["donate_money", "training"])
    chi = chi_square_residuals(table)
    lines = citations.findings(headline=head, chi=chi, periods=periods)
    assert any("over 2,000 people" in line and "'2000余名' in a" in line and "Shaanxi" in line for line in lines)
    chinese = citations.findings(headline=head, chi=chi, periods=periods, language="zh")
    assert any("逾2,000人" in line and "陕西省" in line and "“2000余名”" in line for line in chinese)
    assert "2 篇文档中，2 篇归入疫情时段（2 篇按发布日期）。" in chinese
    assert not any(re.search(r"[A-Za-z]{3,}", re.sub(r"“[^”]*”|文档 \w+", "", line)) for line in chinese), chinese
    assert "Of 2 documents, 2 were placed in an outbreak period (2 by their publication date)." in lines
    assert any("χ²(1)" in line for line in lines)
    assert any("differ by more than 10%" in line for line in lines)  # 2000 vs 1500
    assert citations.findings() == []


def test_a_document_outside_every_period_is_not_counted_as_placed():
    periods = pd.DataFrame({
        "doc_id": ["a", "b", "c", "d"],
        "period_id": ["2022_guangan", "2020_wuhan", "2020_wuhan", "outside_periods"],
        "period_basis": ["published date", "published date", "month mentions + region", "published date"],
    })
    line = citations.period_finding(periods)
    assert line == ("Of 4 documents, 3 were placed in an outbreak period (2 by their publication date; "
                    "1 by the months their text mentions and the regions it covers (c)); "
                    "1 is dated outside every period.")
    undated = periods.assign(period_id=["undated"] * 4, period_basis=["undated"] * 4)
    assert citations.period_finding(undated) == "Of 4 documents, 0 were placed in an outbreak period; 4 could not be placed."
