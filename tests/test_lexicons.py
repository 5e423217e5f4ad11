"""The one reader of the lexicon files."""

from __future__ import annotations

from helpers.corpus.lexicons import read_lexicon_rows, read_word_list
from helpers.paths import LEXICON_DIR


def test_comments_and_blank_lines_are_skipped_in_word_lists_and_tables(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("# a comment\n协会\n\n  商会  \n   # indented comment\n", encoding="utf-8")
    assert read_word_list(words) == ("协会", "商会")
    table = tmp_path / "table.csv"
    table.write_text("# what the columns mean\nword,kind\n\n万元,money\n# a note\n人,people\n", encoding="utf-8")
    assert read_lexicon_rows(table) == ({"word": "万元", "kind": "money"}, {"word": "人", "kind": "people"})


def test_a_bare_name_is_a_packaged_lexicon():
    assert read_word_list("stopwords.txt") == read_word_list(LEXICON_DIR / "stopwords.txt")
