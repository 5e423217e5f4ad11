"""Implausible extracted values: flagged, left out of the comparisons and figures, and listed.

A rule that misreads a page (a 400-digit string of digits read as an amount, a phone
number run into a unit) can give a value no report could mean: 10^19 yuan, infinity.
Each kind of quantity has a documented limit (``lexicons/quantity_limits.csv``, in the
kind's base unit); a value over it, a negative value or one that is not finite gets a
reason in the quantities table's ``implausible`` column (``''`` for a plausible value).
:func:`helpers.compare.measures.region_measures` leaves flagged rows out, so no figure
draws them, and notebook 05 lists them.
"""

from __future__ import annotations

import csv
import math
from functools import lru_cache

from ..paths import lexicon

DEFAULT_KIND = "other"
IMPLAUSIBLE_COLUMN = "implausible"
"""The column :func:`with_plausibility` appends to the quantity rows (last in the table)."""


@lru_cache(maxsize=1)
def quantity_limits() -> dict[str, float]:
    """kind -> the largest plausible value (``quantity_limits.csv``)."""
    with open(lexicon("quantity_limits.csv"), encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {row["kind"].strip(): float(row["max_value"]) for row in rows}


def implausible_reason(kind: str, value: float, value_high: float | None = None) -> str:
    """Why ``value`` (and the top of its range, ``value_high``) cannot be what a report of
    this ``kind`` means; ``''`` when it is plausible."""
    limits = quantity_limits()
    limit = limits.get(kind, limits[DEFAULT_KIND])
    for what, number in (("value", value), ("upper value", value_high)):
        if number is None or (what == "upper value" and math.isnan(number)):  # no range
            continue
        if not math.isfinite(number):
            return f"{what} {number} is not a finite number"
        if number < 0:
            return f"{what} {number:g} is negative"
        if number > limit:
            return f"{what} {number:.3g} is over the limit of {limit:.3g} for {kind} (quantity_limits.csv)"
    return ""


def with_plausibility(rows: list[tuple]) -> list[tuple]:
    """Rows of :func:`~helpers.extract.quantities.quantity_rows` (tuples in the order of
    ``QUANTITY_COLUMNS``) with their ``implausible`` reason appended."""
    from .quantities import QUANTITY_COLUMNS

    kind, value, high = (QUANTITY_COLUMNS.index(c) for c in ("kind", "value", "value_high"))
    return [(*row, implausible_reason(row[kind], row[value], row[high])) for row in rows]
