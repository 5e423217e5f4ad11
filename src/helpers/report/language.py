"""The language of the figures, their captions and the figure index: Chinese (the default) or English.

One language per artefact: a Chinese figure has Chinese labels and captions, an
English one English labels and captions, with the English names of provinces,
activity codes, organization types, measures and periods from the lexicons
(``provinces_en.csv``: the 34 provincial-level divisions; ``labels_en.csv``: the rest).
The Chinese labels are the lexicons' own (``activity_codes.csv``, ``measures.csv``,
``periods.csv``, :mod:`helpers.compare.labels`).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ..compare.labels import ACTIVITY_LABELS, ORG_TYPE_LABELS, UNPLACED
from ..compare.periods import period_labels
from ..paths import lexicon

LANGUAGES = ("zh", "en")

ZH_STATUS = {"ok": "正常读取", "warning": "读取有警告", "failed": "无法读取", "skipped": "跳过"}
"""Chinese names of the documents' ``status`` values, for captions."""
ZH_PERIOD_BASIS = {"published date": "按发布日期", "month mentions + region": "按正文月份与地区", "undated": "未定日期"}
"""Chinese names of the periods' ``period_basis`` values, for captions."""


@lru_cache(maxsize=1)
def english_labels() -> dict[tuple[str, str], str]:
    """(kind, id) -> English label, from ``labels_en.csv``."""
    df = pd.read_csv(lexicon("labels_en.csv"), dtype=str, keep_default_na=False, comment="#")
    return {(k, i): v for k, i, v in zip(df["kind"], df["id"], df["label_en"], strict=True)}


@lru_cache(maxsize=1)
def english_provinces() -> dict[str, str]:
    """Full Chinese name of a provincial-level division -> its English name (``provinces_en.csv``)."""
    df = pd.read_csv(lexicon("provinces_en.csv"), dtype=str, keep_default_na=False)
    return dict(zip(df["province"], df["label_en"], strict=True))


class Labels:
    """The names a figure shows, in one language (``zh`` or ``en``)."""

    def __init__(self, language: str = "zh"):
        if language not in LANGUAGES:
            raise ValueError(f"labels must be one of {', '.join(LANGUAGES)}, not {language!r}")
        self.language = language

    @property
    def english(self) -> bool:
        return self.language == "en"

    def _en(self, kind: str, key: str, zh: str) -> str:
        if not self.english:
            return zh
        try:
            return english_labels()[(kind, key)]
        except KeyError:
            if key.isascii():  # a code a researcher added without an English label: its id reads as English
                return key.replace("_", " ")
            raise KeyError(f"labels_en.csv has no English label for {kind} {key!r} ({zh})") from None

    def province(self, name: str) -> str:
        """``陕西省`` / ``Shaanxi``; empty or unplaced text: ``未定位`` / ``not placed``."""
        if not name or name == UNPLACED:
            return self._en("region", "unplaced", UNPLACED)
        if not self.english:
            return name
        try:
            return english_provinces()[name]
        except KeyError:
            raise KeyError(f"provinces_en.csv has no English name for {name!r}") from None

    def period(self, period_id: str, label: str = "") -> str:
        return self._en("period", period_id, label or period_labels().get(period_id, period_id))

    def region_period(self, province: str, period_id: str, period_label: str = "") -> str:
        return f"{self.province(province)} · {self.period(period_id, period_label)}"

    def activity(self, code: str) -> str:
        return self._en("activity", code, ACTIVITY_LABELS.get(code, code))

    def org_type(self, org_type: str) -> str:
        return self._en("org_type", org_type, ORG_TYPE_LABELS.get(org_type, org_type))

    def measure(self, measure_id: str, label: str) -> str:
        return self._en("measure", measure_id, label)

    def measure_unit(self, measure_id: str, base_unit: str) -> str:
        """The unit of a measure's values: ``元`` / ``yuan``."""
        return self._en("measure_unit", measure_id, base_unit)

    def status(self, status: str) -> str:
        return self._en("status", status, ZH_STATUS.get(status, status))

    def period_basis(self, basis: str) -> str:
        return self._en("period_basis", basis, ZH_PERIOD_BASIS.get(basis, basis))
