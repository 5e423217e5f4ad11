"""Each region's wording: tokens, counts, distinctive terms (weighted log-odds), keywords in context.

Distinctive vocabulary is the weighted log-odds ratio with an informative
Dirichlet prior (Monroe, Colaresi & Quinn 2008), one province against all others.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd

from ..corpus.lexicons import read_word_list
from ..extract.quantities import load_units
from ..text.gazetteer import place_names
from .profiles import sentence_regions

_DIGIT_RE = re.compile(r"[0-9０-９]")
_WORD_RE = re.compile(r"\w")  # letters, digits and Han characters
_NUMERAL_RE = re.compile(r"^[零〇一二三四五六七八九十百千万亿两几余多个第]+$")
_QUALIFIER_START = "余多"
"""Characters that, after a number, qualify it (1000余次, 300多名): jieba may cut them off with the unit."""
PLACE_SUFFIXES = ("自治县", "自治州", "自治旗", "特别行政区", "自治区", "地区", "林区", "特区", "新区",
                  "市", "县", "区", "旗", "盟", "州", "省")  # fmt: skip
"""Endings of administrative names; what stands before them is the short name (瑞丽市 -> 瑞丽)."""

DOMAIN_WORDS = (
    "社会组织", "志愿者", "志愿服务", "社工", "社会工作者", "核酸检测", "防疫物资", "疫情防控",
    "行业协会", "基金会", "慈善会", "红十字会", "心理疏导", "复工复产", "供需对接", "联防联控",
    "一次性口罩", "防护服", "消杀", "抗疫", "党组织", "党员",
)  # fmt: skip
"""Words the tokenizer keeps whole (jieba's dictionary splits some of them)."""


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The stopword list (``lexicons/stopwords.txt``, one word a line, ``#`` comments)."""
    return frozenset(read_word_list("stopwords.txt"))


@lru_cache(maxsize=1)
def _tokenizer():
    from ..text.segmenters import stock_tokenizer

    tok = stock_tokenizer()  # jieba's stock dictionary, read once per process
    for word in DOMAIN_WORDS:
        tok.add_word(word)
    return tok


@lru_cache(maxsize=1)
def _unit_words() -> frozenset[str]:
    return frozenset(load_units())


def is_quantity_fragment(word: str) -> bool:
    """A piece of a quantity, not a term: a unit or classifier (人次, 万元), alone or after a
    qualifier or a magnitude cut off from its number (余次, 多名, 余万人)."""
    rest = word.lstrip(_QUALIFIER_START).lstrip("十百千万亿")
    return bool(rest) and rest in _unit_words()


@lru_cache(maxsize=1)
def place_terms() -> frozenset[str]:
    """Place names left out of the distinctive terms: every name the gazetteer knows
    (:func:`helpers.text.gazetteer.place_names`) and the short form of every administrative
    name, county-level included (瑞丽市 -> 瑞丽, 邻水县 -> 邻水)."""
    names = place_names()
    short = set()
    for name in names:
        for suffix in PLACE_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                short.add(name[: -len(suffix)])
                break
    return frozenset(names | short)


def tokenize(text: str) -> list[str]:
    """Words of ``text`` (jieba, precise mode, no HMM for repeatability across jieba builds).

    Drops stopwords, single characters, tokens containing digits, numeral-only
    tokens (三千, 第一), pieces of quantities (余次, 人次: :func:`is_quantity_fragment`)
    and tokens without any letter or CJK character (punctuation).
    """
    if not text:
        return []
    stop = stopwords()
    words = []
    for raw in _tokenizer().lcut(text, HMM=False):
        w = raw.strip()
        if len(w) < 2 or w in stop or _DIGIT_RE.search(w) or _NUMERAL_RE.match(w):
            continue
        if is_quantity_fragment(w):
            continue
        if not _WORD_RE.search(w) or w.replace("_", "") == "":
            continue
        words.append(w)
    return words


def log_odds_dirichlet(
    counts_by_group: pd.DataFrame | Mapping[str, Mapping[str, int]], prior_scale: float = 1.0
) -> pd.DataFrame:
    """Weighted log-odds ratio with informative Dirichlet prior (Monroe, Colaresi & Quinn 2008).

    ``counts_by_group``: term x group counts (DataFrame, terms as index) or
    ``{group: {term: count}}``. Each group is compared with all other groups
    pooled. The prior comes from the whole corpus: alpha_w = prior_scale * y_w
    (y_w the term's corpus count), alpha_0 = sum of alpha_w. For group i and the
    rest j::

        delta_w = log((y_iw + a_w) / (n_i + a_0 - y_iw - a_w))
                - log((y_jw + a_w) / (n_j + a_0 - y_jw - a_w))
        var_w   = 1 / (y_iw + a_w) + 1 / (y_jw + a_w)
        z_w     = delta_w / sqrt(var_w)

    Returns a long table: group, term, count, count_rest, delta, variance, z,
    sorted by group then z descending (ties by term). With a single group there
    is nothing to compare with: z is NaN.
    """
    if isinstance(counts_by_group, pd.DataFrame):
        counts = counts_by_group.fillna(0).astype(float)
    else:
        counts = pd.DataFrame({g: pd.Series(c, dtype=float) for g, c in counts_by_group.items()})
        counts = counts.fillna(0)
    counts = counts.sort_index()
    counts = counts.loc[counts.sum(axis=1) > 0]
    if counts.empty:
        return pd.DataFrame(columns=["group", "term", "count", "count_rest", "delta", "variance", "z"])
    corpus = counts.sum(axis=1)
    alpha = prior_scale * corpus
    alpha0 = alpha.sum()
    rows = []
    for group in counts.columns:
        y_i = counts[group]
        y_j = corpus - y_i
        n_i, n_j = y_i.sum(), y_j.sum()
        if n_j == 0:
            delta = pd.Series(np.nan, index=counts.index)
            var = pd.Series(np.nan, index=counts.index)
        else:
            delta = np.log((y_i + alpha) / (n_i + alpha0 - y_i - alpha)) - np.log(
                (y_j + alpha) / (n_j + alpha0 - y_j - alpha)
            )
            var = 1 / (y_i + alpha) + 1 / (y_j + alpha)
        rows.append(
            pd.DataFrame(
                {
                    "group": group,
                    "term": counts.index,
                    "count": y_i.astype(int).values,
                    "count_rest": y_j.astype(int).values,
                    "delta": delta.values,
                    "variance": var.values,
                    "z": (delta / np.sqrt(var)).values,
                }
            )
        )
    out = pd.concat(rows, ignore_index=True)
    return out.sort_values(["group", "z", "term"], ascending=[True, False, True], kind="stable").reset_index(
        drop=True
    )


def term_counts_by_province(sentences: pd.DataFrame, sections: pd.DataFrame) -> pd.DataFrame:
    """term x province token counts of the in-body sentences placed in a province."""
    regions = sentence_regions(sentences, sections)
    placed = sentences.merge(regions[["doc_id", "sentence_id", "province"]], on=["doc_id", "sentence_id"])
    placed = placed[placed["province"] != ""]
    counters: dict[str, Counter] = {}
    for province, text in zip(placed["province"], placed["text"], strict=True):
        counters.setdefault(province, Counter()).update(tokenize(text))
    frame = pd.DataFrame({p: pd.Series(c, dtype=float) for p, c in sorted(counters.items())})
    return frame.fillna(0).astype(int).sort_index()


TERM_COLUMNS = ["province", "rank", "term", "count", "count_rest", "delta", "z"]
"""Columns of :func:`distinctive_terms` (and of notebook 04's ``distinctive_terms.csv``)."""


def distinctive_terms(
    sentences: pd.DataFrame,
    sections: pd.DataFrame,
    top_n: int = 10,
    prior_scale: float = 1.0,
    min_count: int = 2,
    drop_place_names: bool = True,
) -> pd.DataFrame:
    """The ``top_n`` most distinctive terms of each province against all other provinces.

    Tokens from :func:`tokenize`, counts per province (the province of the
    sentence's section), scored by :func:`log_odds_dirichlet`. Only terms used at
    least ``min_count`` times in the province and with z > 0 are kept (z > 1.96
    is the conventional threshold; the table keeps lower ones so small provinces
    still show their most characteristic words). With ``drop_place_names`` every
    place name is left out (:func:`place_terms`: 陕西省 and 陕西, 沈阳市 and 沈阳,
    瑞丽市 and 瑞丽): a place is trivially distinctive of the province it lies in,
    whether or not the section names it.
    Columns: province, rank, term, count, count_rest, delta, z.
    """
    counts = term_counts_by_province(sentences, sections)
    if drop_place_names:
        places = place_terms()
        counts = counts.loc[[t not in places for t in counts.index]]
    cols = TERM_COLUMNS
    if counts.shape[1] < 2:
        return pd.DataFrame(columns=cols)
    scored = log_odds_dirichlet(counts, prior_scale=prior_scale)
    scored = scored[(scored["count"] >= min_count) & (scored["z"] > 0)]
    top = scored.groupby("group", sort=True).head(top_n).rename(columns={"group": "province"}).copy()
    top["rank"] = top.groupby("province").cumcount() + 1
    return top[cols].reset_index(drop=True)


def read_distinctive_terms(path) -> pd.DataFrame:
    """Read a :func:`distinctive_terms` table written with ``to_csv`` (notebook 04), exactly as it was.

    Terms and provinces stay text (a term such as ``NA`` is not a missing
    value), counts and ranks integers, and ``delta`` and ``z`` are parsed by
    Python's ``float``, which turns the shortest repr that ``to_csv`` writes back
    into the very same double; so the table equals the one computed, value for value.
    """
    text = {"province": str, "term": str, "delta": str, "z": str}
    table = pd.read_csv(path, dtype=text, keep_default_na=False)
    if table.empty:
        return pd.DataFrame(columns=TERM_COLUMNS)
    for col in ("delta", "z"):
        table[col] = np.array([float(x) for x in table[col]], dtype=float)
    return table[TERM_COLUMNS]


def kwic(term: str, sentences: pd.DataFrame, width: int = 20) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``term`` with ``width`` characters either side.

    Columns doc_id, sentence_id, left, term, right; one row per occurrence, in
    document and sentence order.
    """
    rows = []
    if term:
        ordered = sentences.sort_values(["doc_id", "char_start"], kind="stable")
        for doc_id, sentence_id, text in zip(
            ordered["doc_id"], ordered["sentence_id"], ordered["text"], strict=True
        ):
            text = text or ""
            start = text.find(term)
            while start != -1:
                end = start + len(term)
                rows.append((doc_id, sentence_id, text[max(0, start - width) : start], term, text[end : end + width]))
                start = text.find(term, end)
    return pd.DataFrame(rows, columns=["doc_id", "sentence_id", "left", "term", "right"])
