"""Coding sentences with the study's activity codes (``lexicons/activity_codes.csv``).

Each code has a definition and four term lists, all researcher-editable data:

- ``terms``: words that alone show the activity (捐款, 消杀, 核酸, 排查 ...);
- ``weak_terms``: ambiguous words that count only when one of the
  ``context_terms`` is in the same sentence (平台 with 信息/供需/对接; a
  mobilizing verb 动员/号召/部署 with a party or government actor);
- ``exclude_terms``: phrases removed before matching the code (消毒液 is a good
  donated, not disinfection; 疏导交通 is order keeping, not counselling).

Terms are matched in the sentence with the names of organizations masked, so
"某市消毒清洁行业协会" does not report disinfection, unless
``terms_in_org_names`` is ``yes`` (party mobilization: "...协会党支部" is the
party body acting). Context terms are matched in the whole sentence.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

import pandas as pd

from .organizations import extract_organizations
from .paths import lexicon

ACTIVITY_COLUMNS = ["doc_id", "sentence_id", "code", "matched_terms"]
MASK = "□"


@dataclass(frozen=True)
class ActivityCode:
    """One code of the codebook with its term lists."""

    code: str
    label: str
    definition: str
    terms: tuple[str, ...]
    weak_terms: tuple[str, ...]
    context_terms: tuple[str, ...]
    exclude_terms: tuple[str, ...]
    terms_in_org_names: bool


def _term_list(cell: str | None) -> tuple[str, ...]:
    """Terms of a ``|``-separated cell, longest first so the longest match is reported."""
    terms = {t.strip() for t in (cell or "").split("|") if t.strip()}
    return tuple(sorted(terms, key=lambda t: (-len(t), t)))


@cache
def load_codebook() -> tuple[ActivityCode, ...]:
    """The activity codes of ``activity_codes.csv``, in file order."""
    with lexicon("activity_codes.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        ActivityCode(
            code=row["code"],
            label=row["label"],
            definition=row["definition"],
            terms=_term_list(row["terms"]),
            weak_terms=_term_list(row.get("weak_terms")),
            context_terms=_term_list(row.get("context_terms")),
            exclude_terms=_term_list(row.get("exclude_terms")),
            terms_in_org_names=(row.get("terms_in_org_names") or "").strip().lower() == "yes",
        )
        for row in rows
    )


def mask_organization_names(text: str) -> str:
    """``text`` with every organization name replaced by a mask of the same length."""
    masked = text
    for mention in extract_organizations(text):
        masked = (
            masked[: mention.start] + MASK * (mention.end - mention.start) + masked[mention.end :]
        )
    return masked


def _without(text: str, phrases: tuple[str, ...]) -> str:
    for phrase in phrases:
        text = text.replace(phrase, MASK * len(phrase))
    return text


def _found(text: str, terms: tuple[str, ...]) -> list[str]:
    """Terms occurring in ``text``, each occurrence claimed by the longest term covering it."""
    found = []
    for term in terms:
        if term in text:
            found.append(term)
            text = text.replace(term, MASK * len(term))
    return found


def match_code(code: ActivityCode, text: str, masked: str) -> list[str]:
    """Terms of ``code`` found in a sentence (``masked``: the sentence with names masked)."""
    searched = _without(text if code.terms_in_org_names else masked, code.exclude_terms)
    matched = _found(searched, code.terms)
    weak = _found(searched, code.weak_terms)
    if weak:
        context = _found(_without(text, code.exclude_terms), code.context_terms)
        if context:
            matched += weak + [c for c in context if c not in matched]
    return matched


def code_sentence(text: str) -> list[tuple[str, list[str]]]:
    """Activity codes of one sentence with the terms that triggered each, in codebook order."""
    masked = mask_organization_names(text)
    coded = []
    for code in load_codebook():
        matched = match_code(code, text, masked)
        if matched:
            coded.append((code.code, matched))
    return coded


def activities_table(sentences: pd.DataFrame) -> pd.DataFrame:
    """One row per (sentence, code): doc_id, sentence_id, code, matched_terms (``|`` joined)."""
    rows = [
        {
            "doc_id": s.doc_id,
            "sentence_id": s.sentence_id,
            "code": code,
            "matched_terms": "|".join(terms),
        }
        for s in sentences.itertuples(index=False)
        for code, terms in code_sentence(str(s.text))
    ]
    return pd.DataFrame(rows, columns=ACTIVITY_COLUMNS)
