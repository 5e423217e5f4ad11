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
party body acting); ``name_terms`` are the few terms that count inside a name
where the organization is the actor (it opens a clause, or is formed or sent out
there: 组建, 派出) (a team named as such
acting: "某某志愿服务队30名队员..." deploys volunteers; a donation *to* a
医疗队 is no medical service). Titles in
《》 are masked as well unless ``terms_in_titles`` is ``yes``: the words of a policy
title do not report the act ("印发《...社会捐赠款物管理工作的通知》"), while a
handbook or guide published is itself training or publicity. Context terms are
matched in the whole sentence.

A term counts only where it begins or ends at a word edge: 分发 in 充分发挥 is not
a distribution. Words are jieba tokens of the sentence, so a term that starts or
ends a word (捐款 in 捐款捐物, 志愿者 in 青年志愿者) counts; a term of one character
must be a word of its own (捐 in 募捐 gives nothing). Nor does a term count that
runs on into the name of a team or task force (流调 in 流调溯源专班).

The context conditions that terms alone cannot carry (what is given, who acts,
what follows or comes before a term) and the sentences and phrases that report no
activity are data as well: :mod:`helpers.extract.activity_rules` reads and applies them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from itertools import accumulate
from operator import itemgetter
from types import MappingProxyType

import jieba
import pandas as pd

from ..corpus.lexicons import read_lexicon_rows
from ..run.tables import column_lists, columns
from . import EXTRACTION_CACHE_SIZE
from .activity_rules import (
    CodingRule,
    compile_patterns,
    gifts_of,
    holds,
    inside_a_name,
    load_rules,
    mask_excluded_phrases,
    mask_spans,
    reports_nothing,
    term_list,
)
from .organizations import OrgMention, extract_organizations, name_segmenter, tokenize

ACTIVITY_COLUMNS = columns("activities")
MASK = "□"
BOOK_TITLE = re.compile(r"《[^《》]{1,80}》")
# where a name is the actor: at the start of a clause, or formed or sent out right there
ACTOR_POSITION = re.compile(r"(?:^|[，,；;。：:！!？?、）)”」\s]|组建|成立|组成|派出|出动)$")


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
    name_terms: tuple[str, ...] = ()
    terms_in_titles: bool = False
    rules: tuple[CodingRule, ...] = ()  # terms that count under a condition (activity_rules.csv)

    @cached_property
    def triggers(self) -> frozenset[str]:
        """The terms that can make the code: without one of them in a sentence, it is not coded."""
        return frozenset((*self.terms, *self.weak_terms, *self.name_terms, *self.rules_of))

    @cached_property
    def rules_of(self) -> dict[str, tuple[CodingRule, ...]]:
        """Each term of the code's rules -> the rules that list it: it counts where all of them hold."""
        by_term: dict[str, list[CodingRule]] = {}
        for rule in self.rules:
            for term in rule.terms:
                by_term.setdefault(term, []).append(rule)
        return {term: tuple(rules) for term, rules in by_term.items()}

    @cached_property
    def searched_terms(self) -> tuple[str, ...]:
        """The terms and the terms of the code's rules, longest first (a term may be in both:
        its rules then restrict it)."""
        return term_list("|".join((*self.terms, *self.rules_of)))

    @cached_property
    def excluded_phrases(self) -> tuple[str, ...]:
        """The excluded terms that are plain phrases (looked up by the term automaton)."""
        return tuple(t for t in self.exclude_terms if "*" not in t)

    @cached_property
    def excluded_patterns(self) -> re.Pattern | None:
        """The excluded terms with a ``*`` gap, as one regex (None when there are none)."""
        return compile_patterns(t for t in self.exclude_terms if "*" in t)


@cache
def load_codebook() -> tuple[ActivityCode, ...]:
    """The activity codes of ``activity_codes.csv``, in file order."""
    rows = read_lexicon_rows("activity_codes.csv")
    rules = load_rules()
    return tuple(
        ActivityCode(
            code=row["code"],
            label=row["label"],
            definition=row["definition"],
            terms=term_list(row["terms"]),
            weak_terms=term_list(row.get("weak_terms")),
            context_terms=term_list(row.get("context_terms")),
            exclude_terms=term_list(row.get("exclude_terms")),
            terms_in_org_names=_yes(row.get("terms_in_org_names")),
            name_terms=term_list(row.get("name_terms")),
            terms_in_titles=_yes(row.get("terms_in_titles")),
            rules=rules.get(row["code"], ()),
        )
        for row in rows
    )


@cache
def term_automaton():
    """An Aho-Corasick automaton of every term of the codebook, to see at once which occur."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for code in load_codebook():
        for term in (*code.terms, *code.weak_terms, *code.context_terms, *code.excluded_phrases,
                     *code.name_terms, *code.rules_of):
            automaton.add_word(term, term)
    automaton.make_automaton()
    return automaton


def terms_in(text: str) -> frozenset[str]:
    """The codebook's terms that occur in ``text`` (masking a text only ever removes some)."""
    automaton = term_automaton()
    return frozenset(map(itemgetter(1), automaton.iter(text))) if len(automaton) else frozenset()


def _yes(cell: str | None) -> bool:
    return (cell or "").strip().lower() == "yes"


def mask_organization_names(text: str, mentions: list[OrgMention] | None = None) -> str:
    """``text`` with every organization name replaced by a mask of the same length.

    ``mentions`` are the names already found in ``text`` (found again when not given).
    """
    masked = text
    for mention in extract_organizations(text) if mentions is None else mentions:
        masked = (
            masked[: mention.start] + MASK * (mention.end - mention.start) + masked[mention.end :]
        )
    return masked


def mask_titles(text: str) -> str:
    """``text`` with the inside of every 《title》 masked."""
    return BOOK_TITLE.sub(
        lambda m: m.group()[0] + MASK * (len(m.group()) - 2) + m.group()[-1], text
    )


#: The runs jieba segments on their own: between them it cuts at every character.
SEGMENTED_RUN = jieba.re_han_default
#: Letters and digits jieba glues together when it leaves them as single characters.
GLUED_CHARACTER = jieba.re_eng


class WordEdges:
    """The offsets where a jieba word of ``text`` begins or ends, found only where asked.

    jieba segments each run of Han characters (and ASCII letters and digits) on its
    own and cuts everywhere else, so whether an offset is a word edge depends only on
    the run around it. Inside a run, an offset that no dictionary word crosses is an
    edge of every segmentation (unless letters or digits stand on both sides: jieba
    glues those); only at an offset some word crosses is the run segmented, once.
    Most sentences never need it.
    """

    def __init__(self, text: str):
        self.text = text
        self._runs = [(m.start(), m.end()) for m in SEGMENTED_RUN.finditer(text)]
        self._starts = [start for start, _ in self._runs]
        self._inner: dict[int, frozenset[int]] = {}

    def __contains__(self, offset: int) -> bool:
        index = bisect_left(self._starts, offset) - 1  # the last run starting before ``offset``
        if index >= 0 and offset < self._runs[index][1]:
            start, end = self._runs[index]
            if start not in self._inner:
                if not self._may_be_inside_a_word(offset, start, end):
                    return True
                self._inner[start] = _inner_edges(self.text[start:end], start)
            return offset in self._inner[start]
        if not 0 <= offset <= len(self.text):
            return False
        return self.text[offset - 1:offset + 1] != "\r\n"  # jieba keeps \r\n as one token

    def _may_be_inside_a_word(self, offset: int, start: int, end: int) -> bool:
        """Whether a word of the run ``text[start:end]`` could cross ``offset``.

        The words are those jieba's DAG holds (its ``get_DAG``): every dictionary
        word, with a frequency, that the run spells.
        """
        text = self.text
        if GLUED_CHARACTER.match(text, offset - 1) and GLUED_CHARACTER.match(text, offset):
            return True
        freq = segmenter_frequencies()
        for first in range(max(start, offset - longest_word() + 1), offset):
            # the dictionary holds every prefix of its words: only one spelled up to
            # ``offset`` can go on across it
            if text[first:offset + 1] not in freq:
                continue
            last = offset + 1
            while last <= end and (fragment := text[first:last]) in freq:
                if freq[fragment]:
                    return True
                last += 1
        return False


@cache
def segmenter_frequencies() -> Mapping[str, int]:
    """The dictionary of the segmenter of :func:`~helpers.extract.organizations.tokenize` (word -> frequency)."""
    segmenter = name_segmenter()
    segmenter.check_initialized()
    return MappingProxyType(segmenter.FREQ)


@cache
def longest_word() -> int:
    """The length of the longest word of :func:`segmenter_frequencies`."""
    return max(len(word) for word, freq in segmenter_frequencies().items() if freq)


def _inner_edges(run: str, start: int) -> frozenset[int]:
    """The offsets where the jieba words of ``run`` (found at ``start`` of the text) end."""
    return frozenset(accumulate(map(len, tokenize(run)), initial=start))


@dataclass(frozen=True)
class CodingText:
    """A sentence prepared for coding: the text, its masked variants and its word edges."""

    text: str
    without_names: str
    without_titles: str
    without_names_or_titles: str
    names_only: str  # the names in an actor's position, joined by a mask
    word_edges: WordEdges
    present: frozenset[str]  # the codebook's terms that occur in the text
    mentions: tuple[OrgMention, ...] = ()

    @classmethod
    def of(cls, text: str, present: frozenset[str] | None = None) -> CodingText:
        """``text`` prepared; ``present`` is :func:`terms_in` of it, if known already."""
        mentions = extract_organizations(text)
        names_only = MASK.join(
            text[m.start : m.end] for m in mentions if ACTOR_POSITION.search(text[: m.start])
        )
        word_edges = WordEdges(text)
        present = terms_in(text) if present is None else present
        text = mask_excluded_phrases(text, MASK)  # what is no activity is no text to code
        without_names = mask_organization_names(text, mentions)
        return cls(
            text=text,
            without_names=without_names,
            without_titles=mask_titles(text),
            without_names_or_titles=mask_titles(without_names),
            names_only=names_only,
            word_edges=word_edges,
            present=present,
            mentions=tuple(mentions),
        )

    def searched_by(self, code: ActivityCode) -> str:
        """The text a code's terms are looked for in."""
        if code.terms_in_org_names:
            return self.text if code.terms_in_titles else self.without_titles
        return self.without_names if code.terms_in_titles else self.without_names_or_titles


def _without(text: str, phrases: tuple[str, ...]) -> str:
    for phrase in phrases:
        text = text.replace(phrase, MASK * len(phrase))
    return text


def _straddles_words(start: int, end: int, edges: WordEdges | None) -> bool:
    """Whether ``text[start:end]`` neither begins nor ends at a word edge (分发 in 充分发挥).

    A term of one character must be a word of its own: 捐 is no gift in 募捐, 送 none in 运送.
    """
    if edges is None:
        return False
    if end - start == 1:
        return start not in edges or end not in edges
    return start not in edges and end not in edges


def _found(text: str, terms: tuple[str, ...], edges: WordEdges | None = None,
           counts=None) -> list[str]:
    """Terms occurring in ``text``, each occurrence claimed by the longest term covering it.

    With ``edges`` (the word edges of the text), an occurrence that neither begins
    nor ends at a word edge does not count; nor one where ``counts(term, start, end)``
    says no.
    """
    found = []
    for term in terms:
        at, hit = text.find(term), False
        while at >= 0:
            end = at + len(term)
            if _straddles_words(at, end, edges) or (counts is not None and not counts(term, at, end)):
                at = text.find(term, at + 1)
                continue
            hit = True
            text = text[:at] + MASK * len(term) + text[end:]
            at = text.find(term, end)
        if hit:
            found.append(term)
    return found


def match_code(code: ActivityCode, text: str | CodingText, masked: str | None = None) -> list[str]:
    """Terms of ``code`` found in a sentence (``text``, or its prepared :class:`CodingText`)."""
    prepared = text if isinstance(text, CodingText) else CodingText.of(text)
    if prepared.present.isdisjoint(code.triggers):
        return []
    edges = prepared.word_edges

    def present(terms: tuple[str, ...]) -> tuple[str, ...]:
        return present_terms(terms, prepared.present)

    excluded = present(code.excluded_phrases)
    searched = mask_spans(_without(prepared.searched_by(code), excluded), code.excluded_patterns, MASK)

    def outside_names(term: str, start: int, end: int) -> bool:
        return not inside_a_name(prepared.text, end)

    @cache
    def gifts() -> frozenset[str]:  # what is given, once the code's own exclusions are masked
        return gifts_of(prepared.text, searched)

    def counts(term: str, start: int, end: int) -> bool:
        return outside_names(term, start, end) and all(
            holds(rule, prepared.text, searched, start, end, prepared.mentions, gifts)
            for rule in code.rules_of.get(term, ()))

    matched = _found(searched, present(code.searched_terms), edges, counts)
    if code.name_terms and not code.terms_in_org_names:
        in_names = _found(prepared.names_only, present(code.name_terms))
        matched += [t for t in in_names if t not in matched]
    weak = _found(searched, present(code.weak_terms), edges, outside_names)
    if weak:
        context_text = mask_spans(_without(prepared.text, excluded), code.excluded_patterns, MASK)
        context = _found(context_text, present(code.context_terms), edges)
        if context:
            matched += weak + [c for c in context if c not in matched]
    return matched


def present_terms(terms: tuple[str, ...], present: frozenset[str]) -> tuple[str, ...]:
    """The terms of ``terms`` that are in ``present``, in the order of ``terms``."""
    term_set, position = _term_positions(terms)
    if position is None:  # a term listed twice: filter the list itself
        return tuple(t for t in terms if t in present)
    hits = present & term_set
    return tuple(sorted(hits, key=position.__getitem__)) if hits else ()


@cache
def _term_positions(terms: tuple[str, ...]) -> tuple[frozenset[str], Mapping[str, int] | None]:
    """The terms as a set, and the place of each in the list (None when one is listed twice)."""
    position = {term: i for i, term in enumerate(terms)}
    return frozenset(terms), (MappingProxyType(position) if len(position) == len(terms) else None)


def codes_triggered(present: frozenset[str]) -> list[ActivityCode]:
    """The codes of the codebook, in order, that one of the terms ``present`` can make."""
    by_term = _codes_by_trigger()
    indices = set().union(*(by_term[term] for term in present if term in by_term))
    codebook = load_codebook()
    return [codebook[i] for i in sorted(indices)]


@cache
def _codes_by_trigger() -> Mapping[str, frozenset[int]]:
    """Each trigger term (see :attr:`ActivityCode.triggers`) -> the positions of its codes in the codebook."""
    by_term: dict[str, set[int]] = {}
    for index, code in enumerate(load_codebook()):
        for term in code.triggers:
            by_term.setdefault(term, set()).add(index)
    return MappingProxyType({term: frozenset(indices) for term, indices in by_term.items()})


def code_sentence(text: str) -> list[tuple[str, list[str]]]:
    """Activity codes of one sentence with the terms that triggered each, in codebook order."""
    return [(code, list(terms)) for code, terms in codes_of(text)]


@lru_cache(maxsize=EXTRACTION_CACHE_SIZE)
def codes_of(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """:func:`code_sentence`, remembered per sentence (reports repeat sentences)."""
    present = terms_in(text)
    codes = codes_triggered(present)
    if not codes or reports_nothing(text):
        return ()  # no code can be found, or the sentence reports nothing: nothing to prepare
    prepared = CodingText.of(text, present)
    coded = []
    for code in codes:
        matched = match_code(code, prepared)
        if matched:
            coded.append((code.code, tuple(matched)))
    return tuple(coded)


def activities_table(sentences: pd.DataFrame) -> pd.DataFrame:
    """One row per (sentence, code): doc_id, sentence_id, code, matched_terms (``|`` joined)."""
    return pd.DataFrame(activity_rows(sentences), columns=ACTIVITY_COLUMNS)


def activity_rows(sentences: pd.DataFrame) -> list[tuple]:
    """The rows of :func:`activities_table` as tuples in the order of ``ACTIVITY_COLUMNS``."""
    return [
        (doc_id, sentence_id, code, "|".join(terms))
        for doc_id, sentence_id, text in zip(*column_lists(sentences, "doc_id", "sentence_id", "text"),
                                             strict=True)
        for code, terms in codes_of(str(text))
    ]
