"""Labels of activity codes and organization types, and the label of unplaced facts.

The codebook ids are fixed; the labels and the colours of organization types come from
the lexicons (``activity_codes.csv``, ``org_type_codes.csv``), so that a researcher who
relabels a code sees the new label in tables and figures. Both keep the order of
CODEBOOK.md. English labels are in ``labels_en.csv`` (:mod:`helpers.report.language`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..corpus.lexicons import read_lexicon_rows

UNPLACED = "未定位"
"""Region label of facts that the text does not place in any province."""

_ACTIVITY_CODES = read_lexicon_rows("activity_codes.csv")
_ORG_TYPES = read_lexicon_rows("org_type_codes.csv")

ACTIVITY_LABELS: dict[str, str] = {row["code"]: row["label"] for row in _ACTIVITY_CODES}
"""Activity code ids and their labels, in the order of ``activity_codes.csv``."""

ORG_TYPE_LABELS: dict[str, str] = {row["org_type"]: row["label"] for row in _ORG_TYPES}
"""Organization type ids and their labels, in the order of ``org_type_codes.csv``."""
ORG_TYPE_COLOURS: dict[str, str] = {row["org_type"]: row["colour"] for row in _ORG_TYPES}
"""The colour each organization type has in every figure."""


def iter_codes(profile: pd.DataFrame) -> Iterable[str]:
    """Activity codes of a profile, in codebook order."""
    present = set(profile["code"])
    return [c for c in ACTIVITY_LABELS if c in present] + sorted(present - set(ACTIVITY_LABELS))
