"""The jieba segmenters of extraction, sharing one read of jieba's stock dictionary.

The study segments with tokenizers of its own, never jieba's shared one (``jieba.dt``,
to which anyone's code may add words): the counted objects of
:mod:`helpers.extract.quantities`, the names of :func:`helpers.extract.organizations.name_segmenter`
and the vocabulary of :mod:`helpers.compare.vocabulary`. Each would read the whole stock
dictionary from disk when first used (about a second each); here it is read once
per process and each tokenizer gets its own copy, so what one adds never shows in
another.
"""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Mapping
from functools import cache
from math import inf, log
from pathlib import Path
from types import MappingProxyType

import jieba

jieba.setLogLevel(60)


@cache
def stock_dictionary() -> tuple[Mapping[str, int], int]:
    """jieba's stock dictionary as jieba loads it (word and prefix -> frequency, total), read once.

    Read-only: :func:`load_stock_dictionary` hands out copies.
    """
    loaded = jieba.Tokenizer()
    cached = read_jieba_cache(loaded)
    if cached is not None:
        return MappingProxyType(cached[0]), cached[1]
    loaded.initialize()  # no readable cache: jieba builds the dictionary (and writes its cache)
    return MappingProxyType(loaded.FREQ), loaded.total


def read_jieba_cache(tokenizer: jieba.Tokenizer) -> tuple[dict[str, int], int] | None:
    """The stock dictionary from the cache file ``tokenizer.initialize()`` would read, or None.

    The same file jieba reads (``jieba.cache`` in its temporary folder), read in one
    piece: jieba unmarshals it from the open file in many small reads, twice as slow.
    """
    if tokenizer.dictionary != jieba.DEFAULT_DICT:
        return None
    path = Path(tokenizer.cache_file or Path(tokenizer.tmp_dir or tempfile.gettempdir()) / "jieba.cache")
    try:
        freq, total = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return (freq, total) if isinstance(freq, dict) and isinstance(total, int) else None


def load_stock_dictionary(tokenizer: jieba.Tokenizer) -> jieba.Tokenizer:
    """Give ``tokenizer`` (not yet initialised, stock dictionary) a copy of the stock dictionary.

    A tokenizer already initialised, or set to another dictionary, is left as it is.
    """
    if tokenizer.initialized or tokenizer.dictionary != jieba.DEFAULT_DICT:
        return tokenizer
    freq, total = stock_dictionary()
    with tokenizer.lock:
        if not tokenizer.initialized:
            tokenizer.FREQ, tokenizer.total = dict(freq), total
            tokenizer.initialized = True  # last, so no one sees a half-made dictionary
    return tokenizer


def stock_tokenizer() -> jieba.Tokenizer:
    """A new jieba tokenizer of its own with the stock dictionary, as ``jieba.Tokenizer()`` makes it."""
    return load_stock_dictionary(jieba.Tokenizer())


# --- segmenting without HMM ------------------------------------------------------------------

#: What jieba glues into one word when its dictionary leaves them as single characters (its ``re_eng``).
_GLUED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def cut_without_hmm(tokenizer: jieba.Tokenizer, text: str) -> list[str]:
    """``tokenizer.lcut(text, HMM=False)``, word for word, at about twice its speed.

    The same steps as jieba 0.42's ``Tokenizer.cut`` and ``__cut_DAG_NO_HMM``: the text
    is split into runs of Han characters, letters and digits (``re_han_default``),
    each cut along its most probable path through the dictionary; whitespace is kept
    as tokens and every other character is a token of its own.
    """
    tokenizer.check_initialized()
    words: list[str] = []
    for block in jieba.re_han_default.split(text):
        if not block:
            continue
        if jieba.re_han_default.match(block):
            _cut_run(tokenizer, block, words)
            continue
        for piece in jieba.re_skip_default.split(block):
            if jieba.re_skip_default.match(piece):
                words.append(piece)
            else:
                words.extend(piece)
    return words


def _cut_run(tokenizer: jieba.Tokenizer, run: str, words: list[str]) -> None:
    """Append the words of one run along its best path, gluing single letters and digits."""
    ends = best_path(tokenizer.FREQ, tokenizer.total, run)
    at, glued = 0, ""
    while at < len(run):
        word = run[at:ends[at] + 1]
        if len(word) == 1 and word in _GLUED:
            glued += word
        else:
            if glued:
                words.append(glued)
                glued = ""
            words.append(word)
        at = ends[at] + 1
    if glued:
        words.append(glued)


def best_path(freq: dict[str, int], total: int, run: str) -> list[int]:
    """For each offset of ``run``, the last offset of the word that starts there on jieba's best path.

    jieba's ``get_DAG`` and ``calc`` in one pass from the right: a word's score is
    ``log(freq) - log(total)`` plus the score of the rest (the same float operations, in
    the same order); among equal scores the longest word wins, as in jieba's ``max``.
    A character that starts no word is a word of frequency 1.
    """
    size = len(run)
    log_total = log(total)
    lookup = freq.get
    score = [0.0] * (size + 1)
    ends = [0] * size
    for start in range(size - 1, -1, -1):
        best, best_end = -inf, start  # scores of words are finite
        end, count = start, lookup(run[start])
        while count is not None:  # the fragment run[start:end + 1] is a word or a word's prefix
            if count:
                candidate = log(count) - log_total + score[end + 1]
                if candidate >= best:
                    best, best_end = candidate, end
            end += 1
            count = lookup(run[start:end + 1]) if end < size else None
        if best == -inf:  # no word starts here
            best = log(lookup(run[start]) or 1) - log_total + score[start + 1]
        score[start], ends[start] = best, best_end
    return ends
