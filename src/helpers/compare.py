"""Comparing regions: headline measures, activity profiles, organization types, vocabulary.

Every table here keeps the provenance of its numbers (doc_id, sentence_id,
character span, the surface text) so a figure can be traced to its sentence.

The rules the notebook quotes:

* **Headline measures are never sums.** Reports give cumulative, overlapping
  totals ("累计", "据不完全统计"): the same volunteers appear in a city figure, a
  province figure and a later update. So for each (region, period, measure,
  document) the table keeps the single *largest* figure the document reports,
  with its provenance; across documents the figures are shown side by side and
  flagged when they disagree, never added up.
* **Activity profiles count sentences.** A sentence coded with an activity counts
  once for that activity; shares are over all in-body sentences of the region.
* **Organization types count distinct names** per region (an organization named
  five times counts once).
* **Distinctive vocabulary** is the weighted log-odds ratio with an informative
  Dirichlet prior (Monroe, Colaresi & Quinn 2008), one province against all others.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency

from .gazetteer import place_names
from .paths import lexicon
from .periods import UNDATED, assign_periods, attach_periods
from .tables import is_yes

UNPLACED = "未定位"
"""Region label of facts that the text does not place in any province."""

DISAGREEMENT_TOLERANCE = 0.10
"""Documents disagree when their figures differ by more than 10% of the largest."""

ACTIVITY_LABELS: dict[str, str] = {
    "donate_money": "捐款募捐",
    "donate_goods": "捐赠物资",
    "volunteer_service": "志愿服务",
    "psych_support": "心理援助",
    "disinfection": "消杀",
    "testing_support": "核酸检测协助",
    "screening_checkpoint": "排查值守",
    "publicity_education": "宣传科普",
    "order_keeping": "秩序维护",
    "logistics_delivery": "物资运输配送",
    "vulnerable_care": "困难群体帮扶",
    "matching_platform": "供需对接平台",
    "professional_service": "专业医疗服务",
    "training": "培训",
    "work_resumption": "复工复产",
    "coordination": "枢纽协调",
    "party_mobilization": "党建动员",
}
"""Activity code ids and labels, in the order of CODEBOOK.md (updated from ``activity_codes.csv``)."""


def _labels_from_lexicon(name: str, key: str, fallback: dict[str, str]) -> dict[str, str]:
    """Labels from the extraction's lexicon when it has ``key`` and ``label`` columns, else ``fallback``.

    The codebook ids are fixed; a researcher who relabels a code in the lexicon
    sees the new label in tables and figures. Codes the lexicon adds come last.
    """
    try:
        df = pd.read_csv(lexicon(name), dtype=str, keep_default_na=False, usecols=[key, "label"])
    except (FileNotFoundError, ValueError):
        return dict(fallback)
    found = {k: v for k, v in zip(df[key], df["label"], strict=True) if k and v}
    merged = {k: found.get(k, v) for k, v in fallback.items()}
    merged.update({k: v for k, v in found.items() if k not in merged})
    return merged


ACTIVITY_LABELS = _labels_from_lexicon("activity_codes.csv", "code", ACTIVITY_LABELS)

ORG_TYPE_LABELS: dict[str, str] = {
    "industry_association": "行业协会商会",
    "foundation_charity": "基金会慈善组织",
    "social_work_agency": "社工机构",
    "volunteer_group": "志愿者组织",
    "professional_society": "学会专业团体",
    "hub_support": "枢纽支持机构",
    "party_org": "党组织",
    "mass_org": "群团组织",
    "enterprise": "企业",
    "government": "政府部门",
    "other": "其他",
}
"""Organization type ids and labels, in the order of CODEBOOK.md."""


# --------------------------------------------------------------------------- measures


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
    source = path or lexicon("measures.csv")
    df = pd.read_csv(source, dtype=str, keep_default_na=False)
    required = {"measure_id", "label", "unit_label", "scale", "kind"}
    if missing := required - set(df.columns):
        raise ValueError(f"{source}: missing columns {sorted(missing)}")

    def split(text: str) -> tuple[str, ...]:
        return tuple(t.strip() for t in text.split("|") if t.strip())

    measures = []
    for row in df.to_dict("records"):
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


def _clean_str(series: pd.Series) -> pd.Series:
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
    period (:func:`helpers.periods.assign_periods`; by publication date alone
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
        q[col] = _clean_str(q[col]) if col in q else ""
    q["value"] = pd.to_numeric(q["value"], errors="coerce")
    q = q[q["value"].notna()]
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


# ------------------------------------------------------------------ activity profiles


def sentence_regions(
    sentences: pd.DataFrame, sections: pd.DataFrame, periods: pd.DataFrame | None = None
) -> pd.DataFrame:
    """doc_id, sentence_id, province, city (and period when given) of every sentence, via its section."""
    sec = sections[["doc_id", "section_id", "province", "city"]].copy()
    sec["province"] = _clean_str(sec["province"])
    sec["city"] = _clean_str(sec["city"])
    out = sentences[["doc_id", "section_id", "sentence_id"]].merge(
        sec, on=["doc_id", "section_id"], how="left"
    )
    out["province"] = out["province"].fillna("")
    out["city"] = out["city"].fillna("")
    if periods is not None:
        out = attach_periods(out, periods)
    return out


def _region_key(df: pd.DataFrame, by_period: bool) -> pd.Series:
    if by_period:
        return df["province"] + " · " + df["period_label"]
    return df["province"].copy()


def activity_profile(
    activities: pd.DataFrame,
    sentences: pd.DataFrame,
    sections: pd.DataFrame,
    periods: pd.DataFrame | None = None,
    keep_unplaced: bool = False,
) -> pd.DataFrame:
    """Region x activity code: sentences carrying the code and their share of the region's sentences.

    Long table: region, code, label, n_sentences (sentences coded with the
    activity; a sentence counts once per code), n_region_sentences (all in-body
    sentences of the region), share = n_sentences / n_region_sentences. The
    region is the province of the sentence's section (``province · period`` when
    ``periods`` is given). Sentences placed in no province are dropped unless
    ``keep_unplaced`` (they would form a ``未定位`` pseudo-region). Every code
    of the codebook appears for every region, with zero counts where absent.
    """
    regions = sentence_regions(sentences, sections, periods)
    if not keep_unplaced:
        regions = regions[regions["province"] != ""]
    regions = regions.assign(province=regions["province"].replace("", UNPLACED))
    regions["region"] = _region_key(regions, periods is not None)
    totals = regions.groupby("region")["sentence_id"].size().rename("n_region_sentences")

    coded = activities[["doc_id", "sentence_id", "code"]].drop_duplicates()
    coded = coded.merge(regions[["doc_id", "sentence_id", "region"]], on=["doc_id", "sentence_id"])
    counts = coded.groupby(["region", "code"]).size()

    codes = list(ACTIVITY_LABELS) + sorted(set(coded["code"]) - set(ACTIVITY_LABELS))
    full = pd.MultiIndex.from_product([sorted(totals.index), codes], names=["region", "code"])
    out = counts.reindex(full, fill_value=0).rename("n_sentences").reset_index()
    out["label"] = out["code"].map(ACTIVITY_LABELS).fillna(out["code"])
    out = out.merge(totals.reset_index(), on="region")
    out["share"] = out["n_sentences"] / out["n_region_sentences"]
    return out[["region", "code", "label", "n_sentences", "n_region_sentences", "share"]]


def contingency(profile: pd.DataFrame, value: str = "n_sentences") -> pd.DataFrame:
    """Wide region x code table (codes in codebook order) from :func:`activity_profile`."""
    wide = profile.pivot_table(index="region", columns="code", values=value, aggfunc="sum", sort=False)
    order = [c for c in ACTIVITY_LABELS if c in wide.columns] + sorted(
        c for c in wide.columns if c not in ACTIVITY_LABELS
    )
    wide = wide[order]
    wide.columns.name = None
    return wide


@dataclass
class ChiSquareResult:
    """Chi-square test of independence with adjusted (standardized) residuals."""

    chi2: float
    dof: int
    p: float
    n: int
    expected: pd.DataFrame
    residuals: pd.DataFrame
    observed: pd.DataFrame
    cells_expected_below_5: int
    share_expected_below_5: float
    dropped: list[str] = field(default_factory=list)
    note: str = ""

    def summary(self) -> str:
        """``χ²(16) = 45.2, p < .001, N = 310`` style text for captions."""
        p = "p < .001" if self.p < 0.001 else f"p = {self.p:.3f}".replace("0.", ".")
        return f"χ²({self.dof}) = {self.chi2:.1f}, {p}, N = {self.n}"


def chi_square_residuals(table: pd.DataFrame) -> ChiSquareResult:
    """Chi-square test of a rows x columns count table and its adjusted residuals.

    The statistic is Pearson's, without continuity correction
    (``scipy.stats.chi2_contingency(table, correction=False)``). The
    residuals are the adjusted standardized residuals of KH Coder and SPSS
    (Haberman 1973): (O - E) / sqrt(E (1 - row total / N) (1 - column total / N));
    |r| > 1.96 marks a cell above/below independence at the 5% level. Rows and
    columns that are all zero are dropped first (they have no expected count)
    and named in ``dropped``. ``note`` warns when expected counts are below 5
    (the approximation is then unreliable) and always says that a sentence with
    several codes is counted once per code, so counts are not independent
    observations: read the test as descriptive.
    """
    t = table.astype(float)
    dropped = [f"row {r}" for r in t.index[t.sum(axis=1) == 0]]
    dropped += [f"column {c}" for c in t.columns[t.sum(axis=0) == 0]]
    t = t.loc[t.sum(axis=1) > 0, t.sum(axis=0) > 0]
    if t.shape[0] < 2 or t.shape[1] < 2:
        empty = pd.DataFrame(index=t.index, columns=t.columns, dtype=float)
        return ChiSquareResult(
            float("nan"), 0, float("nan"), int(t.values.sum()), empty, empty, t, 0, 0.0, dropped,
            "fewer than two non-empty rows or columns: no test",
        )
    chi2, p, dof, expected = chi2_contingency(t.values, correction=False)
    n = t.values.sum()
    row = t.values.sum(axis=1, keepdims=True) / n
    col = t.values.sum(axis=0, keepdims=True) / n
    adjusted = (t.values - expected) / np.sqrt(expected * (1 - row) * (1 - col))
    expected_df = pd.DataFrame(expected, index=t.index, columns=t.columns)
    below = int((expected < 5).sum())
    share = below / expected.size
    notes = []
    if below:
        notes.append(
            f"{below} of {expected.size} cells ({share:.0%}) have expected counts below 5 "
            f"(smallest {expected.min():.2f}): the chi-square approximation is unreliable, "
            "read the residuals as descriptive"
        )
    notes.append(
        "a sentence with several activity codes counts once per code, so the counts "
        "are not independent observations"
    )
    return ChiSquareResult(
        float(chi2), int(dof), float(p), int(n), expected_df,
        pd.DataFrame(adjusted, index=t.index, columns=t.columns), t, below, share, dropped,
        "; ".join(notes),
    )  # fmt: skip


# ----------------------------------------------------------------- organization types


def org_type_composition(
    organizations: pd.DataFrame, periods: pd.DataFrame | None = None, keep_unplaced: bool = False
) -> pd.DataFrame:
    """Region x organization type: distinct organizations and their share of the region's.

    Counts distinct organization names per region (one organization named in
    several sentences or documents counts once per region), by the province the
    extraction attributed to the mention (``province · period`` when ``periods``
    is given). Long table: region, org_type, label, n, n_region, share; every
    type of the codebook appears for every region.
    """
    orgs = organizations.copy()
    orgs["province"] = _clean_str(orgs["province"])
    orgs["org_type"] = _clean_str(orgs["org_type"]).replace("", "other")
    if not keep_unplaced:
        orgs = orgs[orgs["province"] != ""]
    orgs["province"] = orgs["province"].replace("", UNPLACED)
    if periods is not None:
        orgs = attach_periods(orgs, periods)
    orgs["region"] = _region_key(orgs, periods is not None)
    distinct = orgs.drop_duplicates(["region", "name"])
    counts = distinct.groupby(["region", "org_type"]).size()
    types = list(ORG_TYPE_LABELS) + sorted(set(distinct["org_type"]) - set(ORG_TYPE_LABELS))
    regions = sorted(distinct["region"].unique())
    full = pd.MultiIndex.from_product([regions, types], names=["region", "org_type"])
    out = counts.reindex(full, fill_value=0).rename("n").reset_index()
    out["label"] = out["org_type"].map(ORG_TYPE_LABELS).fillna(out["org_type"])
    out["n_region"] = out.groupby("region")["n"].transform("sum")
    out["share"] = out["n"] / out["n_region"].where(out["n_region"] > 0)
    return out[["region", "org_type", "label", "n", "n_region", "share"]]


# -------------------------------------------------------------------------- vocabulary

_DIGIT_RE = re.compile(r"[0-9０-９]")
_WORD_RE = re.compile(r"[\w\u4e00-\u9fff]")
_NUMERAL_RE = re.compile(r"^[零〇一二三四五六七八九十百千万亿两几余多个第]+$")

DOMAIN_WORDS = (
    "社会组织", "志愿者", "志愿服务", "社工", "社会工作者", "核酸检测", "防疫物资", "疫情防控",
    "行业协会", "基金会", "慈善会", "红十字会", "心理疏导", "复工复产", "供需对接", "联防联控",
    "一次性口罩", "防护服", "消杀", "抗疫", "党组织", "党员",
)  # fmt: skip
"""Words the tokenizer keeps whole (jieba's dictionary splits some of them)."""


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The stopword list (``lexicons/stopwords.txt``, one word a line, ``#`` comments)."""
    text = lexicon("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=1)
def _tokenizer():
    from .segmenters import stock_tokenizer

    tok = stock_tokenizer()  # jieba's stock dictionary, read once per process
    for word in DOMAIN_WORDS:
        tok.add_word(word)
    return tok


def tokenize(text: str) -> list[str]:
    """Words of ``text`` (jieba, precise mode, no HMM for repeatability across jieba builds).

    Drops stopwords, single characters, tokens containing digits, numeral-only
    tokens (三千, 第一) and tokens without any letter or CJK character (punctuation).
    """
    if not text:
        return []
    stop = stopwords()
    words = []
    for raw in _tokenizer().lcut(text, HMM=False):
        w = raw.strip()
        if len(w) < 2 or w in stop or _DIGIT_RE.search(w) or _NUMERAL_RE.match(w):
            continue
        if not _WORD_RE.search(w) or w.replace("_", "") == "":
            continue
        words.append(w)
    return words


def log_odds_dirichlet(
    counts_by_group: pd.DataFrame | Mapping[str, Mapping[str, int]], prior_scale: float = 1.0
) -> pd.DataFrame:
    """Weighted log-odds ratio with informative Dirichlet prior (Monroe, Colaresi & Quinn 2008).

    ``counts_by_group``: term x group counts (DataFrame, terms as index) or
    ``{group: {term: count}}``. Each group is compared with all other groups
    pooled. The prior comes from the whole corpus: alpha_w = prior_scale * y_w
    (y_w the term's corpus count), alpha_0 = sum of alpha_w. For group i and the
    rest j::

        delta_w = log((y_iw + a_w) / (n_i + a_0 - y_iw - a_w))
                - log((y_jw + a_w) / (n_j + a_0 - y_jw - a_w))
        var_w   = 1 / (y_iw + a_w) + 1 / (y_jw + a_w)
        z_w     = delta_w / sqrt(var_w)

    Returns a long table: group, term, count, count_rest, delta, variance, z,
    sorted by group then z descending (ties by term). With a single group there
    is nothing to compare with: z is NaN.
    """
    if isinstance(counts_by_group, pd.DataFrame):
        counts = counts_by_group.fillna(0).astype(float)
    else:
        counts = pd.DataFrame({g: pd.Series(c, dtype=float) for g, c in counts_by_group.items()})
        counts = counts.fillna(0)
    counts = counts.sort_index()
    counts = counts.loc[counts.sum(axis=1) > 0]
    if counts.empty:
        return pd.DataFrame(columns=["group", "term", "count", "count_rest", "delta", "variance", "z"])
    corpus = counts.sum(axis=1)
    alpha = prior_scale * corpus
    alpha0 = alpha.sum()
    rows = []
    for group in counts.columns:
        y_i = counts[group]
        y_j = corpus - y_i
        n_i, n_j = y_i.sum(), y_j.sum()
        if n_j == 0:
            delta = pd.Series(np.nan, index=counts.index)
            var = pd.Series(np.nan, index=counts.index)
        else:
            delta = np.log((y_i + alpha) / (n_i + alpha0 - y_i - alpha)) - np.log(
                (y_j + alpha) / (n_j + alpha0 - y_j - alpha)
            )
            var = 1 / (y_i + alpha) + 1 / (y_j + alpha)
        rows.append(
            pd.DataFrame(
                {
                    "group": group,
                    "term": counts.index,
                    "count": y_i.astype(int).values,
                    "count_rest": y_j.astype(int).values,
                    "delta": delta.values,
                    "variance": var.values,
                    "z": (delta / np.sqrt(var)).values,
                }
            )
        )
    out = pd.concat(rows, ignore_index=True)
    return out.sort_values(["group", "z", "term"], ascending=[True, False, True], kind="stable").reset_index(
        drop=True
    )


def term_counts_by_province(sentences: pd.DataFrame, sections: pd.DataFrame) -> pd.DataFrame:
    """term x province token counts of the in-body sentences placed in a province."""
    regions = sentence_regions(sentences, sections)
    placed = sentences.merge(regions[["doc_id", "sentence_id", "province"]], on=["doc_id", "sentence_id"])
    placed = placed[placed["province"] != ""]
    counters: dict[str, Counter] = {}
    for province, text in zip(placed["province"], placed["text"], strict=True):
        counters.setdefault(province, Counter()).update(tokenize(text))
    frame = pd.DataFrame({p: pd.Series(c, dtype=float) for p, c in sorted(counters.items())})
    return frame.fillna(0).astype(int).sort_index()


TERM_COLUMNS = ["province", "rank", "term", "count", "count_rest", "delta", "z"]
"""Columns of :func:`distinctive_terms` (and of notebook 04's ``distinctive_terms.csv``)."""


def distinctive_terms(
    sentences: pd.DataFrame,
    sections: pd.DataFrame,
    top_n: int = 10,
    prior_scale: float = 1.0,
    min_count: int = 2,
    drop_place_names: bool = True,
) -> pd.DataFrame:
    """The ``top_n`` most distinctive terms of each province against all other provinces.

    Tokens from :func:`tokenize`, counts per province (the province of the
    sentence's section), scored by :func:`log_odds_dirichlet`. Only terms used at
    least ``min_count`` times in the province and with z > 0 are kept (z > 1.96
    is the conventional threshold; the table keeps lower ones so small provinces
    still show their most characteristic words). With ``drop_place_names`` every
    place name the gazetteer knows is left out (:func:`helpers.gazetteer.place_names`:
    陕西省 and 陕西, 沈阳市 and 沈阳, 邻水县): a place is trivially distinctive of
    the province it lies in, whether or not the section names it.
    Columns: province, rank, term, count, count_rest, delta, z.
    """
    counts = term_counts_by_province(sentences, sections)
    if drop_place_names:
        places = place_names()
        counts = counts.loc[[t not in places for t in counts.index]]
    cols = TERM_COLUMNS
    if counts.shape[1] < 2:
        return pd.DataFrame(columns=cols)
    scored = log_odds_dirichlet(counts, prior_scale=prior_scale)
    scored = scored[(scored["count"] >= min_count) & (scored["z"] > 0)]
    top = scored.groupby("group", sort=True).head(top_n).rename(columns={"group": "province"}).copy()
    top["rank"] = top.groupby("province").cumcount() + 1
    return top[cols].reset_index(drop=True)


def read_distinctive_terms(path) -> pd.DataFrame:
    """Read a :func:`distinctive_terms` table written with ``to_csv`` (notebook 04), exactly as it was.

    Terms and provinces stay text (a term such as ``NA`` is not a missing
    value), counts and ranks integers, and ``delta`` and ``z`` are parsed by
    Python's ``float``, which turns the shortest repr that ``to_csv`` writes back
    into the very same double; so the table equals the one computed, value for value.
    """
    text = {"province": str, "term": str, "delta": str, "z": str}
    table = pd.read_csv(path, dtype=text, keep_default_na=False)
    if table.empty:
        return pd.DataFrame(columns=TERM_COLUMNS)
    for col in ("delta", "z"):
        table[col] = np.array([float(x) for x in table[col]], dtype=float)
    return table[TERM_COLUMNS]


def kwic(term: str, sentences: pd.DataFrame, width: int = 20) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``term`` with ``width`` characters either side.

    Columns doc_id, sentence_id, left, term, right; one row per occurrence, in
    document and sentence order.
    """
    rows = []
    if term:
        ordered = sentences.sort_values(["doc_id", "char_start"], kind="stable")
        for doc_id, sentence_id, text in zip(
            ordered["doc_id"], ordered["sentence_id"], ordered["text"], strict=True
        ):
            text = text or ""
            start = text.find(term)
            while start != -1:
                end = start + len(term)
                rows.append((doc_id, sentence_id, text[max(0, start - width) : start], term, text[end : end + width]))
                start = text.find(term, end)
    return pd.DataFrame(rows, columns=["doc_id", "sentence_id", "left", "term", "right"])


def documents_by_region(
    documents: pd.DataFrame, sections: pd.DataFrame, periods: pd.DataFrame
) -> pd.DataFrame:
    """doc_id, province, period of each document's in-body provinces (one row per pair)."""
    body = sections[sections["in_body"].map(is_yes)] if "in_body" in sections else sections
    pairs = body[["doc_id", "province"]].copy()
    pairs["province"] = _clean_str(pairs["province"])
    pairs = pairs[pairs["province"] != ""].drop_duplicates()
    pairs = pairs[pairs["doc_id"].isin(documents["doc_id"])]
    return attach_periods(pairs, periods)


def iter_codes(profile: pd.DataFrame) -> Iterable[str]:
    """Activity codes of a profile, in codebook order."""
    present = set(profile["code"])
    return [c for c in ACTIVITY_LABELS if c in present] + sorted(present - set(ACTIVITY_LABELS))


__all__ = [
    "ACTIVITY_LABELS", "ORG_TYPE_LABELS", "UNDATED", "UNPLACED", "ChiSquareResult", "Measure",
    "activity_profile", "chi_square_residuals", "contingency", "distinctive_terms",
    "documents_by_region", "headline_measures", "kwic", "load_measures", "log_odds_dirichlet",
    "org_type_composition", "pivot_headline", "read_distinctive_terms",
    "region_measures", "sentence_regions", "stopwords", "tokenize",
]  # fmt: skip
