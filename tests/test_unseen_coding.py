"""Organizations and activity codes on hand-annotated sentences from regions not in the seeds.

``tests/fixtures/unseen_coding/`` holds sentences written in the style of reports from
other provinces (浙江, 江苏, 湖北, 吉林, 河南, 福建, 北京, 天津, 广西, 云南, 新疆),
annotated by the codebook: ``sentences.csv`` (id, province, text, codes; an empty
``codes`` cell is a sentence that reports no activity) and ``organizations.csv``
(id, name, org_type; the named organizations of each sentence). They guard against
rules that only fit the seeds: the floors below are what the rules reach on them.

The ``holdout_`` files were written after the first set and never used to tune the
rules; their floors are lower, since they measure what the rules do on text they
were not fitted to.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from helpers.evaluation.scoring import Score
from helpers.extract.activities import code_sentence
from helpers.extract.organizations import extract_organizations

FIXTURES = Path(__file__).parent / "fixtures" / "unseen_coding"

# fixture set prefix -> (org name F1, org type accuracy, activity micro F1) floors
FLOORS = {"": (0.95, 0.95, 0.93), "holdout_": (0.85, 0.95, 0.85)}


def load_sentences(prefix: str = "") -> pd.DataFrame:
    sentences = pd.read_csv(FIXTURES / f"{prefix}sentences.csv", dtype=str).fillna("")
    sentences["codes"] = sentences["codes"].map(lambda s: {c for c in s.split("|") if c})
    return sentences


def load_organizations(prefix: str = "") -> pd.DataFrame:
    return pd.read_csv(FIXTURES / f"{prefix}organizations.csv", dtype=str).fillna("")


@cache
def evaluate_organizations(prefix: str = ""):
    """Name score (every fixture sentence its own document) and type accuracy on matched names.

    Returns the score, the type accuracy, and the missed, spurious and mistyped names.
    """
    gold = {(r.id, r.name): r.org_type for r in load_organizations(prefix).itertuples(index=False)}
    pred = {
        (s.id, m.name): m.org_type
        for s in load_sentences(prefix).itertuples(index=False)
        for m in extract_organizations(s.text)
    }
    matched = gold.keys() & pred.keys()
    score = Score(tp=len(matched), fp=len(pred.keys() - gold.keys()), fn=len(gold.keys() - matched))
    mistyped = sorted((*k, pred[k], gold[k]) for k in matched if pred[k] != gold[k])
    type_accuracy = 1 - len(mistyped) / len(matched) if matched else 0.0
    missed = sorted(gold.keys() - matched)
    spurious = sorted(pred.keys() - gold.keys())
    return score, type_accuracy, missed, spurious, mistyped


@cache
def evaluate_activities(prefix: str = ""):
    """Micro score over (sentence, code) pairs, with the missed and spurious pairs."""
    sentences = load_sentences(prefix)
    gold, pred, text = set(), set(), {}
    for s in sentences.itertuples(index=False):
        text[s.id] = s.text
        gold |= {(s.id, c) for c in s.codes}
        pred |= {(s.id, c) for c, _ in code_sentence(s.text)}
    score = Score(tp=len(gold & pred), fp=len(pred - gold), fn=len(gold - pred))
    missed = sorted((i, c, text[i]) for i, c in gold - pred)
    spurious = sorted((i, c, text[i]) for i, c in pred - gold)
    return score, missed, spurious


@pytest.mark.parametrize("prefix", FLOORS)
def test_fixtures_use_codebook_ids(prefix):
    from helpers.extract.activities import load_codebook
    from helpers.extract.organizations import org_patterns

    codes = {c.code for c in load_codebook()}
    types = {p.org_type for p in org_patterns()}
    assert set().union(*load_sentences(prefix)["codes"]) <= codes
    assert set(load_organizations(prefix)["org_type"]) <= types
    assert set(load_organizations(prefix)["id"]) <= set(load_sentences(prefix)["id"])


@pytest.mark.parametrize("prefix", FLOORS)
def test_organization_names_on_unseen_regions(prefix):
    score, _, missed, spurious, _ = evaluate_organizations(prefix)
    assert score.f1 >= FLOORS[prefix][0], (missed, spurious)


@pytest.mark.parametrize("prefix", FLOORS)
def test_organization_types_on_unseen_regions(prefix):
    _, type_accuracy, _, _, mistyped = evaluate_organizations(prefix)
    assert type_accuracy >= FLOORS[prefix][1], mistyped


@pytest.mark.parametrize("prefix", FLOORS)
def test_activity_codes_on_unseen_regions(prefix):
    score, missed, spurious = evaluate_activities(prefix)
    assert score.f1 >= FLOORS[prefix][2], (missed, spurious)
