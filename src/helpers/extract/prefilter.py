"""Literal prefilters for lexicon regexes: skip a pattern when its text cannot match.

Many lexicon patterns (``org_types.csv``: ``协会``, ``(?:居|村)委会``,
``(?<![大客餐展])厅``) can only match where one of a few literal strings occurs.
:func:`required_literals` reads those strings off the pattern's syntax tree; a
:class:`LiteralPrefilter` looks for the literals of many patterns in one
Aho-Corasick pass over a text and names the patterns that may match there. A
pattern with no such literal (``\\w+``, a case-insensitive one, one that can match
the empty string) is always a candidate, so the prefilter never changes a result,
whatever a researcher writes in a lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import product

try:  # the parser of the ``re`` module (``sre_parse`` before Python 3.11)
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants
    import sre_parse

#: Most strings an exactly known part of a pattern may spell before it is treated as unknown.
MAX_EXACT_STRINGS = 64
#: Characters a class such as ``[省市县区州]`` may hold to count as a set of literals.
MAX_CLASS_CHARS = 32

_ZERO_WIDTH = {sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT}
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
            getattr(sre_constants, "POSSESSIVE_REPEAT", sre_constants.MAX_REPEAT)}


def required_literals(pattern: re.Pattern) -> frozenset[str] | None:
    """Strings one of which every non-empty match of ``pattern`` contains, or None if unknown.

    ``协会`` -> {协会}; ``(?:居|村)委会`` -> {居委会, 村委会}; ``(?<=[省市])委(?!员)`` -> {委};
    ``(?:心理|医学)\\w*专家团`` -> {专家团} (or the prefix); ``\\w+`` and case-insensitive
    patterns -> None.
    """
    if pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return None
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # a syntax the analysis does not know: no prefilter
        return None
    return _analyze(list(tree))[1]


def _analyze(items: list) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    """``(exact, required)`` of a sequence of regex syntax items.

    ``exact`` is every string the sequence can match (None when not a small finite set);
    ``required`` is a set of strings one of which each match contains (None when unknown).
    """
    run: frozenset[str] = frozenset({""})
    candidates: list[frozenset[str]] = []
    whole_is_exact = True
    for op, av in items:
        exact, required = _analyze_item(op, av)
        if exact is not None and len(run) * len(exact) <= MAX_EXACT_STRINGS:
            run = frozenset(a + b for a, b in product(run, exact))
            continue
        whole_is_exact = False
        candidates.append(run)
        if exact is not None:
            run = exact
            continue
        if required is not None:
            candidates.append(required)
        run = frozenset({""})
    candidates.append(run)
    return (run if whole_is_exact else None), _most_selective(candidates)


def _most_selective(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    """The set whose shortest string is longest (then the smallest set); None if all hold ''."""
    usable = [c for c in candidates if c and "" not in c]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(map(len, c)), -len(c)))


def _analyze_item(op, av) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    """``(exact, required)`` of one syntax item (see :func:`_analyze`)."""
    if op == sre_constants.LITERAL:
        return frozenset({chr(av)}), frozenset({chr(av)})
    if op in _ZERO_WIDTH:
        return frozenset({""}), None
    if op == sre_constants.IN:
        chars = _class_chars(av)
        return chars, chars
    if op == sre_constants.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return (None, None) if add_flags & re.IGNORECASE else _analyze(list(sub))
    if op == getattr(sre_constants, "ATOMIC_GROUP", None):
        return _analyze(list(av))
    if op == sre_constants.BRANCH:
        return _analyze_branches([_analyze(list(branch)) for branch in av[1]])
    if op in _REPEATS:
        low, high, sub = av
        exact, required = _analyze(list(sub))
        if low == 0:
            return None, None
        return (exact if low == high == 1 else None), required
    return None, None  # ANY, NOT_LITERAL, GROUPREF, CATEGORY ...: no literal known


def _analyze_branches(branches: list[tuple]) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    """An alternation: exactly the union when every branch is exact; some branch's literal is required."""
    exacts = [exact for exact, _ in branches]
    exact = None
    if all(e is not None for e in exacts):
        union = frozenset().union(*exacts)
        exact = union if len(union) <= MAX_EXACT_STRINGS else None
    requireds = [required for _, required in branches]
    required = None if any(r is None for r in requireds) else frozenset().union(*requireds)
    return exact, required


def _class_chars(items) -> frozenset[str] | None:
    """The characters of a class like ``[省市县区州]`` or ``[a-c]``; None if negated, a category or large."""
    chars: set[str] = set()
    for op, av in items:
        if op == sre_constants.LITERAL:
            chars.add(chr(av))
        elif op == sre_constants.RANGE and av[1] - av[0] < MAX_CLASS_CHARS:
            chars.update(chr(code) for code in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY, a wide RANGE
            return None
    return frozenset(chars) if 0 < len(chars) <= MAX_CLASS_CHARS else None


class LiteralPrefilter:
    """Which of many patterns may match a text, from one Aho-Corasick pass over it.

    ``candidates(text)`` are the indices, in order, of the patterns whose required
    literals occur in ``text``, and of every pattern without required literals.
    """

    def __init__(self, patterns: Sequence[re.Pattern]):
        import ahocorasick

        self.size = len(patterns)
        self.always: list[int] = []
        self.automaton = ahocorasick.Automaton()
        users: dict[str, list[int]] = {}
        for index, pattern in enumerate(patterns):
            literals = required_literals(pattern)
            if literals is None:
                self.always.append(index)
                continue
            for literal in literals:
                users.setdefault(literal, []).append(index)
        for literal, indices in users.items():
            self.automaton.add_word(literal, tuple(indices))
        if users:
            self.automaton.make_automaton()

    def candidates(self, text: str) -> tuple[int, ...]:
        """Indices of the patterns that may match somewhere in ``text``, in ascending order."""
        if len(self.automaton) == 0:
            return tuple(self.always)
        found = set(self.always)
        for _end, indices in self.automaton.iter(text):
            found.update(indices)
        return tuple(sorted(found))


def may_match(literals: frozenset[str] | None, text: str) -> bool:
    """Whether a pattern whose :func:`required_literals` are ``literals`` can match in ``text``."""
    return literals is None or any(literal in text for literal in literals)
