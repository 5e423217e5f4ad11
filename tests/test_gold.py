"""The seeds' gold set holds the extraction to the issue's thresholds.

The same function scores the extraction in notebook 03, so what a reader sees
there is what these tests hold.
"""

from __future__ import annotations

from helpers.evaluation import evaluate_extraction
from helpers.paths import GOLD_DIR


def _evaluation(seed_tables):
    evaluation = evaluate_extraction(seed_tables, GOLD_DIR)
    assert evaluation is not None, f"no gold annotations of the seeds in {GOLD_DIR}"
    return evaluation


def test_quantities_f1_and_province_accuracy(seed_tables):
    q = _evaluation(seed_tables).quantities
    report = q.summary().to_string()
    assert q.overall.f1 >= 0.95, report
    assert q.province_accuracy >= 0.95, report


def test_activity_codes_micro_f1(seed_tables):
    a = _evaluation(seed_tables).activities
    assert a.unplaced_anchors.empty, a.unplaced_anchors
    assert a.score.f1 >= 0.85, a.per_code.to_string()


def test_organization_names_and_types(seed_tables):
    o = _evaluation(seed_tables).organizations
    assert o.score.f1 >= 0.90, (o.missed.to_string(), o.spurious.to_string())
    assert o.type_accuracy >= 0.90, o.type_errors.to_string()


def test_no_gold_means_no_evaluation(seed_tables, tmp_path):
    assert evaluate_extraction(seed_tables, tmp_path) is None
