"""Activity profiles by region: sentences coded with each activity, and a chi-square test.

A sentence coded with an activity counts once for that activity; shares are over
all in-body sentences of the region. The region x code table is tested with
Pearson's chi-square and read through adjusted standardized residuals (KH Coder).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency

from .labels import ACTIVITY_LABELS, UNPLACED
from .measures import clean_str
from .periods import attach_periods

# ------------------------------------------------------------------ activity profiles


def sentence_regions(
    sentences: pd.DataFrame, sections: pd.DataFrame, periods: pd.DataFrame | None = None
) -> pd.DataFrame:
    """doc_id, sentence_id, province, city (and period when given) of every sentence, via its section."""
    sec = sections[["doc_id", "section_id", "province", "city"]].copy()
    sec["province"] = clean_str(sec["province"])
    sec["city"] = clean_str(sec["city"])
    out = sentences[["doc_id", "section_id", "sentence_id"]].merge(
        sec, on=["doc_id", "section_id"], how="left"
    )
    out["province"] = out["province"].fillna("")
    out["city"] = out["city"].fillna("")
    if periods is not None:
        out = attach_periods(out, periods)
    return out


def region_key(df: pd.DataFrame, by_period: bool) -> pd.Series:
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
    regions["region"] = region_key(regions, periods is not None)
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
