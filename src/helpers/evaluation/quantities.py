"""Scoring extracted quantities against the hand-made gold set (``gold/quantities.csv``).

A predicted quantity matches a gold row when the document and the kind are the
same and the values agree to one part in a million. Each gold row is matched at
most once, greedily in the gold file's (document) order; among the candidates
for a gold row, one with the same ``value_high`` and ``unit`` is preferred, then
the earliest in the document. Precision, recall and F1 come from
:class:`helpers.scoring.Score`, overall and per kind; region attribution is
scored as the share of matched rows whose province (city) equals the gold one.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..paths import resolve
from .scoring import Score

RELATIVE_TOLERANCE = 1e-6
GOLD_TEXT_COLUMNS = ("doc_id", "province", "city", "surface", "qualifier", "kind", "unit", "object")


@dataclass
class QuantityScores:
    """The result of :func:`score_quantities`."""

    overall: Score
    by_kind: pd.DataFrame  # kind, tp, fp, fn, precision, recall, f1
    province_accuracy: float
    city_accuracy: float
    matches: pd.DataFrame  # one row per matched pair: gold_* and pred_* columns
    false_negatives: pd.DataFrame  # gold rows nobody found
    false_positives: pd.DataFrame  # predictions matching no gold row (with their sentence if known)

    def summary(self) -> pd.DataFrame:
        """Per-kind rows, an ``overall`` row, and the two region accuracies as columns."""
        overall = pd.DataFrame([{"kind": "overall", **self.overall.as_row()}])
        table = pd.concat([self.by_kind, overall], ignore_index=True)
        table["province_accuracy"] = [math.nan] * len(self.by_kind) + [round(self.province_accuracy, 4)]
        table["city_accuracy"] = [math.nan] * len(self.by_kind) + [round(self.city_accuracy, 4)]
        return table


def load_gold_quantities(path: str | Path) -> pd.DataFrame:
    """Read a gold quantities CSV: text columns as strings ('' when empty), values as floats."""
    path = resolve(path)
    gold = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in (*GOLD_TEXT_COLUMNS, "value", "value_high") if c not in gold.columns]
    if missing:
        raise ValueError(f"{path}: gold quantities lack columns {missing}")
    try:
        gold["value"] = gold["value"].astype(float)
        gold["value_high"] = pd.to_numeric(gold["value_high"].replace("", math.nan)).astype(float)
    except ValueError as err:
        raise ValueError(f"{path}: a value is not a number ({err})") from err
    return gold


def values_agree(a: float, b: float) -> bool:
    """Equal to one part in a million (and both missing counts as equal)."""
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    return abs(a - b) <= RELATIVE_TOLERANCE * max(abs(a), abs(b)) or a == b


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def score_quantities(
    pred: pd.DataFrame, gold: pd.DataFrame, sentences: pd.DataFrame | None = None
) -> QuantityScores:
    """Match ``pred`` (a ``quantities`` table) to ``gold`` and score it.

    ``sentences`` (the clean stage's table), when given, adds each false
    positive's sentence text so a reader can see why it was extracted.
    """
    pred = _ordered_predictions(pred)
    gold = gold.reset_index(drop=True)
    pairs = _greedy_pairs(pred, gold)
    matched_pred = {p for _, p in pairs}
    matched_gold = {g for g, _ in pairs}

    gold_rows, pred_rows = [g for g, _ in pairs], [p for _, p in pairs]
    matches = pd.DataFrame({
        **{f"gold_{c}": gold[c].take(gold_rows).tolist()
           for c in ("doc_id", "kind", "value", "province", "city", "surface")},
        **{f"pred_{c}": pred[c].take(pred_rows).tolist() for c in ("province", "city", "surface", "unit", "object")},
    }) if pairs else pd.DataFrame()
    false_negatives = gold.drop(index=list(matched_gold)).reset_index(drop=True)
    false_positives = pred.drop(index=list(matched_pred)).reset_index(drop=True)
    if sentences is not None and "sentence_id" in false_positives:
        text = sentences[["doc_id", "sentence_id", "text"]].rename(columns={"text": "sentence"})
        false_positives = false_positives.merge(text, on=["doc_id", "sentence_id"], how="left")

    kinds = sorted(set(gold["kind"]) | set(pred["kind"]))
    matched_kinds = Counter(gold["kind"].take(gold_rows))
    by_kind = pd.DataFrame([
        {"kind": k, **Score(
            tp=matched_kinds[k],
            fp=int((false_positives["kind"] == k).sum()),
            fn=int((false_negatives["kind"] == k).sum()),
        ).as_row()}
        for k in kinds
    ], columns=["kind", "tp", "fp", "fn", "precision", "recall", "f1"])
    overall = Score(tp=len(pairs), fp=len(false_positives), fn=len(false_negatives))
    return QuantityScores(
        overall=overall,
        by_kind=by_kind,
        province_accuracy=_accuracy(matches, "province"),
        city_accuracy=_accuracy(matches, "city"),
        matches=matches,
        false_negatives=false_negatives,
        false_positives=false_positives,
    )


def _ordered_predictions(pred: pd.DataFrame) -> pd.DataFrame:
    pred = pred.copy()
    for col in ("province", "city", "unit", "surface", "object"):
        if col not in pred:
            pred[col] = ""
        pred[col] = pred[col].fillna("").astype(str)
    if "value_high" not in pred:
        pred["value_high"] = math.nan
    order = [c for c in ("doc_id", "char_start") if c in pred]
    return pred.sort_values(order, kind="stable").reset_index(drop=True)


def _greedy_pairs(pred: pd.DataFrame, gold: pd.DataFrame) -> list[tuple[int, int]]:
    """(gold index, pred index) pairs, each side used at most once.

    Each gold row, in order, takes the first unused prediction of its document and kind
    whose value agrees, preferring one whose upper value and unit agree too.
    """
    pred_value = [float(v) for v in pred["value"]]
    pred_high = [_float(v) for v in pred["value_high"]]
    pred_unit = pred["unit"].tolist()
    by_key: dict[tuple[str, str], list[int]] = {}
    for i, (doc, kind) in enumerate(zip(pred["doc_id"], pred["kind"], strict=True)):
        by_key.setdefault((doc, kind), []).append(i)
    used: set[int] = set()
    pairs = []
    for g, (doc, kind, value, high, unit) in enumerate(zip(
            gold["doc_id"], gold["kind"], gold["value"], gold["value_high"], gold["unit"], strict=True)):
        value, high = float(value), _float(high)
        candidates = [p for p in by_key.get((doc, kind), []) if p not in used and values_agree(pred_value[p], value)]
        if not candidates:
            continue
        best = min(candidates, key=lambda p: (not values_agree(pred_high[p], high), pred_unit[p] != unit, p))
        used.add(best)
        pairs.append((g, best))
    return pairs


def _float(x) -> float:
    return math.nan if _missing(x) or x == "" else float(x)


def _accuracy(matches: pd.DataFrame, column: str) -> float:
    if matches.empty:
        return 0.0
    return float((matches[f"gold_{column}"] == matches[f"pred_{column}"]).mean())
