"""The three extractions of a corpus scored at once: what notebook 03 shows and the gold tests hold."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..paths import resolve
from .quantities import QuantityScores, load_gold_quantities, score_quantities


@dataclass
class ExtractionEvaluation:
    """Quantities, activity codes and organizations of a corpus scored against its gold set."""

    quantities: QuantityScores
    activities: object  # coding_evaluation.ActivityEvaluation
    organizations: object  # coding_evaluation.OrganizationEvaluation
    documents: tuple[str, ...] = ()
    """The documents scored: those of the corpus that the gold set annotates."""

    @property
    def summary(self) -> pd.DataFrame:
        """One row per measure: precision, recall, F1 and the accuracies, as the notebook reports them."""
        q, a, o = self.quantities, self.activities, self.organizations
        return pd.DataFrame([
            {"measure": "quantities", **q.overall.as_row(),
             "province_accuracy": round(q.province_accuracy, 4), "city_accuracy": round(q.city_accuracy, 4),
             "type_accuracy": math.nan},
            {"measure": "activity codes (micro)", **a.score.as_row(),
             "province_accuracy": math.nan, "city_accuracy": math.nan, "type_accuracy": math.nan},
            {"measure": "organization names", **o.score.as_row(),
             "province_accuracy": math.nan, "city_accuracy": math.nan,
             "type_accuracy": round(o.type_accuracy, 4)},
        ])


def evaluate_extraction(tables: dict[str, pd.DataFrame], gold_dir: str | Path) -> ExtractionEvaluation | None:
    """Score the ``quantities``, ``activities`` and ``organizations`` tables against ``gold_dir``.

    ``tables`` also needs the clean stage's ``sentences`` and ``sections``. Only the
    documents the gold set annotates are scored; returns None when ``gold_dir`` holds
    no annotations for any document of the corpus.
    """
    from .coding import (
        load_gold_activities,
        load_gold_organizations,
        score_activities,
        score_organizations,
    )

    gold_dir = resolve(gold_dir)
    docs = annotated_documents(gold_dir, tables["sentences"]["doc_id"])
    if not docs:
        return None
    gold = load_gold_quantities(gold_dir / "quantities.csv")

    def annotated(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["doc_id"].isin(docs)].reset_index(drop=True)

    sentences, sections = annotated(tables["sentences"]), annotated(tables["sections"])
    gold_activities = load_gold_activities(gold_dir)
    gold_organizations = load_gold_organizations(gold_dir)
    return ExtractionEvaluation(
        quantities=score_quantities(annotated(tables["quantities"]), annotated(gold), sentences),
        activities=score_activities(annotated(tables["activities"]), annotated(gold_activities),
                                    sentences, sections),
        organizations=score_organizations(annotated(tables["organizations"]), annotated(gold_organizations)),
        documents=tuple(sorted(docs)),
    )


def annotated_documents(gold_dir: str | Path, doc_ids) -> set[str]:
    """The documents among ``doc_ids`` that ``gold_dir/quantities.csv`` annotates (empty without it)."""
    path = resolve(gold_dir) / "quantities.csv"
    if not path.is_file():
        return set()
    return set(load_gold_quantities(path)["doc_id"]) & set(doc_ids)


def gold_coverage(gold_dir: str | Path, doc_ids, evaluation: ExtractionEvaluation | None) -> str:
    """One sentence for notebook 03: which documents were scored, or why none were."""
    gold_dir = resolve(gold_dir)
    if evaluation is not None:
        return (f"scored against {gold_dir}: {len(evaluation.documents)} of {len(set(doc_ids))} "
                f"documents ({', '.join(evaluation.documents)})")
    if not (gold_dir / "quantities.csv").is_file():
        return f"no gold annotations in {gold_dir} (no quantities.csv): evaluation skipped"
    return f"no gold annotations for this corpus's documents in {gold_dir}: evaluation skipped"
