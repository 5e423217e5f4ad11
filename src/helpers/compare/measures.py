"""Headline measures by region and period: the largest figure each document reports, never a sum.

Reports give cumulative, overlapping totals ("累计", "据不完全统计"): the same
volunteers appear in a city figure, a province figure and a later update. So for
each (region, period, measure, document) the table keeps the single *largest*
figure the document reports, with its provenance; across documents the figures
are shown side by side and flagged when they disagree, never added up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..corpus.lexicons import read_lexicon_rows
from ..paths import lexicon
from ..run.tables import is_yes
from .labels import UNPLACED
from .periods import assign_periods, attach_periods

DISAGREEMENT_TOLERANCE = 0.10
"""Documents disagree when their figures differ by more than 10% of the largest."""


@dataclass(frozen=True)
class Measure:
    """A headline measure: which quantity mentions count for it and how it is shown."""

    measure_id: str
    label: str
    unit_label: str
    scale: float
    kind: str
    object_include: tuple[str, ...] = ()
    object_exclude: tuple[str, ...] = ()
    unit: str = ""  # the quantities' unit it takes ('' = any): money in 港元 is not yuan

    @property
    def axis_label(self) -> str:
        return f"{self.label} ({self.unit_label})"

    @property
    def base_unit(self) -> str:
        """The unit of ``value`` (元, 小时, 人): the display unit without its 万 or 亿."""
        prefix = {10_000: "万", 100_000_000: "亿"}.get(int(self.scale), "")
        has_prefix = prefix and self.unit_label.startswith(prefix)
        return self.unit_label[len(prefix):] if has_prefix else self.unit_label

    def matches(self, kind: str, obj: str, unit: str = "") -> bool:
        """True when a quantity of ``kind`` in ``unit`` counting ``obj`` belongs to this measure."""
        if kind != self.kind or (self.unit and unit != self.unit):
            return False
        obj = obj or ""
        if self.object_include and not any(k in obj for k in self.object_include):
            return False
        return not any(k in obj for k in self.object_exclude)


def load_measures(path: str | None = None) -> list[Measure]:
    """Read the headline measures (default ``lexicons/measures.csv``).

    Columns: measure_id, label, unit_label (the display unit, e.g. 万元), scale
    (base units per display unit: 10000 for 万元), kind (the quantities' kind),
    object_include / object_exclude (``|``-separated keywords matched as
    substrings of the quantity's ``object``; empty = no filter) and, optionally,
    unit (the quantities' unit the measure takes: 元, so that money in 港元 or 新台币
    is never summed or compared with yuan; empty = any).
    """
    source = Path(path) if path else lexicon("measures.csv")
    rows = read_lexicon_rows(source)
    required = {"measure_id", "label", "unit_label", "scale", "kind"}
    if missing := required - set(rows[0] if rows else ()):
        raise ValueError(f"{source}: missing columns {sorted(missing)}")

    def split(text: str) -> tuple[str, ...]:
        return tuple(t.strip() for t in text.split("|") if t.strip())

    measures = []
    for row in rows:
        try:
            scale = float(row["scale"] or 1)
        except ValueError as exc:
            raise ValueError(f"{source}: measure {row['measure_id']!r} has a bad scale") from exc
        measures.append(
            Measure(
                row["measure_id"],
                row["label"],
                row["unit_label"],
                scale,
                row["kind"],
                split(row.get("object_include", "")),
                split(row.get("object_exclude", "")),
                (row.get("unit") or "").strip(),
            )
        )
    return measures


REGION_COLUMNS = [
    "region_level", "province", "city", "region", "period_id", "period_label",
    "measure_id", "measure_label", "unit_label", "doc_id", "value", "value_display",
    "qualifier", "surface", "object", "unit", "quantity_city", "section_id",
    "sentence_id", "char_start", "char_end", "n_mentions",
]  # fmt: skip


def clean_str(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), "").astype(str).str.strip()


def region_label(province: str, city: str = "") -> str:
    """Display name of a region: ``陕西省``, ``陕西省 西安市``, or ``未定位``."""
    if not province:
        return UNPLACED if not city else city
    return f"{province} {city}" if city else province


def region_measures(
    quantities: pd.DataFrame,
    documents: pd.DataFrame,
    periods: pd.DataFrame | None = None,
    measures: list[Measure] | None = None,
) -> pd.DataFrame:
    """One row per region x period x measure x document: the largest figure that document reports.

    Rule (quoted by the notebook): reported figures are cumulative and overlap
    ("累计", updates, city totals inside province totals), so mentions are never
    summed. For each (region, period, measure, document) the row keeps the
    single largest reported value (the lower end of a range; ties go to the
    earliest mention), with its doc_id, sentence_id, character span, surface
    text and qualifier as provenance; ``n_mentions`` says how many mentions
    competed. Regions come at two levels: ``province`` rows take the largest
    figure reported anywhere in the province (a city's figure is a lower bound
    for its province; ``quantity_city`` says where it was reported) and ``city``
    rows take the figures the text places in that city. Facts placed in no
    province form the region ``未定位``. The period is the document's outbreak
    period (:func:`helpers.compare.periods.assign_periods`; by publication date alone
    when ``periods`` is not given). Across documents, see :func:`headline_measures`.

    ``value`` is in the base unit of the quantities table (元, m2, 人 ...);
    ``value_display`` is divided by the measure's scale (万元, 万人次 ...).
    """
    measures = measures if measures is not None else load_measures()
    if periods is None:
        periods = assign_periods(documents)
    if quantities.empty:
        return pd.DataFrame(columns=REGION_COLUMNS)

    q = quantities.copy()
    for col in ("province", "city", "kind", "object", "qualifier", "surface", "unit"):
        q[col] = clean_str(q[col]) if col in q else ""
    q["value"] = pd.to_numeric(q["value"], errors="coerce")
    q = q[q["value"].notna()]
    if "implausible" in q:  # values no report can mean (quantity_limits.csv) are never drawn
        q = q[q["implausible"].fillna("") == ""]
    q = attach_periods(q, periods)

    pieces = []
    for measure in measures:
        hit = q[[measure.matches(k, o, u) for k, o, u in zip(q["kind"], q["object"], q["unit"], strict=True)]]
        if hit.empty:
            continue
        hit = hit.assign(
            measure_id=measure.measure_id,
            measure_label=measure.axis_label,
            unit_label=measure.unit_label,
            value_display=hit["value"] / measure.scale,
            quantity_city=hit["city"],
        )
        province_level = hit.assign(region_level="province", city="")
        city_level = hit[hit["city"] != ""].assign(region_level="city")
        pieces.extend([province_level, city_level])
    if not pieces:
        return pd.DataFrame(columns=REGION_COLUMNS)

    rows = pd.concat(pieces, ignore_index=True)
    keys = ["region_level", "province", "city", "period_id", "measure_id", "doc_id"]
    rows["n_mentions"] = rows.groupby(keys, sort=False)["value"].transform("size")
    rows = rows.sort_values(
        keys + ["value", "sentence_id", "char_start"],
        ascending=[True] * len(keys) + [False, True, True],
        kind="stable",
    )
    best = rows.drop_duplicates(keys, keep="first").copy()
    best["region"] = [region_label(p, c) for p, c in zip(best["province"], best["city"], strict=True)]
    order = {m.measure_id: i for i, m in enumerate(measures)}
    best["_m"] = best["measure_id"].map(order)
    best["_lvl"] = (best["region_level"] == "city").astype(int)
    best = best.sort_values(["_lvl", "province", "city", "period_id", "_m", "doc_id"], kind="stable")
    for col in REGION_COLUMNS:
        if col not in best:
            best[col] = ""
    return best[REGION_COLUMNS].reset_index(drop=True)


HEADLINE_COLUMNS = [
    "region_level", "province", "city", "region", "period_id", "period_label",
    "measure_id", "measure_label", "unit_label", "value", "value_display", "qualifier",
    "surface", "doc_id", "sentence_id", "char_start", "char_end", "n_documents",
    "min_value", "sources_disagree", "document_values",
]  # fmt: skip


def headline_measures(
    region_table: pd.DataFrame,
    tolerance: float = DISAGREEMENT_TOLERANCE,
    level: str | None = "province",
) -> pd.DataFrame:
    """One row per region x period x measure: the largest figure across documents.

    The value shown is the largest of the documents' figures (each already the
    largest within its document, see :func:`region_measures`), with that
    document's provenance. ``document_values`` lists every document's figure
    (``doc_id=value``), ``sources_disagree`` is True when documents differ by
    more than ``tolerance`` (10%) of the largest figure: (max - min) / max > tolerance.
    ``level`` keeps only ``province`` or ``city`` rows (None: both).
    """
    t = region_table if level is None else region_table[region_table["region_level"] == level]
    if t.empty:
        return pd.DataFrame(columns=HEADLINE_COLUMNS)
    keys = ["region_level", "province", "city", "period_id", "measure_id"]
    t = t.sort_values(keys + ["value", "doc_id"], ascending=[True] * 5 + [False, True], kind="stable")
    groups = t.groupby(keys, sort=False)
    best = t.drop_duplicates(keys, keep="first").set_index(keys)
    best["n_documents"] = groups["doc_id"].nunique()
    best["min_value"] = groups["value"].min()
    best["document_values"] = groups.apply(
        lambda g: "; ".join(f"{d}={v:g}" for d, v in zip(g["doc_id"], g["value"], strict=True)),
        include_groups=False,
    )
    spread = (best["value"] - best["min_value"]) / best["value"].where(best["value"] != 0)
    best["sources_disagree"] = (best["n_documents"] > 1) & (spread.fillna(0) > tolerance)
    out = best.reset_index()
    return out[HEADLINE_COLUMNS].reset_index(drop=True)


def pivot_headline(headline: pd.DataFrame) -> pd.DataFrame:
    """Region-period x measure: the largest figure (display units) and a ``sources_disagree`` flag.

    Columns are the measures' axis labels (``捐赠款物价值 (万元)`` ...);
    ``sources_disagree`` is True when any measure of the row has documents that
    differ by more than the tolerance, and ``disagreeing_measures`` names them.
    """
    if headline.empty:
        return pd.DataFrame(columns=["region", "period_label", "sources_disagree", "disagreeing_measures"])
    idx = ["region", "period_label"]
    wide = headline.pivot_table(
        index=idx, columns="measure_label", values="value_display", aggfunc="max", sort=False
    )
    wide.columns.name = None
    flags = headline.groupby(idx, sort=False)
    wide["sources_disagree"] = flags["sources_disagree"].any()
    wide["disagreeing_measures"] = flags.apply(
        lambda g: "|".join(g.loc[g["sources_disagree"], "measure_id"]), include_groups=False
    )
    return wide.reset_index()


def documents_by_region(
    documents: pd.DataFrame, sections: pd.DataFrame, periods: pd.DataFrame
) -> pd.DataFrame:
    """doc_id, province, period of each document's in-body provinces (one row per pair)."""
    body = sections[sections["in_body"].map(is_yes)] if "in_body" in sections else sections
    pairs = body[["doc_id", "province"]].copy()
    pairs["province"] = clean_str(pairs["province"])
    pairs = pairs[pairs["province"] != ""].drop_duplicates()
    pairs = pairs[pairs["doc_id"].isin(documents["doc_id"])]
    return attach_periods(pairs, periods)
