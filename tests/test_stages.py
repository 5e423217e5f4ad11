"""The per-document stages give the same tables whatever the engine and the chunk size."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import BUILT_TABLES, build_corpus
from helpers.paths import SEEDS_DIR
from helpers.run.engines import open_engine


def _assert_same_tables(built, reference):
    for name in BUILT_TABLES:
        pd.testing.assert_frame_equal(built[name], reference[name], obj=name)


def test_chunked_local_run_equals_one_chunk(tmp_path, seed_tables):
    _assert_same_tables(build_corpus(SEEDS_DIR, tmp_path, "local", chunk_size=2), seed_tables)


def test_process_pool_equals_local(tmp_path, seed_tables):
    _assert_same_tables(build_corpus(SEEDS_DIR, tmp_path, "processes", chunk_size=2, workers=2), seed_tables)


def test_every_usable_document_reaches_every_table(seed_tables):
    usable = set(seed_tables["documents"].query("status != 'failed'")["doc_id"])
    for name in ("texts", "sections", "sentences", "quantities", "activities"):
        assert set(seed_tables[name]["doc_id"]) == usable, name


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown engine"), open_engine("spark"):
        pass


def test_process_pool_with_pieces_of_several_documents_equals_local(tmp_path, seed_tables):
    # one chunk of five documents goes to the workers as pieces of two, two and one
    _assert_same_tables(build_corpus(SEEDS_DIR, tmp_path, "processes", chunk_size=5, workers=2), seed_tables)


def test_pieces_cover_the_chunk_in_order():
    from helpers.run.engines import PIECES_PER_CHUNK, pieces_of

    chunk = list(range(10))
    pieces = pieces_of(chunk, "processes")
    assert [i for piece in pieces for i in piece] == chunk
    assert 1 < len(pieces) <= PIECES_PER_CHUNK
    assert pieces_of(chunk, "local") == [chunk]


def test_batches_written_one_by_one_equal_one_write(tmp_path):
    from helpers.run.tables import Batch, TableWriter, prepare_batch, read_table

    rows = pd.DataFrame({"doc_id": ["a", "a", "b"], "line": ["x,1", "\"y\"", "z"], "reason": ["r", None, "r"]})
    with TableWriter(tmp_path / "whole", "dropped") as out:
        out.write(rows)
    with TableWriter(tmp_path / "parts", "dropped") as out:
        out.append(Batch.concat([prepare_batch(rows.iloc[:1], "dropped"), prepare_batch(rows.iloc[1:2], "dropped")]))
        out.append(prepare_batch(rows.iloc[:0], "dropped"))
        out.append(prepare_batch(rows.iloc[2:], "dropped"))
    assert out.rows == 3
    whole, parts = (tmp_path / "whole" / "dropped.csv").read_bytes(), (tmp_path / "parts" / "dropped.csv").read_bytes()
    assert whole == parts and whole.startswith(b"doc_id,line,reason\n")
    pd.testing.assert_frame_equal(read_table(tmp_path / "parts", "dropped"), read_table(tmp_path / "whole", "dropped"))


def _write_sentences(build, docs_rows):
    from helpers.run.tables import TableWriter

    with TableWriter(build, "sentences") as out:
        for doc_id, n in docs_rows:
            out.write(pd.DataFrame({"doc_id": [doc_id] * n, "section_id": [0] * n, "sentence_id": list(range(n)),
                                    "text": ["句子。"] * n, "char_start": [0] * n, "char_end": [3] * n}))


def test_document_rows_takes_whole_documents_across_batches(tmp_path):
    from helpers.run.stages import DocumentRows

    _write_sentences(tmp_path, [("a", 3), ("b", 5), ("c", 1), ("d", 2)])
    rows = DocumentRows(tmp_path, "sentences", batch_rows=2)  # every document spans batches
    first = rows.take(["a", "b"])
    assert first["doc_id"].tolist() == ["a"] * 3 + ["b"] * 5 and first.index.tolist() == list(range(8))
    assert rows.take(["x"]).empty  # a document without sentences
    assert rows.take(["c", "d"])["doc_id"].tolist() == ["c", "d", "d"]
    rows.finish()


def test_document_rows_out_of_order_is_an_error_naming_the_table(tmp_path):
    from helpers.run.stages import DocumentRows

    _write_sentences(tmp_path, [("a", 2), ("c", 1), ("b", 1)])
    rows = DocumentRows(tmp_path, "sentences", batch_rows=2)
    rows.take(["a", "b"])
    rows.take(["c"])
    with pytest.raises(ValueError, match="'b'.*'sentences' table is out of the order"):
        rows.finish()


def test_extraction_rows_are_in_the_column_order_of_their_tables():
    # extract_one returns tuples, which tables_of_piece reads in the tables' column order
    from helpers.extract.activities import ACTIVITY_COLUMNS
    from helpers.extract.organizations import ORGANIZATION_COLUMNS
    from helpers.extract.plausibility import IMPLAUSIBLE_COLUMN
    from helpers.extract.quantities import QUANTITY_COLUMNS
    from helpers.run.tables import columns

    assert [*QUANTITY_COLUMNS, IMPLAUSIBLE_COLUMN] == columns("quantities")
    assert ORGANIZATION_COLUMNS == columns("organizations")
    assert ACTIVITY_COLUMNS == columns("activities")


def test_extracting_many_documents_at_once_equals_one_by_one(seed_tables):
    from helpers.run.stages import documents_of, extract_one, extract_rows

    sentences, sections = seed_tables["sentences"], seed_tables["sections"]
    doc_ids = seed_tables["texts"]["doc_id"].tolist()
    one_by_one: dict[str, list] = {}
    for doc in documents_of(doc_ids, sentences, sections):
        for name, rows in extract_one(doc).items():
            one_by_one.setdefault(name, []).extend(rows)
    at_once = extract_rows(sentences, sections)
    assert at_once == one_by_one
    assert all(at_once[name] for name in ("quantities", "organizations", "activities"))


@pytest.mark.parametrize("value, expected", [
    (True, True), (False, False), (1, True), (0, False), ("True", True), (" yes ", True), ("y", True),
    ("1", True), ("False", False), ("no", False), ("", False), (None, False), (float("nan"), False),
])
def test_is_yes_reads_in_body_cells_from_parquet_or_csv(value, expected):
    from helpers.run.tables import is_yes

    assert is_yes(value) is expected
