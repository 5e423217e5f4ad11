"""The gold sets hold the extraction to its floors: the seeds and the development corpus.

The same function scores the extraction in notebook 03, so what a reader sees
there is what these tests hold. The seeds are the documents the rules were
written on; the development corpus (``dev/``) is 36 real reports from every part
of China that they were not, so its floors are the ones that say how the
extraction holds on reports in general.
"""

from __future__ import annotations

import pytest

from conftest import build_corpus
from helpers.evaluation.extraction import evaluate_extraction
from helpers.paths import DEV_DIR, DEV_DOCS_DIR, GOLD_DIR

#: corpus -> (gold folder, floors). Raise a floor when the extraction gets better; never lower one.
FLOORS = {
    "seeds": (GOLD_DIR, {
        "quantities_f1": 0.99, "quantities_province": 0.99, "quantities_city": 0.95,
        "activities_f1": 0.87, "activities_precision": 0.84,
        "organizations_f1": 0.98, "organizations_type": 0.98,
    }),
    "dev": (DEV_DIR, {
        "quantities_f1": 0.99, "quantities_province": 0.97, "quantities_city": 0.91,
        "activities_f1": 0.85, "activities_precision": 0.85,
        "organizations_f1": 0.96, "organizations_type": 0.99,
    }),
}


@pytest.fixture(scope="module")
def dev_tables(tmp_path_factory):
    """Every table of the development corpus, built once through the real stages."""
    return build_corpus(DEV_DOCS_DIR, tmp_path_factory.mktemp("dev-build"))


@pytest.fixture(params=sorted(FLOORS))
def scored(request, seed_tables):
    tables = seed_tables if request.param == "seeds" else request.getfixturevalue("dev_tables")
    gold_dir, floors = FLOORS[request.param]
    evaluation = evaluate_extraction(tables, gold_dir)
    assert evaluation is not None, f"no gold annotations of the {request.param} corpus in {gold_dir}"
    return evaluation, floors


def test_quantities_f1_and_region_accuracy(scored):
    evaluation, floors = scored
    q = evaluation.quantities
    report = q.summary().to_string()
    assert q.overall.f1 >= floors["quantities_f1"], report
    assert q.province_accuracy >= floors["quantities_province"], report
    assert q.city_accuracy >= floors["quantities_city"], report


def test_activity_codes_micro_f1(scored):
    evaluation, floors = scored
    a = evaluation.activities
    assert a.unplaced_anchors.empty, a.unplaced_anchors
    assert a.score.f1 >= floors["activities_f1"], a.per_code.to_string()
    assert a.score.precision >= floors["activities_precision"], a.spurious.to_string()


def test_organization_names_and_types(scored):
    evaluation, floors = scored
    o = evaluation.organizations
    assert o.score.f1 >= floors["organizations_f1"], (o.missed.to_string(), o.spurious.to_string())
    assert o.type_accuracy >= floors["organizations_type"], o.type_errors.to_string()


def test_no_gold_means_no_evaluation(seed_tables, tmp_path):
    assert evaluate_extraction(seed_tables, tmp_path) is None
