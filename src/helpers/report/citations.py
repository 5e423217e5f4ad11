"""The report: the figure index to cite, the provenance of every headline number, computed findings.

Nothing here types a number by hand: every figure in the prose comes from a table,
and every headline number can be followed back to its document and sentence.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..compare.labels import UNPLACED
from ..compare.measures import headline_measures, load_measures
from ..compare.periods import AMBIGUOUS, BASIS_DATE, BASIS_MONTHS, OUTSIDE, UNDATED
from ..compare.profiles import ChiSquareResult
from ..outputs import write_text
from ..paths import resolve
from .captions import text
from .figures import FigureRecord, chi_note
from .language import Labels
from .style import format_magnitude

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


def write_figure_index(
    records: Sequence[FigureRecord], figures_dir: str | Path, language: str = "zh", *,
    reproducible: Sequence[str],
) -> Path:
    """Write ``figures_dir/index.md``: what makes the figures reproducible (``reproducible``,
    markdown lines: :meth:`helpers.run.record.Reproducibility.index_lines`), then every
    figure with number, title, caption, files, notebook, data sha256.

    In the figures' language (``zh`` or ``en``). The content depends only on the
    arguments (no dates), so an unchanged study rewrites the same bytes. File names are
    relative to the figures folder.
    """
    out = resolve(figures_dir)
    out.mkdir(parents=True, exist_ok=True)
    lines = [f"# {text(language, 'index.title')}", "", text(language, "index.intro"), "", *reproducible]
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
    return write_text(out / "index.md", "\n".join(lines))


FIGURE_FILE = re.compile(r"^fig\d{2}_[^/]+\.(?:png|svg|csv)$")
"""A figure file of the study (``figNN_name.png/.svg/.csv``), this run's or an older one's."""


def folder_contents(folder: str | Path) -> dict[str, str]:
    """``file name -> sha256`` of the files directly in ``folder`` (``{}`` when it does not exist)."""
    folder = resolve(folder)
    if not folder.is_dir():
        return {}
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def product_changes(before: dict[str, str], folder: str | Path, written: Sequence[str | Path]) -> pd.DataFrame:
    """What a run did to the figures folder: one row per file it wrote (``new``, ``replaced``
    when a different file stood there, ``unchanged``) and per figure file it did not write
    (``stale``: a ``figNN_*`` from an older run, left in place, that no index entry names).

    ``before`` is :func:`folder_contents` taken before the run wrote anything."""
    after = folder_contents(folder)
    names = {Path(p).name for p in written}
    rows = []
    for name in sorted(names):
        old, new = before.get(name), after.get(name)
        change = "new" if old is None else ("unchanged" if old == new else "replaced")
        rows.append({"file": name, "change": change})
    for name in sorted(set(after) - names):
        if FIGURE_FILE.match(name):
            rows.append({"file": name, "change": "stale"})
    return pd.DataFrame(rows, columns=["file", "change"])


def describe_changes(changes: pd.DataFrame) -> str:
    """One line per kind of change, naming the files replaced and the stale ones."""
    counts = changes["change"].value_counts()
    lines = [", ".join(f"{counts[c]} {c}" for c in ("new", "replaced", "unchanged", "stale") if c in counts)
             or "no files"]
    for change, what in (("replaced", "replaced (a different file stood there)"),
                         ("stale", "stale (from an older run, not written by this one; delete them)")):
        files = changes.loc[changes["change"] == change, "file"].tolist()
        if files:
            lines.append(f"{what}: {', '.join(files)}")
    return "\n".join(lines)


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


QUALIFIER_WORDS = {
    "zh": {"over": "逾", "about": "约", "nearly": "近", "under": "不足"},
    "en": {"over": "over ", "about": "about ", "nearly": "nearly ", "under": "under "},
}


def _number(value: float, unit: str, qualifier: str = "", language: str = "zh") -> str:
    """``逾2,700万人次`` / ``over 27 million person-times``: the figure in words of its magnitude."""
    word = QUALIFIER_WORDS[language].get(qualifier or "", "")
    sep = "" if language == "zh" else " "
    return f"{word}{format_magnitude(value, '', language)}{sep}{unit}".strip()


def period_finding(periods: pd.DataFrame, language: str = "en") -> str:
    """How the documents were placed in outbreak periods, every count from ``periods``.

    A document counts as placed only when it got a study period: one dated outside
    every period, or whose period cannot be told, is counted as such, never as placed.
    """
    t = FINDINGS[language]
    fallback = periods["period_id"].isin([UNDATED, OUTSIDE, AMBIGUOUS])
    placed = periods[~fallback]
    dated = int((placed["period_basis"] == BASIS_DATE).sum())
    inferred = placed[placed["period_basis"] == BASIS_MONTHS]
    ways = []
    if dated:
        ways.append(t["dated"].format(n=dated))
    if len(inferred):
        ways.append(t["inferred"].format(n=len(inferred), ids=t["sep"].join(inferred["doc_id"])))
    out = t["placed"].format(n=len(periods), placed=len(placed))
    out += t["ways"].format(ways=t["semi"].join(ways)) if ways else ""
    outside = int((periods["period_id"] == OUTSIDE).sum())
    unplaced = int(periods["period_id"].isin([UNDATED, AMBIGUOUS]).sum())
    rest = []
    if outside:
        rest.append((t["outside_one"] if outside == 1 else t["outside"]).format(n=outside))
    if unplaced:
        rest.append(t["unplaced"].format(n=unplaced))
    return out + (t["semi"] + t["and"].join(rest) if rest else "") + t["end"]


FINDINGS = {
    "en": {
        "sep": ", ", "semi": "; ", "and": " and ", "end": ".",
        "placed": "Of {n} documents, {placed} were placed in an outbreak period",
        "ways": " ({ways})",
        "dated": "{n} by their publication date",
        "inferred": "{n} by the months their text mentions and the regions it covers ({ids})",
        "outside_one": "{n} is dated outside every period",
        "outside": "{n} are dated outside every period",
        "unplaced": "{n} could not be placed",
        "largest": ("The largest reported figure for {measure} is {number} ({region}, {period}; '{surface}' in "
                    "{doc_id}, sentence {sentence_id}), across {n_regions} regions reporting it."),
        "disagree": ("In {n_dis} of {n} region-period-measure cells the documents' figures differ by more than 10%; "
                     "the figure shows the largest and the provenance table lists all."),
        "chi": "Activity profiles differ between provinces ({summary})",
        "chi_top": "; the strongest over-representation is {code} in {region} (adjusted residual {value})",
        "chi_note": ". Caution: {note}",
        "composition": ("Of {total} distinct organizations named in placed text, {n1} ({share}) are {type1} "
                        "and {n2} are {type2}."),
        "terms": "The most distinctive term of each province: {listed}.",
        "term": "{province}: {term} (z = {z})",
    },
    "zh": {
        "sep": "、", "semi": "；", "and": "，", "end": "。",
        "placed": "{n} 篇文档中，{placed} 篇归入疫情时段",
        "ways": "（{ways}）",
        "dated": "{n} 篇按发布日期",
        "inferred": "{n} 篇按正文提及的月份与所涉地区：{ids}",
        "outside_one": "{n} 篇的日期不在任何研究时段内",
        "outside": "{n} 篇的日期不在任何研究时段内",
        "unplaced": "{n} 篇无法归入时段",
        "largest": ("{measure}报道的最大数字为 {number}（{region}，{period}；文档 {doc_id} 第 {sentence_id} 句中的"
                    "“{surface}”），共 {n_regions} 个地区报道了这一指标。"),
        "disagree": "{n} 个地区-时段-指标格中有 {n_dis} 格的各文档数字相差超过 10%；图中显示最大值，来源表列出全部。",
        "chi": "各省的活动构成不同（{summary}）",
        "chi_top": "；高于期望最多的是{region}的“{code}”（调整后残差 {value}）",
        "chi_note": "。注意：{note}",
        "composition": "已定位文本中提及的 {total} 个不同组织中，{n1} 个（{share}）为{type1}，{n2} 个为{type2}。",
        "terms": "各省最具特色的词：{listed}。",
        "term": "{province}：{term}（z = {z}）",
    },
}
"""The findings' sentences in each language; every number in them is filled from the tables."""


def findings(
    headline: pd.DataFrame | None = None,
    chi: ChiSquareResult | None = None,
    composition: pd.DataFrame | None = None,
    terms: pd.DataFrame | None = None,
    periods: pd.DataFrame | None = None,
    language: str = "en",
) -> list[str]:
    """A few sentences of prose computed from the tables (every number from data), in ``language``.

    Each argument is optional; a sentence is written only for what is given:
    ``headline`` (:func:`helpers.compare.measures.headline_measures`), ``chi``
    (:func:`helpers.compare.profiles.chi_square_residuals`), ``composition``
    (:func:`helpers.compare.org_types.org_type_composition`), ``terms``
    (:func:`helpers.compare.vocabulary.distinctive_terms`), ``periods``
    (:func:`helpers.compare.periods.assign_periods`). Names of provinces, periods,
    measures, codes and types are those of :class:`helpers.report.language.Labels`.
    """
    labels, t = Labels(language), FINDINGS[language]
    out: list[str] = []
    if periods is not None and len(periods):
        out.append(period_finding(periods, language))
    if headline is not None and len(headline):
        measures = {m.measure_id: m for m in load_measures()}
        for measure_id in ("organizations", "people", "money"):
            part = headline[headline["measure_id"] == measure_id]
            if part.empty:
                continue
            top = part.sort_values(["value", "region"], ascending=[False, True]).iloc[0]
            m = measures[measure_id]
            unit = labels.measure_unit(measure_id, m.base_unit)
            out.append(t["largest"].format(
                measure=labels.measure(measure_id, m.label),
                number=_number(float(top["value"]), unit, top["qualifier"], language),
                region=labels.province(top["region"] if top["region"] != UNPLACED else ""),
                period=labels.period(top["period_id"], top["period_label"]), surface=top["surface"],
                doc_id=top["doc_id"], sentence_id=top["sentence_id"], n_regions=part["region"].nunique(),
            ))  # fmt: skip
        n_dis = int(headline["sources_disagree"].sum())
        if n_dis:
            out.append(t["disagree"].format(n_dis=n_dis, n=len(headline)))
    if chi is not None and chi.n:
        res = chi.residuals.stack().dropna()
        line = t["chi"].format(summary=chi.summary())
        if len(res):
            (region, code), value = res.idxmax(), res.max()
            line += t["chi_top"].format(code=labels.activity(code), region=labels.province(region), value=f"{value:.1f}")
        note = chi_note(chi, language).strip().rstrip("。.")
        out.append(line + (t["chi_note"].format(note=note) if note else "") + t["end"])
    if composition is not None and len(composition):
        totals = composition.groupby("org_type")["n"].sum().sort_values(ascending=False, kind="stable")
        total = int(totals.sum())
        if total:
            second = labels.org_type(totals.index[1]) if len(totals) > 1 else "-"
            out.append(t["composition"].format(
                total=total, n1=int(totals.iloc[0]), share=f"{totals.iloc[0] / total:.0%}",
                type1=labels.org_type(totals.index[0]), n2=int(totals.iloc[1]) if len(totals) > 1 else 0,
                type2=second,
            ))  # fmt: skip
    if terms is not None and len(terms):
        firsts = terms[terms["rank"] == 1]
        listed = t["semi"].join(
            t["term"].format(province=labels.province(p), term=term, z=f"{z:.1f}")
            for p, term, z in zip(firsts["province"], firsts["term"], firsts["z"], strict=True)
        )
        out.append(t["terms"].format(listed=listed))
    return out
