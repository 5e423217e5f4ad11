"""The report: the figure index to cite, the provenance of every headline number, computed findings.

Nothing here types a number by hand: every figure in the prose comes from a table,
and every headline number can be followed back to its document and sentence.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..compare.measures import headline_measures
from ..compare.periods import AMBIGUOUS, BASIS_DATE, BASIS_MONTHS, OUTSIDE, UNDATED
from ..compare.profiles import ChiSquareResult
from ..paths import resolve
from .captions import text
from .figures import FigureRecord
from .style import format_value

PROVENANCE_COLUMNS = [
    "region", "period_label", "measure_id", "measure_label", "value", "value_display", "unit_label",
    "qualifier", "surface", "is_headline", "doc_id", "title", "section_heading", "sentence_id", "sentence",
    "char_start", "char_end",
]  # fmt: skip

READABLE_PROVENANCE = {
    "zh": {"region": "地区", "period_label": "时段", "measure_label": "指标", "surface": "原文数字",
           "title": "文档标题", "section_heading": "段落标题", "sentence": "句子"},
    "en": {"region": "Region", "period_label": "Period", "measure_label": "Measure", "surface": "Figure as written",
           "title": "Document title", "section_heading": "Section heading", "sentence": "Sentence"},
}
"""The columns of the provenance table a person reads in the report (the CSV has them all)."""


def alt_text(record: FigureRecord) -> str:
    """What a figure shows, for a reader who cannot see it: its title and its caption's first sentence."""
    first = re.split(r"(?<=[。.])\s*", record.caption.strip(), maxsplit=1)[0]
    return f"{record.title}. {first}" if first else record.title


def figure_html(record: FigureRecord, width: int = 700) -> str:
    """The figure's PNG as an ``<img>`` with alt text, embedded so that ``report.html`` stands alone."""
    data = base64.b64encode(Path(record.files["png"]).read_bytes()).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt_text(record), quote=True)}" '
            f'width="{width}">')


def write_figure_index(records: Sequence[FigureRecord], figures_dir: str | Path, language: str = "zh") -> Path:
    """Write ``figures_dir/index.md``: every figure with number, title, caption, files, notebook, data sha256.

    In the figures' language (``zh`` or ``en``). The content depends only on the
    records (no dates), so an unchanged study rewrites the same bytes. File names are
    relative to the figures folder.
    """
    out = resolve(figures_dir)
    out.mkdir(parents=True, exist_ok=True)
    lines = [f"# {text(language, 'index.title')}", "", text(language, "index.intro"), ""]
    for rec in sorted(records, key=lambda r: r.number):
        files = ", ".join(f"[`{Path(p).name}`]({Path(p).name})" for _, p in sorted(rec.files.items()))
        lines += [
            f"## {text(language, 'index.figure', number=rec.number, title=rec.title)}",
            "",
            f"![{rec.title}]({rec.name}.png)",
            "",
            rec.caption,
            "",
            f"- {text(language, 'index.files')}: {files}",
            f"- {text(language, 'index.made_by')}: `notebooks/{rec.notebook}.ipynb` (`helpers.report.figures.{rec.name}`)",
            f"- {text(language, 'index.sha')}: `{rec.data_sha256}`",
            "",
        ]
    path = out / "index.md"
    path.write_text("\n".join(lines), encoding="utf-8", newline="\n")
    return path


def provenance_table(
    region_table: pd.DataFrame, sentences: pd.DataFrame, documents: pd.DataFrame,
    sections: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Where each headline number comes from: region, period, measure, value, surface, doc, title,
    section heading, sentence, span.

    One row per row of ``region_table`` (each document's largest figure per
    region x period x measure, see :func:`helpers.compare.measures.region_measures`);
    ``is_headline`` marks the figure shown in fig02 (the largest across
    documents). ``sentence`` is the text of the sentence the number stands in and
    ``char_start``/``char_end`` its span in the cleaned document text;
    ``section_heading`` is the heading of the sentence's section (from ``sections``;
    empty for text before the first heading).
    """
    if region_table.empty:
        return pd.DataFrame(columns=PROVENANCE_COLUMNS)
    table = region_table.copy()
    headline = headline_measures(table, level=None)
    key = ["region_level", "province", "city", "period_id", "measure_id", "doc_id", "sentence_id", "char_start"]
    marks = headline[key].assign(is_headline=True)
    table = table.merge(marks, on=key, how="left")
    table["is_headline"] = table["is_headline"].astype("boolean").fillna(False).astype(bool)
    with_section = "section_id" in sentences and "section_id" not in table
    cols = ["doc_id", "sentence_id", "text"] + (["section_id"] if with_section else [])
    text = sentences[cols].rename(columns={"text": "sentence"})
    table = table.merge(text, on=["doc_id", "sentence_id"], how="left")
    if sections is not None and "section_id" in table and "heading" in sections:
        headings = sections[["doc_id", "section_id", "heading"]].rename(columns={"heading": "section_heading"})
        table = table.merge(headings, on=["doc_id", "section_id"], how="left")
    if "section_heading" not in table:
        table["section_heading"] = ""
    table["section_heading"] = table["section_heading"].fillna("").astype(str)
    table = table.merge(documents[["doc_id", "title"]], on="doc_id", how="left")
    table["sentence"] = table["sentence"].fillna("")
    table["title"] = table["title"].fillna("")
    return table[PROVENANCE_COLUMNS].reset_index(drop=True)


def readable_provenance(provenance: pd.DataFrame, language: str = "zh") -> pd.DataFrame:
    """The headline rows of the provenance table with the columns a reader needs, named in ``language``."""
    names = READABLE_PROVENANCE[language]
    rows = provenance.loc[provenance["is_headline"], list(names)]
    return rows.rename(columns=names).reset_index(drop=True)


def _number(value: float, unit: str, qualifier: str = "") -> str:
    words = {"over": "逾", "about": "约", "nearly": "近", "under": "不足"}
    return f"{words.get(qualifier or '', '')}{format_value(value)} {unit}".strip()


def period_finding(periods: pd.DataFrame) -> str:
    """How the documents were placed in outbreak periods, every count from ``periods``.

    A document counts as placed only when it got a study period: one dated outside
    every period, or whose period cannot be told, is counted as such, never as placed.
    """
    fallback = periods["period_id"].isin([UNDATED, OUTSIDE, AMBIGUOUS])
    placed = periods[~fallback]
    dated = int((placed["period_basis"] == BASIS_DATE).sum())
    inferred = placed[placed["period_basis"] == BASIS_MONTHS]
    ways = []
    if dated:
        ways.append(f"{dated} by their publication date")
    if len(inferred):
        ways.append(f"{len(inferred)} by the months their text mentions and the regions it covers "
                    f"({', '.join(inferred['doc_id'])})")
    text = f"Of {len(periods)} documents, {len(placed)} were placed in an outbreak period"
    text += f" ({'; '.join(ways)})" if ways else ""
    outside = int((periods["period_id"] == OUTSIDE).sum())
    unplaced = int(periods["period_id"].isin([UNDATED, AMBIGUOUS]).sum())
    rest = []
    if outside:
        rest.append(f"{outside} {'is' if outside == 1 else 'are'} dated outside every period")
    if unplaced:
        rest.append(f"{unplaced} could not be placed")
    return text + ("; " + " and ".join(rest) if rest else "") + "."


def findings(
    headline: pd.DataFrame | None = None,
    chi: ChiSquareResult | None = None,
    composition: pd.DataFrame | None = None,
    terms: pd.DataFrame | None = None,
    periods: pd.DataFrame | None = None,
) -> list[str]:
    """A few sentences of prose computed from the tables (every number from data).

    Each argument is optional; a sentence is written only for what is given:
    ``headline`` (:func:`helpers.compare.measures.headline_measures`), ``chi``
    (:func:`helpers.compare.profiles.chi_square_residuals`), ``composition``
    (:func:`helpers.compare.org_types.org_type_composition`), ``terms``
    (:func:`helpers.compare.vocabulary.distinctive_terms`), ``periods``
    (:func:`helpers.compare.periods.assign_periods`).
    """
    out: list[str] = []
    if periods is not None and len(periods):
        out.append(period_finding(periods))
    if headline is not None and len(headline):
        for measure_id in ("organizations", "people", "money"):
            part = headline[headline["measure_id"] == measure_id]
            if part.empty:
                continue
            top = part.sort_values(["value", "region"], ascending=[False, True]).iloc[0]
            out.append(
                f"The largest reported figure for {top['measure_label']} is "
                f"{_number(top['value_display'], top['unit_label'], top['qualifier'])} "
                f"({top['region']}, {top['period_label']}; '{top['surface']}' in {top['doc_id']}, "
                f"sentence {top['sentence_id']}), across {part['region'].nunique()} regions reporting it."
            )
        n_dis = int(headline["sources_disagree"].sum())
        if n_dis:
            out.append(
                f"In {n_dis} of {len(headline)} region-period-measure cells the documents' figures "
                "differ by more than 10%; the figure shows the largest and the provenance table lists all."
            )
    if chi is not None and chi.n:
        res = chi.residuals.stack().dropna()
        text = f"Activity profiles differ between provinces ({chi.summary()})"
        if len(res):
            (region, code), value = res.idxmax(), res.max()
            text += f"; the strongest over-representation is {code} in {region} (adjusted residual {value:.1f})"
        out.append(text + (f". Caution: {chi.note}." if chi.note else "."))
    if composition is not None and len(composition):
        totals = composition.groupby("label")["n"].sum().sort_values(ascending=False, kind="stable")
        total = int(totals.sum())
        if total:
            out.append(
                f"Of {total} distinct organizations named in placed text, "
                f"{int(totals.iloc[0])} ({totals.iloc[0] / total:.0%}) are {totals.index[0]} and "
                f"{int(totals.iloc[1]) if len(totals) > 1 else 0} are {totals.index[1] if len(totals) > 1 else '-'}."
            )
    if terms is not None and len(terms):
        firsts = terms[terms["rank"] == 1]
        listed = "; ".join(f"{p}: {t} (z = {z:.1f})" for p, t, z in zip(firsts["province"], firsts["term"], firsts["z"], strict=True))
        out.append(f"The most distinctive term of each province: {listed}.")
    return out
