"""The one reader of the lexicon files, and the labels and colours the lexicons give."""

from __future__ import annotations

import re

from helpers.compare.labels import ACTIVITY_LABELS, ORG_TYPE_COLOURS, ORG_TYPE_LABELS
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


def test_every_activity_code_has_a_label():
    codes = [row["code"] for row in read_lexicon_rows("activity_codes.csv")]
    assert list(ACTIVITY_LABELS) == codes and all(ACTIVITY_LABELS.values())


def test_every_organization_type_of_the_patterns_has_labels_and_a_colour():
    # a pattern with no type ("") leaves the type to the name's head
    used = {row["org_type"] for row in read_lexicon_rows("org_types.csv")}
    used |= {row["org_type"] for row in read_lexicon_rows("org_appositions.csv")}
    assert used - {""} <= set(ORG_TYPE_LABELS) == set(ORG_TYPE_COLOURS)
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in ORG_TYPE_COLOURS.values())
    assert len(set(ORG_TYPE_COLOURS.values())) == len(ORG_TYPE_COLOURS)
