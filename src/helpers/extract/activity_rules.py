"""The context conditions and exclusions of the activity codes, read from researcher-editable data.

Terms alone cannot tell the codes apart: ``捐赠`` gives money or goods by what is
given, ``联合`` is coordination only where one organization brings others in, an
appeal (``倡议``, ``号召``) is party mobilization or publicity by who issues it.
In the manner of KH Coder's coding rules, each code's terms (``activity_codes.csv``)
are joined here by rules of a few kinds, all data (see ``lexicons/README.md``):

- ``activity_rules.csv``: terms of a code that count only under a condition on the
  sentence around them (its kinds are :data:`RULE_KINDS`);
- ``activity_gifts.csv``: the words that say what is given (money, goods) and the
  words that make an amount the value of goods (``价值``, ``折合``);
- ``activity_exclusions.csv``: sentences that report nothing (footers, copyright
  lines) and phrases that are no activity (a pressure, a need, someone else's help);
- ``activity_name_suffixes.txt``: the heads of names of teams and task forces, so
  that a cue word inside such a name (``流调`` in ``流调溯源专班``) codes nothing.

A pattern of the exclusions, or an excluded phrase of a code, may hold ``*``: any
run of up to :data:`GAP` characters within one clause (``面临*压力``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from ..corpus.lexicons import read_lexicon_rows, read_word_list
from .organizations import OrgMention
from .quantities import quantities_in

#: The kinds of rule of ``activity_rules.csv``, each with what makes its terms count.
RULE_KINDS = {
    "gives": "the sentence gives one of the values (money, goods; unspecified: it names nothing given)",
    "gives_none": "the term's clause gives none of the values (money, goods)",
    "followed_by": "one of the values begins in the term's clause, within the window after it",
    "not_followed_by": "none of the values begins in the term's clause, within the window after it",
    "not_after": "none of the values ends in the term's clause, within the window before it",
    "actor": "the organization acting (the last one named before the term) is of one of the value "
             "types; where none is named, one of the value words comes before the term",
}
GIFTS = ("money", "goods")
#: The value of a gives rule that holds where a sentence names nothing given (爱心捐赠活动).
UNSPECIFIED = "unspecified"
#: Characters that end a clause: conditions look no further than the clause of a term.
CLAUSE_END = "，,。；;！!？?：:\n"
_CLAUSE_END = re.compile(f"[{re.escape(CLAUSE_END)}]")
#: Longest run of characters a ``*`` of a pattern stands for.
GAP = 12
#: Kinds of quantity that are goods when given (counted things, weights, volumes).
GOODS_QUANTITY_KINDS = frozenset({"items", "weight", "volume"})
#: How far before an amount of money a value word still makes it the value of goods (价值约).
VALUE_WORD_REACH = 4
#: Characters that cannot stand inside a name between a cue word and the name's head.
NOT_IN_NAMES = "的了和与及并在为向对给把将从等是有已被由、"
NAME_GAP_MAX = 6
_OPENING_BRACKETS = ("(", "（", "【", "[")
#: Quotes around a name (“…”, 「…」, 『…』), as (opening, closing) marks.
QUOTES = (("“", "”"), ("「", "」"), ("『", "』"))

#: Words between goods listed and the amount that totals them (口罩、防护服等共计10万元).
_TOTAL_WORDS = re.compile(r"(?:等|共计|合计|总计|累计|价值|折合|人民币|约|达|共|计|总额|为)+$")


@dataclass(frozen=True)
class CodingRule:
    """One row of ``activity_rules.csv``: terms of a code that count only under a condition."""

    code: str
    kind: str
    terms: tuple[str, ...]
    values: tuple[str, ...]
    window: int | None


def term_list(cell: str | None) -> tuple[str, ...]:
    """Terms of a ``|``-separated cell, longest first so the longest match is reported."""
    terms = {t.strip() for t in (cell or "").split("|") if t.strip()}
    return tuple(sorted(terms, key=lambda t: (-len(t), t)))


@cache
def load_rules() -> Mapping[str, tuple[CodingRule, ...]]:
    """The rules of ``activity_rules.csv`` by code, in file order."""
    codes = {row["code"] for row in read_lexicon_rows("activity_codes.csv")}
    rules: dict[str, list[CodingRule]] = {}
    for number, row in enumerate(read_lexicon_rows("activity_rules.csv"), start=2):
        where = f"activity_rules.csv, rule {number - 1} ({row.get('code')!r})"
        if row["code"] not in codes:
            raise ValueError(f"{where}: no such code in activity_codes.csv")
        if row["kind"] not in RULE_KINDS:
            raise ValueError(f"{where}: kind {row['kind']!r} is not one of {sorted(RULE_KINDS)}")
        values = term_list(row["values"])
        if row["kind"] in ("gives", "gives_none") and not set(values) <= {*GIFTS, UNSPECIFIED}:
            raise ValueError(f"{where}: a gives rule's values are among {(*GIFTS, UNSPECIFIED)}, "
                             f"not {values}")
        window = (row.get("window") or "").strip()
        if window and not window.isdigit():
            raise ValueError(f"{where}: window {window!r} is not a number of characters")
        rule = CodingRule(row["code"], row["kind"], term_list(row["terms"]), values,
                          int(window) if window else None)
        if not rule.terms or not rule.values:
            raise ValueError(f"{where}: a rule needs terms and values")
        rules.setdefault(rule.code, []).append(rule)
    return MappingProxyType({code: tuple(code_rules) for code, code_rules in rules.items()})


@cache
def load_gift_words() -> Mapping[str, tuple[str, ...]]:
    """``activity_gifts.csv``: gift (money, goods, value) -> its words, longest first."""
    words: dict[str, set[str]] = {}
    for row in read_lexicon_rows("activity_gifts.csv"):
        if row["gift"] not in (*GIFTS, "value"):
            raise ValueError(f"activity_gifts.csv: {row['word']!r} has gift {row['gift']!r}, "
                             f"not one of money, goods, value")
        words.setdefault(row["gift"], set()).add(row["word"].strip())
    return MappingProxyType({gift: term_list("|".join(w)) for gift, w in words.items()})


def pattern_regex(pattern: str) -> str:
    """The regex of an exclusion pattern: its text, with ``*`` any run within a clause."""
    gap = f"[^{re.escape(CLAUSE_END)}]{{0,{GAP}}}?"
    return gap.join(re.escape(part) for part in pattern.split("*"))


def compile_patterns(patterns) -> re.Pattern | None:
    """One regex of all ``patterns`` (None when there are none), longest first."""
    patterns = sorted(set(patterns), key=lambda p: (-len(p), p))
    return re.compile("|".join(map(pattern_regex, patterns))) if patterns else None


@cache
def load_exclusions() -> Mapping[str, re.Pattern | None]:
    """``activity_exclusions.csv``: scope (sentence, phrase) -> one regex of its patterns."""
    scopes: dict[str, list[str]] = {"sentence": [], "phrase": []}
    for row in read_lexicon_rows("activity_exclusions.csv"):
        if row["scope"] not in scopes:
            raise ValueError(f"activity_exclusions.csv: {row['pattern']!r} has scope {row['scope']!r}, "
                             f"not sentence or phrase")
        scopes[row["scope"]].append(row["pattern"].strip())
    return MappingProxyType({scope: compile_patterns(patterns) for scope, patterns in scopes.items()})


def reports_nothing(text: str) -> bool:
    """Whether ``text`` is a sentence that reports no activity (a footer, a copyright line)."""
    pattern = load_exclusions()["sentence"]
    return bool(pattern and pattern.search(text))


def mask_spans(text: str, pattern: re.Pattern | None, mask: str) -> str:
    """``text`` with every match of ``pattern`` replaced by ``mask`` characters."""
    if pattern is None:
        return text
    return pattern.sub(lambda m: mask * len(m.group()), text)


def mask_excluded_phrases(text: str, mask: str) -> str:
    """``text`` with the phrases that are no activity (``activity_exclusions.csv``) and the
    quoted names of campaigns (“一只口罩温暖一座城”公益项目: no masks given) masked."""
    return mask_spans(mask_spans(text, load_exclusions()["phrase"], mask), campaign_name_regex(), mask)


@cache
def name_head_regex() -> re.Pattern:
    """A cue word's continuation into a name: a few name characters, then the head of a name."""
    heads = read_word_list("activity_name_suffixes.txt")
    alternation = "|".join(map(re.escape, sorted(set(heads), key=lambda w: (-len(w), w))))
    return re.compile(rf"[^\W\d_{re.escape(NOT_IN_NAMES)}]{{1,{NAME_GAP_MAX}}}?(?:{alternation})")


@cache
def campaign_name_regex() -> re.Pattern:
    """A quoted name followed by the head of a campaign's name (``activity_campaign_heads.txt``)."""
    heads = read_word_list("activity_campaign_heads.txt")
    alternation = "|".join(map(re.escape, sorted(set(heads), key=lambda w: (-len(w), w))))
    quoted = "|".join(f"{re.escape(o)}[^{re.escape(o + c)}]{{1,30}}{re.escape(c)}" for o, c in QUOTES)
    return re.compile(rf"(?:{quoted})(?=[^\W\d_]{{0,4}}?(?:{alternation}))")


def inside_a_name(text: str, end: int) -> bool:
    """Whether a term ending at ``end`` runs on into the name of a team (``流调|溯源专班``)."""
    return bool(name_head_regex().match(text, end))


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of ``text[start:end]``: from after the clause mark before it to the next one."""
    before = [m.end() for m in _CLAUSE_END.finditer(text, 0, start)]
    after = _CLAUSE_END.search(text, end)
    return (before[-1] if before else 0), (after.start() if after else len(text))


def gifts_of(text: str, searched: str, span: tuple[int, int] | None = None) -> frozenset[str]:
    """What the sentence ``text`` gives: money, goods, or both (``searched``: it with names masked);
    with ``span``, what that part of it (a clause) gives.

    Amounts of money count as money unless they are the value of goods: a value
    word (``价值``) stands right before them, goods stand right after them
    (``2万元物资``), or they total the goods listed just before them (``捐赠蔬菜、
    医疗物资等共计9万元``). Counted things, weights and volumes count as goods; and
    the gift words of ``activity_gifts.csv``.
    """
    first, last = span or (0, len(text))
    words = load_gift_words()
    goods = words.get("goods", ())
    gifts = {gift for gift in GIFTS if any(w in searched[first:last] for w in words.get(gift, ()))}
    for mention in quantities_in(text):
        if not (first <= mention.start and mention.end <= last):
            continue
        if mention.kind in GOODS_QUANTITY_KINDS:
            gifts.add("goods")
        elif mention.kind == "money":
            clause_start, clause_end = clause_bounds(text, mention.start, mention.end)
            before = text[max(clause_start, mention.start - VALUE_WORD_REACH):mention.start]
            after = text[mention.end:min(clause_end, mention.end + VALUE_WORD_REACH + 2)]
            listed = _TOTAL_WORDS.sub("", text[clause_start:mention.start])
            is_value = (any(w in before for w in words.get("value", ()))
                        or any(w in after for w in goods)
                        or any(listed.endswith(w) for w in goods))
            gifts.add("goods" if is_value else "money")
    return frozenset(gifts)


def actor_before(text: str, mentions, start: int) -> OrgMention | None:
    """The organization named last before ``start``: the one acting at that point.

    A name in brackets right after another (``县工商联(总商会)``) is the other's alias.
    """
    before = sorted((m for m in mentions if m.end <= start), key=lambda m: m.end)
    while len(before) > 1 and text[before[-2].end:before[-1].start] in _OPENING_BRACKETS:
        before.pop()
    return before[-1] if before else None


def _begins_within(text: str, value: str, end: int, limit: int, window: int | None) -> bool:
    """Whether ``value`` begins at most ``window`` characters after ``end`` and ends before ``limit``."""
    at = text.find(value, end, limit)
    return at >= 0 and (window is None or at - end <= window)


def _ends_within(text: str, value: str, first: int, start: int, window: int | None) -> bool:
    """Whether ``value`` lies in ``text[first:start]`` and ends at most ``window`` characters before ``start``."""
    at = text.rfind(value, first, start)
    return at >= 0 and (window is None or start - (at + len(value)) <= window)


def holds(rule: CodingRule, text: str, searched: str, start: int, end: int,
          mentions, gifts) -> bool:
    """Whether ``rule`` lets its term at ``text[start:end]`` count.

    ``searched`` is the text with names, titles and excluded phrases masked (the
    same offsets); ``gifts`` a callable giving :func:`gifts_of` the sentence.
    """
    clause_start, clause_end = clause_bounds(text, start, end)
    if rule.kind == "gives":
        given = gifts()
        return bool(given & set(rule.values)) or (not given and UNSPECIFIED in rule.values)
    if rule.kind == "gives_none":
        return not gifts_of(text, searched, (clause_start, clause_end)) & set(rule.values)
    if rule.kind in ("followed_by", "not_followed_by"):
        found = any(_begins_within(searched, v, end, clause_end, rule.window) for v in rule.values)
        return found if rule.kind == "followed_by" else not found
    if rule.kind == "not_after":
        return not any(_ends_within(searched, v, clause_start, start, rule.window) for v in rule.values)
    if rule.kind == "actor":
        actor = actor_before(text, mentions, start)
        if actor is not None:
            return actor.org_type in rule.values
        return any(v in searched[:start] for v in rule.values)
    raise ValueError(f"unknown rule kind {rule.kind!r}")
