"""Measuring the coding against the gold set: activity codes and named organizations.

Activities (``gold/activities.csv``: doc_id, anchor, codes) name a sentence by an
anchor, 8-20 Han characters unique in the document once non-Han characters are
removed. The anchor is looked up in the Han-only text of the document's sentences
(joined, so an anchor survives a different sentence split); the sentence holding
its first character carries the gold codes. Predicted codes are compared per
sentence and code; codes predicted on in-body sentences the gold leaves uncoded
are false positives.

Organizations (``gold/organizations.csv``: doc_id, name, org_type) are compared
per document by exact simplified name; the type is scored on matched names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..corpus.chars import HAN
from ..paths import GOLD_DIR, resolve
from .scoring import Score

NON_HAN = re.compile(f"[^{HAN}]")


def han_only(text: str) -> str:
    """``text`` without any non-Han character (digits, Latin, punctuation, spaces)."""
    return NON_HAN.sub("", str(text))


# ---------------------------------------------------------------- gold


def load_gold_activities(gold_dir: str | Path = GOLD_DIR) -> pd.DataFrame:
    """Gold activity codes: doc_id, anchor, codes (a list of code ids)."""
    gold = pd.read_csv(resolve(gold_dir) / "activities.csv", dtype=str).fillna("")
    gold["codes"] = gold["codes"].map(lambda s: [c.strip() for c in s.split("|") if c.strip()])
    return gold


def load_gold_organizations(gold_dir: str | Path = GOLD_DIR) -> pd.DataFrame:
    """Gold named organizations: doc_id, name, org_type (one row per name and document)."""
    gold = pd.read_csv(resolve(gold_dir) / "organizations.csv", dtype=str).fillna("")
    return gold.drop_duplicates(["doc_id", "name"]).reset_index(drop=True)


# ---------------------------------------------------------------- activities


@dataclass
class ActivityEvaluation:
    """Micro score over (sentence, code) pairs, each code's score, and what went wrong."""

    score: Score
    per_code: pd.DataFrame
    missed: pd.DataFrame = field(repr=False)
    spurious: pd.DataFrame = field(repr=False)
    unplaced_anchors: pd.DataFrame = field(repr=False)


def locate_anchors(gold: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """The sentence each gold anchor falls in: gold rows plus sentence_id (NA when not found)."""
    located = []
    for doc_id, doc_gold in gold.groupby("doc_id", sort=False):
        doc_sentences = sentences[sentences["doc_id"] == doc_id].sort_values("sentence_id")
        joined, owners = "", []
        for sentence in doc_sentences.itertuples(index=False):
            han = han_only(sentence.text)
            joined += han
            owners.extend([sentence.sentence_id] * len(han))
        for row in doc_gold.itertuples(index=False):
            at = joined.find(han_only(row.anchor))
            located.append({**row._asdict(), "sentence_id": owners[at] if at >= 0 else pd.NA})
    return pd.DataFrame(located, columns=[*gold.columns, "sentence_id"])


def _in_body_sentences(sentences: pd.DataFrame, sections: pd.DataFrame | None) -> pd.DataFrame:
    if "in_body" in sentences.columns:
        return sentences[sentences["in_body"].astype(bool)]
    if sections is None:
        return sentences
    body = sections.loc[sections["in_body"].astype(bool), ["doc_id", "section_id"]]
    return sentences.merge(body, on=["doc_id", "section_id"])


def score_activities(
    pred: pd.DataFrame,
    gold: pd.DataFrame,
    sentences: pd.DataFrame,
    sections: pd.DataFrame | None = None,
) -> ActivityEvaluation:
    """Compare predicted (doc_id, sentence_id, code) rows with the gold anchors' codes.

    Only documents in the gold set are scored. Sentences outside the body (by an
    ``in_body`` column of ``sentences`` or by ``sections``) are not scored, except
    that gold anchors are always scored.
    """
    located = locate_anchors(gold, sentences)
    gold_pairs = {
        (r.doc_id, r.sentence_id, code)
        for r in located.dropna(subset=["sentence_id"]).itertuples(index=False)
        for code in r.codes
    }
    gold_sentences = {(d, s) for d, s, _ in gold_pairs}
    body = {(r.doc_id, r.sentence_id) for r in _in_body_sentences(sentences, sections).itertuples()}
    docs = set(gold["doc_id"])
    pred_pairs = {
        (r.doc_id, r.sentence_id, r.code)
        for r in pred.itertuples(index=False)
        if r.doc_id in docs
        and ((r.doc_id, r.sentence_id) in gold_sentences or (r.doc_id, r.sentence_id) in body)
    }
    codes = sorted({c for *_, c in gold_pairs | pred_pairs})
    per_code = pd.DataFrame(
        [
            {
                "code": code,
                **_score_pairs(
                    {p for p in pred_pairs if p[2] == code}, {g for g in gold_pairs if g[2] == code}
                ).as_row(),
            }
            for code in codes
        ]
    )
    text = sentences.set_index(["doc_id", "sentence_id"])["text"]
    return ActivityEvaluation(
        score=_score_pairs(pred_pairs, gold_pairs),
        per_code=per_code,
        missed=_pairs_frame(gold_pairs - pred_pairs, text),
        spurious=_pairs_frame(pred_pairs - gold_pairs, text),
        unplaced_anchors=located[located["sentence_id"].isna()].reset_index(drop=True),
    )


def _score_pairs(pred: set, gold: set) -> Score:
    return Score(tp=len(pred & gold), fp=len(pred - gold), fn=len(gold - pred))


def _pairs_frame(pairs: set, text: pd.Series) -> pd.DataFrame:
    rows = [
        {"doc_id": d, "sentence_id": s, "code": c, "text": text.get((d, s), "")}
        for d, s, c in pairs
    ]
    frame = pd.DataFrame(rows, columns=["doc_id", "sentence_id", "code", "text"])
    return frame.sort_values(["doc_id", "sentence_id", "code"]).reset_index(drop=True)


# ---------------------------------------------------------------- organizations


@dataclass
class OrganizationEvaluation:
    """Name score per document, type accuracy on matched names, and what went wrong."""

    score: Score
    type_accuracy: float
    missed: pd.DataFrame = field(repr=False)
    spurious: pd.DataFrame = field(repr=False)
    type_errors: pd.DataFrame = field(repr=False)


def score_organizations(pred: pd.DataFrame, gold: pd.DataFrame) -> OrganizationEvaluation:
    """Compare predicted organizations (doc_id, name, org_type) with the gold names.

    Names are compared exactly, per document, after deduplication; only documents
    in the gold set are scored.
    """
    docs = set(gold["doc_id"])
    pred = pred[pred["doc_id"].isin(docs)].drop_duplicates(["doc_id", "name"])
    gold = gold.drop_duplicates(["doc_id", "name"])
    merged = pred[["doc_id", "name", "org_type"]].merge(
        gold[["doc_id", "name", "org_type"]],
        on=["doc_id", "name"],
        how="outer",
        suffixes=("_pred", "_gold"),
        indicator=True,
    )
    matched = merged[merged["_merge"] == "both"]
    type_ok = matched["org_type_pred"] == matched["org_type_gold"]
    columns = ["doc_id", "name", "org_type_pred", "org_type_gold"]
    return OrganizationEvaluation(
        score=Score(
            tp=len(matched),
            fp=int((merged["_merge"] == "left_only").sum()),
            fn=int((merged["_merge"] == "right_only").sum()),
        ),
        type_accuracy=float(type_ok.mean()) if len(matched) else 0.0,
        missed=merged.loc[merged["_merge"] == "right_only", columns].reset_index(drop=True),
        spurious=merged.loc[merged["_merge"] == "left_only", columns].reset_index(drop=True),
        type_errors=matched.loc[~type_ok, columns].reset_index(drop=True),
    )
