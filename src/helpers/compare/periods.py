"""Outbreak periods: which wave of the epidemic each document reports on.

The unit of comparison is region x period: Shaanxi in the 2020 Wuhan wave and
Shaanxi in the 2021-22 Xi'an outbreak are different rows. Periods are data
(``lexicons/periods.csv``: period_id, label, start, end, provinces) so a
researcher can add a wave without touching this code.

How a document gets its period (the ``period_basis`` column says which rule decided):

1. ``published date``: the document's publication date falls inside the period's
   date range. When ranges overlap (a date in two periods), the periods whose
   ``provinces`` list names a province of the document's in-body sections win;
   if that still leaves several or none, the document is ``ambiguous``.
2. ``month mentions + region``: an undated document is placed by the dates in its
   own text (``3月11日``, ``3 月 11 日``, ``2022年3月``): a period qualifies when
   every mentioned month falls inside its range (and the year, when written) and
   its provinces list (if any) names one of the document's provinces; when
   several qualify, those whose provinces list names the document's region win.
   Exactly one survivor is required.
3. ``undated``: neither rule gives exactly one period; the period is ``undated``.

A dated document outside every period gets the period ``outside_periods``: dates
decide, and the text is never used to override a publication date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from ..corpus.lexicons import read_lexicon_rows
from ..paths import lexicon
from ..run.tables import is_yes

UNDATED = "undated"
OUTSIDE = "outside_periods"
AMBIGUOUS = "ambiguous"
BASIS_DATE = "published date"
BASIS_MONTHS = "month mentions + region"
BASIS_UNDATED = "undated"

PERIOD_COLUMNS = ["doc_id", "period_id", "period_label", "period_basis", "period_note"]

_CN_MONTHS = {
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
    "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12,
}  # fmt: skip

# A month with a day (3月11日, 3 月 11 日) or written as 3月份 / 2022年3月: a bare
# "3月" is too often part of "3个月"-like spans, which the negative look-behind excludes.
_MONTH_RE = re.compile(
    r"(?:(?P<year>(?:19|20)\d{2})\s*年\s*)?"
    r"(?<![\d个])(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月"
    r"(?:\s*(?P<day>[0-3]?\d)\s*[日号]|份)?"
)


@dataclass(frozen=True)
class Period:
    period_id: str
    label: str
    start: date
    end: date
    provinces: tuple[str, ...]

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def covers_month(self, month: int, year: int | None = None) -> bool:
        """True when some day of ``month`` (of ``year``, or of any year) lies in the period."""
        years = [year] if year else range(self.start.year, self.end.year + 1)
        for y in years:
            first = date(y, month, 1)
            last = date(y + month // 12, month % 12 + 1, 1)  # first day of next month
            if first <= self.end and last > self.start:
                return True
        return False


def load_periods(path: str | None = None) -> list[Period]:
    """Read the period definitions (default ``lexicons/periods.csv``)."""
    source = Path(path) if path else lexicon("periods.csv")
    rows = read_lexicon_rows(source)
    missing = {"period_id", "label", "start", "end"} - set(rows[0] if rows else ())
    if missing:
        raise ValueError(f"{source}: missing columns {sorted(missing)}")
    periods = []
    for row in rows:
        try:
            start, end = date.fromisoformat(row["start"]), date.fromisoformat(row["end"])
        except ValueError as exc:
            raise ValueError(f"{source}: period {row['period_id']!r} has a bad date: {exc}") from exc
        provinces = tuple(p.strip() for p in (row.get("provinces") or "").split("|") if p.strip())
        periods.append(Period(row["period_id"], row["label"], start, end, provinces))
    return periods


def period_labels(periods: list[Period] | None = None) -> dict[str, str]:
    """period_id -> label, including the labels of the fallback periods."""
    labels = {p.period_id: p.label for p in (periods or load_periods())}
    labels.update({UNDATED: "未定日期", OUTSIDE: "不在研究时段", AMBIGUOUS: "时段不明"})
    return labels


def month_mentions(text: str) -> list[tuple[int | None, int]]:
    """(year or None, month) for each dated month mention in ``text``."""
    found = []
    for m in _MONTH_RE.finditer(text):
        if m.group("day") is None and m.group("year") is None and not m.group(0).endswith("份"):
            continue
        raw = m.group("month")
        month = int(raw) if raw.isdigit() else _CN_MONTHS[raw]
        if m.group("day") is not None and not 1 <= int(m.group("day")) <= 31:
            continue
        found.append((int(m.group("year")) if m.group("year") else None, month))
    return found


def _parse_date(value) -> date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def document_provinces(sections: pd.DataFrame | None) -> dict[str, set[str]]:
    """doc_id -> provinces named by the document's in-body sections."""
    if sections is None or sections.empty:
        return {}
    body = sections[sections["in_body"].map(is_yes)] if "in_body" in sections else sections
    out: dict[str, set[str]] = {}
    for doc_id, province in zip(body["doc_id"], body["province"].fillna(""), strict=True):
        if province:
            out.setdefault(doc_id, set()).add(province)
    return out


def _tie_break(candidates: list[Period], provinces: set[str]) -> list[Period]:
    if len(candidates) <= 1:
        return candidates
    named = [p for p in candidates if set(p.provinces) & provinces]
    return named


def assign_periods(
    documents: pd.DataFrame,
    sections: pd.DataFrame | None = None,
    sentences: pd.DataFrame | None = None,
    periods: list[Period] | None = None,
) -> pd.DataFrame:
    """One row per document: doc_id, period_id, period_label, period_basis, period_note.

    Dates decide: a published date places the document (province lists break
    ties between overlapping periods). An undated document is placed from the
    month mentions in its sentences combined with its sections' provinces, only
    when exactly one period matches; otherwise it is ``undated``. See the module
    docstring for the full rule; ``period_note`` says what was seen.
    """
    periods = periods if periods is not None else load_periods()
    labels = period_labels(periods)
    doc_provinces = document_provinces(sections)
    texts: dict[str, str] = {}
    if sentences is not None and not sentences.empty:
        ordered = sentences.sort_values(["doc_id", "char_start"], kind="stable")
        texts = ordered.groupby("doc_id", sort=False)["text"].agg(lambda s: "\n".join(s)).to_dict()

    rows = []
    for doc_id, published in zip(documents["doc_id"], documents["published"], strict=True):
        provinces = doc_provinces.get(doc_id, set())
        region = "|".join(sorted(provinces)) or "no province"
        day = _parse_date(published)
        if day is not None:
            hits = [p for p in periods if p.contains(day)]
            chosen = _tie_break(hits, provinces)
            if len(chosen) == 1:
                note = f"published {day.isoformat()}"
                if len(hits) > 1:
                    note += f" falls in {len(hits)} periods; region {region} chose it"
                rows.append((doc_id, chosen[0].period_id, BASIS_DATE, note))
            elif not hits:
                note = f"published {day.isoformat()} is outside every period"
                rows.append((doc_id, OUTSIDE, BASIS_DATE, note))
            else:
                ids = ",".join(p.period_id for p in hits)
                note = f"published {day.isoformat()} falls in {ids}; region {region} does not decide"
                rows.append((doc_id, AMBIGUOUS, BASIS_DATE, note))
            continue
        mentions = month_mentions(texts.get(doc_id, ""))
        if not mentions:
            rows.append((doc_id, UNDATED, BASIS_UNDATED, "no publication date and no dated month in the text"))
            continue
        months = sorted(set(mentions), key=lambda ym: (ym[0] or 0, ym[1]))
        shown = ",".join(f"{y}-{m:02d}" if y else f"{m}月" for y, m in months)
        hits = [
            p
            for p in periods
            if all(p.covers_month(m, y) for y, m in months)
            and (not p.provinces or set(p.provinces) & provinces)
        ]
        chosen = _tie_break(hits, provinces)
        if len(chosen) == 1:
            note = f"no publication date; text mentions {shown}; region {region}"
            rows.append((doc_id, chosen[0].period_id, BASIS_MONTHS, note))
        else:
            ids = ",".join(p.period_id for p in hits) or "none"
            note = f"no publication date; text mentions {shown}; region {region}; matching periods: {ids}"
            rows.append((doc_id, UNDATED, BASIS_UNDATED, note))

    out = pd.DataFrame(rows, columns=["doc_id", "period_id", "period_basis", "period_note"])
    out.insert(2, "period_label", out["period_id"].map(labels))
    return out[PERIOD_COLUMNS]


def attach_periods(table: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """``table`` with period_id and period_label joined on doc_id (unknown docs: ``undated``)."""
    keep = periods[["doc_id", "period_id", "period_label"]]
    out = table.drop(columns=[c for c in ("period_id", "period_label") if c in table.columns])
    out = out.merge(keep, on="doc_id", how="left")
    labels = period_labels()
    out["period_id"] = out["period_id"].fillna(UNDATED)
    out["period_label"] = out["period_label"].fillna(out["period_id"].map(labels))
    return out
