"""Hostile input beside good documents: every file and folder gets a row, nothing stops or hangs
ingest, a bad byte never loses a document, and the good documents keep exactly their results."""

from __future__ import annotations

import os
import signal
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import build_corpus
from helpers.corpus.documents import ingest_corpus, read_document
from helpers.corpus.listing import CorpusProblem, check_corpus, list_corpus
from helpers.paths import SEEDS_DIR

GOOD = "社会组织积极参与疫情防控工作\n\n全省2175家社会组织捐款3000万元。志愿者协会开展核酸检测服务。\n"


def write(folder: Path, rel_path: str, content: bytes | str) -> Path:
    path = folder / rel_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


@contextmanager
def deadline(seconds: int):
    """Fail instead of hanging (a FIFO opened for reading blocks forever)."""
    def hang(*_):
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def rows(table: pd.DataFrame) -> dict[str, dict]:
    return {r["path"]: r for r in table.to_dict("records")}


# --------------------------------------------------------------------------- files and folders


def test_other_file_types_and_hidden_entries_are_skipped_rows(tmp_path):
    write(tmp_path, "good.txt", GOOD)
    write(tmp_path, "report.pdf", b"%PDF-1.4\n")
    write(tmp_path, "sub/letter.docx", b"PK\x03\x04")
    write(tmp_path, "README", "notes")
    write(tmp_path, ".DS_Store", b"\x00")
    write(tmp_path, ".git/config", "x")
    table = ingest_corpus(tmp_path)
    by_path = rows(table)
    assert set(by_path) == {"good.txt", "report.pdf", "sub/letter.docx", "README", ".DS_Store", ".git/"}
    assert by_path["good.txt"]["status"] == "ok"
    for path in ("report.pdf", "sub/letter.docx", "README", ".DS_Store", ".git/"):
        assert by_path[path]["status"] == "skipped", path
        assert by_path[path]["error"].startswith(f"{tmp_path.name}/{path}: "), path
    assert "'.pdf' files are not documents" in by_path["report.pdf"]["error"]
    assert "hidden folder" in by_path[".git/"]["error"]
    assert table["doc_id"].is_unique
    assert by_path["good.txt"]["doc_id"] == "good"


def test_a_skipped_file_never_changes_a_documents_id(tmp_path):
    write(tmp_path, "report.txt", GOOD)
    write(tmp_path, "report.pdf", b"%PDF")
    by_path = rows(ingest_corpus(tmp_path))
    assert by_path["report.txt"]["doc_id"] == "report"
    assert by_path["report.pdf"]["doc_id"] == "report_pdf"


def test_unreadable_subfolder_is_a_failed_row(tmp_path, monkeypatch):
    write(tmp_path, "good.txt", GOOD)
    write(tmp_path, "locked/inside.txt", GOOD)
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) == tmp_path / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    by_path = rows(ingest_corpus(tmp_path))
    assert by_path["locked/"]["status"] == "failed"
    assert by_path["locked/"]["error"] == f"{tmp_path.name}/locked/: cannot list folder (Permission denied)"
    assert by_path["good.txt"]["status"] == "ok"


def test_unreadable_missing_file_or_empty_corpus_is_a_corpus_problem(tmp_path, monkeypatch):
    with pytest.raises(CorpusProblem, match="does not exist"):
        list_corpus(tmp_path / "missing")
    write(tmp_path, "a_file.txt", GOOD)
    with pytest.raises(CorpusProblem, match=r"a_file\.txt is a file, not a folder"):
        list_corpus(tmp_path / "a_file.txt")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CorpusProblem, match=r"empty holds no \.txt/\.html/\.htm/\.md file"):
        check_corpus(empty)
    write(empty, "scan.pdf", b"%PDF")
    with pytest.raises(CorpusProblem, match="1 other entries, none of them a document"):
        check_corpus(empty)
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) == empty:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(CorpusProblem, match=r"empty cannot be read \(Permission denied\)"):
        list_corpus(empty)


def test_symlinked_folder_is_followed_once_and_loops_are_rows(tmp_path):
    outside = tmp_path / "outside"
    write(outside, "linked.txt", GOOD)
    corpus = tmp_path / "corpus"
    write(corpus, "sub/own.txt", GOOD)
    (corpus / "link").symlink_to(outside, target_is_directory=True)
    (corpus / "sub" / "loop").symlink_to(corpus / "sub", target_is_directory=True)
    (corpus / "again").symlink_to(outside, target_is_directory=True)
    with deadline(20):
        by_path = rows(ingest_corpus(corpus))
    assert by_path["sub/own.txt"]["status"] == "ok"
    read_through = [p for p in ("again/linked.txt", "link/linked.txt") if p in by_path]
    assert len(read_through) == 1 and by_path[read_through[0]]["status"] == "ok"
    assert by_path["sub/loop/"]["status"] == "skipped"
    assert "already read (sub/)" in by_path["sub/loop/"]["error"]
    other = "link/" if read_through[0].startswith("again") else "again/"
    assert by_path[other]["status"] == "skipped"


def test_fifo_and_device_link_are_skipped_without_reading(tmp_path):
    write(tmp_path, "good.txt", GOOD)
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    with deadline(20):
        by_path = rows(ingest_corpus(tmp_path))
    assert by_path["pipe.txt"]["status"] == "skipped"
    assert "named pipe (FIFO), not a regular file" in by_path["pipe.txt"]["error"]
    assert by_path["zero.txt"]["status"] == "skipped"
    assert "character device" in by_path["zero.txt"]["error"]
    assert by_path["good.txt"]["status"] == "ok"


def test_file_over_the_size_limit_fails_without_being_read(tmp_path, monkeypatch):
    path = write(tmp_path, "huge.txt", GOOD * 100)
    opened = []
    real_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    row = read_document(path, tmp_path, max_bytes=1000)
    assert row["status"] == "failed"
    assert row["error"].startswith(f"{tmp_path.name}/huge.txt: too large (")
    assert "over the limit of 1,000" in row["error"]
    assert opened == [] and row["bytes"] == path.stat().st_size
    assert read_document(path, tmp_path)["status"] == "ok"  # the default limit is 50 MB


def test_non_utf8_file_name_is_kept_escaped(tmp_path):
    name = os.fsdecode(b"caf\xe9-\xff.txt")
    (tmp_path / name).write_bytes(GOOD.encode("utf-8"))
    from helpers.run.tables import write_table

    table = ingest_corpus(tmp_path)
    assert list(table["path"]) == ["caf\\xe9-\\xff.txt"]
    assert table.loc[0, "status"] == "warning"
    assert "file name is not valid UTF-8" in table.loc[0, "error"]
    assert table.loc[0, "raw_text"].startswith("社会组织")
    write_table(table, tmp_path / "build", "documents")  # Parquet and CSV take the escaped name
    assert "caf\\xe9" in (tmp_path / "build" / "documents.csv").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- damaged bytes


def test_stray_nul_is_removed_with_a_warning(tmp_path):
    data = GOOD.encode("utf-8")
    damaged = data[:30] + b"\x00" + data[30:]
    row = read_document(write(tmp_path, "nul.txt", damaged), tmp_path)
    assert row["status"] == "warning"
    assert "1 NUL byte removed (first at byte offset 30)" in row["error"]
    assert row["raw_text"] == GOOD


def test_truncated_utf8_character_is_a_warning_naming_the_offset(tmp_path):
    data = GOOD.encode("utf-8") + "组".encode()[:2]
    row = read_document(write(tmp_path, "cut.txt", data), tmp_path)
    assert row["status"] == "warning" and row["encoding"] == "utf-8"
    assert f"truncated: the last UTF-8 character is cut off at byte offset {len(data) - 2}" in row["error"]
    assert row["raw_text"] == GOOD


def test_one_broken_byte_in_the_middle_keeps_the_document(tmp_path):
    data = (GOOD * 3).encode("utf-8")
    damaged = data[:39] + b"\xff" + data[39:]
    row = read_document(write(tmp_path, "broken.txt", damaged), tmp_path)
    assert row["status"] == "warning" and row["encoding"] == "utf-8"
    assert "1 invalid UTF-8 byte sequence replaced by U+FFFD (first at byte offset 39)" in row["error"]
    assert row["raw_text"].replace("\ufffd", "") == GOOD * 3


def test_impossible_front_matter_date_is_a_warning(tmp_path):
    text = "---\ntitle: 社会组织抗疫\ndate: 2020-02-30\n---\n" + GOOD
    row = read_document(write(tmp_path, "date.md", text), tmp_path)
    assert row["status"] == "warning"
    assert "front matter date '2020-02-30' is not a date" in row["error"]
    assert row["title"] == "社会组织抗疫" and row["published"] == ""


def test_yaml_alias_bomb_is_refused_naming_the_file(tmp_path):
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "a" if i == 0 else "bcdefghi"[i - 1]
        levels.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    text = "---\n" + "\n".join(levels) + "\ntitle: *i\n---\n" + GOOD
    assert len(text.encode("utf-8")) < 1000
    path = write(tmp_path, "bomb.md", text)
    read_document(path, tmp_path)  # the modules it loads on first use are not the bomb
    tracemalloc.start()
    row = read_document(path, tmp_path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20_000_000  # expanded, the title would be 387 million 'lol's
    assert row["status"] == "warning"
    assert row["error"].startswith(f"{tmp_path.name}/bomb.md: front matter aliases expand past 65,536")
    assert len(row["title"]) < 200 and "社会组织" in row["raw_text"]


def test_oversized_front_matter_is_refused(tmp_path):
    text = "---\ntitle: " + "长" * 70_000 + "\n---\n" + GOOD
    row = read_document(write(tmp_path, "long.md", text), tmp_path)
    assert row["status"] == "warning" and "over the limit of 65,536" in row["error"]


def test_page_of_only_navigation_or_invisible_characters_has_no_body_text(tmp_path):
    nav = "首页 > 新闻中心\n栏目导航\n版权所有 © 2020 某某网\n返回顶部\n"
    invisible = "\u200b\u200c\u200d\ufeff\u2060\n\u00a0\u3000\n"
    for name, text in (("nav.txt", nav), ("invisible.txt", invisible + "\u200b")):
        row = read_document(write(tmp_path, name, text), tmp_path)
        assert row["status"] == "warning", name
        assert "no body text" in row["error"], name
    assert read_document(write(tmp_path, "good.txt", GOOD), tmp_path)["status"] == "ok"


# --------------------------------------------------------------------------- good documents beside bad ones


def hostile_corpus(folder: Path) -> None:
    """Every kind of bad input of this file, in one folder."""
    write(folder, "report.pdf", b"%PDF-1.4\n" + bytes(range(256)))
    write(folder, "a/letter.docx", b"PK\x03\x04")
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    write(folder, "nul.txt", GOOD.encode("utf-8")[:30] + b"\x00" + GOOD.encode("utf-8")[30:])
    write(folder, "cut.txt", GOOD.encode("utf-8") + "组".encode()[:2])
    write(folder, "date.md", "---\ndate: 2020-02-30\n---\n" + GOOD)
    write(folder, "bomb.md", "---\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                             "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                             "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\ntitle: *e\n---\n" + GOOD)
    write(folder, "nav.txt", "首页 > 新闻中心\n栏目导航\n")
    write(folder, "empty.txt", b"")
    (folder / os.fsdecode(b"bad-\xff.txt")).write_bytes(GOOD.encode("utf-8"))
    write(folder, "numbers.txt", "社会组织捐款" + "9" * 400 + "元。共有1" + "0" * 19 + "名志愿者参与。\n")


def test_good_documents_keep_exactly_their_results_beside_bad_input(tmp_path):
    seed = sorted(SEEDS_DIR.glob("*.txt"))[0]
    alone, beside = tmp_path / "alone", tmp_path / "beside"
    for corpus in (alone, beside):
        write(corpus, seed.name, seed.read_bytes())
    hostile_corpus(beside)
    tables = {}
    for corpus in (alone, beside):
        with deadline(300):
            tables[corpus.name] = build_corpus(corpus, tmp_path / f"build-{corpus.name}")
    doc_id = seed.stem
    documents = tables["beside"]["documents"]
    assert documents["doc_id"].is_unique and len(documents) >= 14
    assert documents.loc[documents["path"] == "bad-\\xff.txt", "status"].item() == "warning"
    for name, table in tables["alone"].items():
        mine = table[table["doc_id"] == doc_id].reset_index(drop=True)
        other = tables["beside"][name]
        theirs = other[other["doc_id"] == doc_id].reset_index(drop=True)
        assert len(mine) > 0 or name == "dropped", name
        pd.testing.assert_frame_equal(mine, theirs, obj=name)


# --------------------------------------------------------------------------- implausible values


def test_implausible_values_are_flagged_left_out_of_the_figures_and_the_report_draws(tmp_path):
    from helpers.compare.measures import region_measures
    from helpers.extract.plausibility import implausible_reason, quantity_limits
    from helpers.report.figures import build_all_figures

    assert implausible_reason("money", 3.0e7) == ""
    assert "over the limit of 1e+13 for money" in implausible_reason("money", 1e19)
    assert implausible_reason("people", float("inf")) == "value inf is not a finite number"
    assert "negative" in implausible_reason("items", -5.0)
    assert "upper value" in implausible_reason("people", 10.0, 1e12)
    assert implausible_reason("kind nobody listed", 1e11) == ""  # the limit of 'other'
    assert set(quantity_limits()) >= {"money", "people", "organizations", "other"}

    corpus = tmp_path / "corpus"
    write(corpus, "good.txt", "陕西省社会组织积极参与疫情防控\n\n陕西省慈善协会捐款3000万元，组织志愿者500名。\n")
    write(corpus, "huge.txt", "陕西省社会组织积极参与疫情防控\n\n陕西省某基金会捐款" + "9" * 400 + "元，"
                              "动员志愿者1" + "0" * 19 + "名。\n")
    build = tmp_path / "build"
    tables = build_corpus(corpus, build)
    quantities = tables["quantities"]
    flagged = quantities[quantities["implausible"] != ""]
    assert len(flagged) >= 2 and set(flagged["doc_id"]) == {"huge"}
    assert (quantities.loc[quantities["doc_id"] == "good", "implausible"] == "").all()
    assert "implausible" in (build / "quantities.csv").read_text(encoding="utf-8").splitlines()[0]
    tables["documents"] = tables["documents"].drop(columns=["raw_text"])
    measures = region_measures(quantities, tables["documents"])
    assert "huge" not in set(measures["doc_id"]) and "good" in set(measures["doc_id"])
    records = build_all_figures(tables, tmp_path / "figures")  # 10^19 or infinity crashed fig02's axis
    assert len(records) == 5
    drawn = pd.read_csv(tmp_path / "figures" / "fig02_headline_measures.csv")
    assert drawn.select_dtypes("number").abs().max().max() < 1e13 and "huge" not in set(drawn.get("doc_id", []))


# --------------------------------------------------------------------------- every step linear in length


def test_a_line_without_punctuation_is_cut_into_bounded_pieces():
    from helpers.text.sections import MAX_SENTENCE_CHARS, sentence_spans

    unit = "社会组织志愿者协会开展核酸检测服务捐款三千万元"
    text = (unit * 20_000)[:400_000]
    spans = sentence_spans(text)
    assert max(e - s for s, e in spans) <= MAX_SENTENCE_CHARS
    assert "".join(text[s:e] for s, e in spans) == text  # nothing lost between pieces
    digits = "1" * 3000
    spans = sentence_spans(digits + "个社会组织")
    assert max(e - s for s, e in spans) <= MAX_SENTENCE_CHARS
    spaced = ("社会组织捐款3000万元 " * 200).strip()
    pieces = [spaced[s:e] for s, e in sentence_spans(spaced)]
    assert all(p.endswith("万元") for p in pieces), "a piece was cut inside an amount although spaces were there"


def test_a_long_line_and_a_long_document_take_time_in_proportion_to_length():
    import time

    from helpers.run.stages import clean_one, extract_rows

    unit = "社会组织志愿者协会开展核酸检测服务捐款三千万元"

    def seconds(n_chars: int) -> float:
        text = (unit * (n_chars // len(unit) + 1))[:n_chars]
        started = time.perf_counter()
        row = {"doc_id": "x", "raw_text": text, "format": "plain_text", "title": ""}
        cleaned = clean_one(row)
        extract_rows(pd.DataFrame(cleaned["sentences"]), pd.DataFrame(cleaned["sections"]))
        return time.perf_counter() - started

    seconds(2_000)  # the dictionaries load once
    small, large = seconds(20_000), seconds(160_000)
    # 8x the text: about 8x the time (a single 160k-character sentence took over 60 s before)
    assert large < 20 * small + 2.0, (small, large)
    # a long document of many places and receivers (向, 支援 ...): each place was tested
    # against every receiver span of the document
    unit = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt")))
    small, large = seconds(50_000), seconds(400_000)
    assert large < 20 * small + 2.0, (small, large)


def test_footer_lines_cost_linear_time():
    import time

    from helpers.text.cleaning import FOOTER_REASONS, mark_boilerplate_blocks

    footer = sorted(FOOTER_REASONS)[0]
    lines = ["正文第一句。正文第二句。"] + ["版权所有"] * 200_000 + ["正文最后一句。正文又一句。"]
    reasons = [""] + [footer] * 200_000 + [""]
    started = time.perf_counter()
    marked = mark_boilerplate_blocks(lines, reasons)
    assert time.perf_counter() - started < 5
    assert marked == reasons


def test_sentence_offset_check_is_linear_and_finds_a_misplaced_row():
    from helpers.text.sections import misplaced_sentences

    text = "一句话。" * 250_000
    sentences = pd.DataFrame({"doc_id": ["d"] * 250_000, "text": ["一句话。"] * 250_000,
                              "char_start": range(0, 1_000_000, 4), "char_end": range(4, 1_000_004, 4)})
    texts = pd.Series({"d": text}, dtype="string[pyarrow]")
    import time

    started = time.perf_counter()
    assert misplaced_sentences(texts, sentences).empty
    assert time.perf_counter() - started < 10
    sentences.loc[7, "char_start"] = 5
    assert list(misplaced_sentences(texts, sentences).index) == [7]


# --------------------------------------------------------------------------- parse_range's promise


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="0123456789.,，万萬亿億千仟百佰十拾一二三四五六七八九零〇○两兩至到-~～—余多约近超过不足半、 ()（）第a",
               max_size=10))
def test_parse_range_raises_value_error_and_nothing_else(text):
    from helpers.text.numbers import parse_range

    try:
        low, high = parse_range(text)
    except ValueError:
        return
    assert isinstance(low, float) and (high is None or high >= low)
