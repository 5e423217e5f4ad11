"""Unit tests of the shared jieba dictionary and of segmenting without HMM."""

import jieba
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.text.segmenters import (
    best_path,
    cut_without_hmm,
    load_stock_dictionary,
    read_jieba_cache,
    stock_dictionary,
    stock_tokenizer,
)

SENTENCES = [
    "充分发挥社会组织作用,组织志愿者120名分发口罩3000只。",
    "武汉市慈善总会N95口罩2,000只\r\n送往一线 医护人员(含KN95)。",
    "abc123捐款ab12c与TM-S1型号 3.15亿元 50%",
    "中华人民共和国民政部社会组织管理局捐赠款物",
    "  \t全角：１２３，ＡＢＣ！\n",
    "",
    "。",
    "a",
    "黄桷树青年社工发展协会开展活动",
]


@pytest.fixture(scope="module")
def segmenter():
    """A stock tokenizer with a few words of its own, as the name segmenter has."""
    tokenizer = stock_tokenizer()
    for word in ("社会组织", "黄桷树青年社工发展协会"):
        tokenizer.add_word(word, freq=100_000)
    return tokenizer


@pytest.mark.parametrize("text", SENTENCES)
def test_cut_without_hmm_is_jiebas_cut(segmenter, text):
    assert cut_without_hmm(segmenter, text) == segmenter.lcut(text, HMM=False)
    assert cut_without_hmm(jieba.dt, text) == jieba.lcut(text, HMM=False)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="社会组织志愿者服务队捐赠口罩协会中心市区县省的了和与a1B2 .\r\n\t-%，。", max_size=30))
def test_cut_without_hmm_is_jiebas_cut_on_any_text(segmenter, text):
    assert cut_without_hmm(segmenter, text) == segmenter.lcut(text, HMM=False)


def test_best_path_prefers_the_longer_word_on_a_tie():
    # with a total of 1 every word scores 0: 甲乙 and 甲|乙 tie, and jieba keeps the longer
    freq = {"甲": 1, "乙": 1, "甲乙": 1, "丙": 0}
    assert best_path(freq, 1, "甲乙") == [1, 1]
    assert best_path(freq, 1, "丙甲") == [0, 1]  # 丙 is only a prefix: a word of its own
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(freq), 1, True
    for text in ("甲乙", "甲乙甲", "丙甲乙丁"):
        assert cut_without_hmm(tokenizer, text) == tokenizer.lcut(text, HMM=False)


def test_stock_tokenizers_are_copies_of_jiebas_dictionary():
    fresh = jieba.Tokenizer()
    fresh.initialize()  # read from disk, as jieba does
    first, second = stock_tokenizer(), stock_tokenizer()
    assert first.initialized and (first.FREQ, first.total) == (fresh.FREQ, fresh.total)
    first.add_word("某某某测试用词", freq=100_000)
    assert "某某某测试用词" not in second.FREQ
    assert "某某某测试用词" not in stock_dictionary()[0]
    assert second.total == stock_dictionary()[1]


def test_load_stock_dictionary_leaves_other_tokenizers_alone(tmp_path):
    words = tmp_path / "dict.txt"
    words.write_text("甲乙 3\n", encoding="utf-8")
    custom = load_stock_dictionary(jieba.Tokenizer(str(words)))
    assert not custom.initialized  # another dictionary: jieba reads it when first used
    loaded = jieba.Tokenizer()
    loaded.FREQ, loaded.total, loaded.initialized = {"甲": 1}, 1, True
    assert load_stock_dictionary(loaded).FREQ == {"甲": 1}


def test_read_jieba_cache_is_what_jieba_loads_or_none(tmp_path):
    fresh = jieba.Tokenizer()
    fresh.initialize()
    assert read_jieba_cache(jieba.Tokenizer()) == (fresh.FREQ, fresh.total)
    elsewhere = jieba.Tokenizer()
    elsewhere.tmp_dir = str(tmp_path)  # no cache there: jieba would build the dictionary
    assert read_jieba_cache(elsewhere) is None
    (tmp_path / "jieba.cache").write_bytes(b"not marshal")
    assert read_jieba_cache(elsewhere) is None
    assert read_jieba_cache(jieba.Tokenizer(str(tmp_path / "dict.txt"))) is None
