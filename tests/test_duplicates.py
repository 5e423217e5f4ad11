"""Each story counted once: exact and near-duplicate reports found, marked, and left out of the counts."""

from __future__ import annotations

import filecmp
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers.compare.stories import count_each_story_once, duplicate_counts, duplicate_doc_ids
from helpers.paths import SEEDS_DIR
from helpers.report.figures import duplicates_sentence
from helpers.text.duplicates import (
    MIN_SHINGLES,
    NUM_PERM,
    body_text,
    document_signature,
    duplicate_clusters,
    find_stories,
    shingles,
    text_sha256,
)

BENCH_DIR = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH_DIR))

import duplicate_pairs  # noqa: E402

REPORT = ("西安市慈善总会联合三十余家行业协会，捐赠口罩一万五千只、消毒液六百瓶。"
          "组织志愿者约三百人参与社区疫情防控，为隔离点配送生活物资。"
          "市社会组织管理局发布倡议书，动员全市社会组织依法有序参与疫情防控各项工作。")
OTHER = ("广东省深圳市龙华区义工联合会党支部发动会员四百多名，募集善款十万元。"
         "深圳市消毒清洁行业协会党支部组织开展技能培训，为社区提供专业消杀服务。")


def _signatures(texts: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([document_signature(d, t, t.split("。")) for d, t in texts.items()])


def _documents(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["doc_id", "published", "path"])


def test_exact_hash_ignores_line_ends_and_spacing_but_not_words():
    assert text_sha256("第一行\r\n第二行 ") == text_sha256("第一行\n\n 第二行") != text_sha256("第一行\n第三行")
    assert text_sha256(" \n ") == ""


def test_body_shingles_leave_out_punctuation_spaces_and_latin_debris():
    assert body_text(["當(d?ng)前，社會組織。", "KN95 口罩 3万只"]) == "當前社會組織95口罩3万只"
    assert shingles("一二三四五六") == {s.encode("utf-32-le") for s in ("一二三四五", "二三四五六")}
    assert shingles("短") == {"短".encode("utf-32-le")} and shingles("") == set()


def test_signature_is_a_minhash_of_the_body_and_the_same_every_time():
    one = document_signature("a", REPORT, [REPORT])
    assert len(one["minhash"]) == NUM_PERM and one["n_shingles"] > MIN_SHINGLES
    assert one == document_signature("a", REPORT, [REPORT])


def test_kept_member_is_the_earliest_published_then_the_first_by_path():
    texts = {"late": REPORT, "early": REPORT + "完。", "undated": REPORT, "b_path": REPORT}
    docs = _documents([("late", "2021-05-01", "a.txt"), ("early", "2020-01-01", "z.txt"),
                       ("undated", "", "0.txt"), ("b_path", "2021-05-01", "b.txt")])
    stories = find_stories(_signatures(texts), docs).set_index("doc_id")
    assert set(stories["story_id"]) == {"early"}
    assert stories.loc["early", "duplicate_of"] == "" and pd.isna(stories.loc["early", "similarity"])
    assert (stories.loc[["late", "undated", "b_path"], "duplicate_of"] == "early").all()
    # late, undated and b_path have the same text: late (dated, first by path after early) is met first
    assert stories.loc["late", "match"] == "near" and stories.loc["undated", "match"] == "exact"
    assert stories.loc["undated", "similarity"] == stories.loc["late", "similarity"]


def test_different_reports_and_a_report_quoting_one_sentence_stay_apart():
    quoting = OTHER + REPORT.split("。")[0] + "。"
    texts = {"report": REPORT, "other": OTHER, "quoting": quoting}
    docs = _documents([(d, "2020-02-01", f"{d}.txt") for d in texts])
    stories = find_stories(_signatures(texts), docs).set_index("doc_id")["story_id"]
    # the quoting report is the other report with one sentence more: that story, never the quoted one's
    assert stories.to_dict() == {"report": "report", "other": "other", "quoting": "other"}


def test_a_copy_joins_its_kept_member_never_a_chain_of_copies():
    # b is a's first 85% (similarity 0.84); c is b with a new ending: 0.69 to b but 0.58 to a
    a = REPORT + OTHER
    b = a[:int(len(a) * 0.85)]
    c = b + "".join(f"此外，第{i}批红十字会还向一线医护人员捐赠了两千套防护服和五百台额温枪。" for i in range(4))
    docs = _documents([("a", "2020-01-01", "a.txt"), ("b", "2020-01-02", "b.txt"), ("c", "2020-01-03", "c.txt")])
    stories = find_stories(_signatures({"a": a, "b": b, "c": c}), docs, threshold=0.65).set_index("doc_id")
    assert stories.loc["b", "duplicate_of"] == "a" and stories.loc["b", "similarity"] > 0.8
    assert stories.loc["c", "story_id"] == "c"


def test_bad_threshold_and_signatures_without_documents_are_refused():
    sig = _signatures({"a": REPORT})
    with pytest.raises(ValueError, match="threshold"):
        find_stories(sig, _documents([("a", "", "a.txt")]), threshold=0)
    with pytest.raises(ValueError, match="no row in the documents table"):
        find_stories(sig, _documents([("b", "", "b.txt")]))


def test_counting_each_story_once_leaves_out_the_copies_rows_only_by_default():
    stories = pd.DataFrame({"doc_id": ["a", "b", "c"], "story_id": ["a", "a", "c"],
                            "duplicate_of": ["", "a", ""], "similarity": [None, 0.9, None],
                            "match": ["", "near", ""]})
    sentences = pd.DataFrame({"doc_id": ["a", "b", "b", "c"], "sentence_id": [0, 0, 1, 0]})
    once = count_each_story_once({"sentences": sentences}, stories)["sentences"]
    assert once["doc_id"].tolist() == ["a", "c"]
    every = count_each_story_once({"sentences": sentences}, stories, count_duplicates=True)["sentences"]
    assert every is sentences
    assert duplicate_doc_ids(stories) == {"b"}
    assert duplicate_counts(stories) == (1, 1)
    assert duplicates_sentence(stories, "zh").startswith("1 篇文档是另外 1 篇的重复")
    assert "照样计入" in duplicates_sentence(stories, "zh", count_duplicates=True)
    assert duplicates_sentence(stories, "en") == (" Documents that copy another report (exact or near duplicates): 1, "
                                                  "of 1 stories; they are left out, each story counted once.")
    assert duplicates_sentence(stories.assign(duplicate_of=""), "zh") == "没有文档是其他文档的重复（精确或近似重复）。"


def test_clusters_list_the_kept_member_first():
    stories = pd.DataFrame({"doc_id": ["b", "a", "c"], "story_id": ["a", "a", "c"],
                            "duplicate_of": ["a", "", ""], "similarity": [0.8, None, None],
                            "match": ["near", "", ""]})
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "title": ["t"] * 3, "published": [""] * 3,
                         "path": ["a.txt", "b.txt", "c.txt"]})
    clusters = duplicate_clusters(stories, docs)
    assert clusters["doc_id"].tolist() == ["a", "b"] and clusters["kept"].tolist() == [True, False]


# --- done when: the seeds plus copies made in each way --------------------------------------

NOTEBOOK_04_TABLES = ("periods.csv", "region_measures.csv", "region_measures_wide.csv", "activity_profile.csv",
                      "activity_residuals.csv", "org_type_composition.csv", "distinctive_terms.csv")


def _build(corpus: Path, build: Path) -> pd.DataFrame:
    from helpers.run.stages import run_clean, run_extract, run_ingest, run_stories

    run_ingest(corpus, build)
    run_clean(build)
    run_extract(build)
    return run_stories(build)


@pytest.fixture(scope="module")
def seeds_with_copies(tmp_path_factory):
    root = tmp_path_factory.mktemp("seeds-with-copies")
    truth = duplicate_pairs.write_corpus(root / "corpus", sorted(SEEDS_DIR.iterdir()), quotes=False)
    return root, truth, _build(root / "corpus", root / "build")


def test_every_copy_of_a_seed_is_marked_with_its_original_and_no_two_reports_are_joined(seeds_with_copies):
    _, truth, stories = seeds_with_copies
    assert set(truth["kind"]) == {"original", *duplicate_pairs.COPY_MAKERS}
    check = duplicate_pairs.story_check(stories, truth)
    assert check == {"missed": [], "joined_different": [], "kept_copies": []}
    assert stories["story_id"].nunique() == len(list(SEEDS_DIR.iterdir()))


def test_a_report_quoting_a_paragraph_of_a_seed_is_not_its_duplicate(tmp_path):
    truth = duplicate_pairs.write_corpus(tmp_path / "corpus", sorted(SEEDS_DIR.iterdir()), kinds=())
    stories = _build(tmp_path / "corpus", tmp_path / "build")
    assert duplicate_pairs.story_check(stories, truth)["joined_different"] == []


@pytest.mark.pipeline
def test_notebook_04_tables_equal_those_of_the_corpus_without_the_copies(seeds_with_copies, tmp_path):
    from helpers.run.pipeline import StudyPaths, execute_notebook, study_notebooks

    root, _, _ = seeds_with_copies
    originals = tmp_path / "originals"
    shutil.copytree(root / "corpus" / duplicate_pairs.ORIGINALS_DIR, originals / duplicate_pairs.ORIGINALS_DIR)
    _build(originals, tmp_path / "build")
    notebook_04 = next(p for p in study_notebooks() if p.stem == "04_compare_regions")
    for corpus, build in ((root / "corpus", root / "build"), (originals, tmp_path / "build")):
        execute_notebook(notebook_04, StudyPaths(corpus, build, tmp_path / "figures"), "local")
    for name in NOTEBOOK_04_TABLES:
        assert filecmp.cmp(root / "build" / name, tmp_path / "build" / name, shallow=False), name
    # and counting every document, the copies show
    execute_notebook(notebook_04, StudyPaths(root / "corpus", root / "build", tmp_path / "figures"), "local",
                     count_duplicates=True)
    assert not filecmp.cmp(root / "build" / "activity_profile.csv", tmp_path / "build" / "activity_profile.csv",
                           shallow=False)


def test_the_benchmark_pairs_are_labelled_as_the_issue_asks(tmp_path):
    truth = duplicate_pairs.write_corpus(tmp_path, sorted(SEEDS_DIR.iterdir())[:3])
    pairs = duplicate_pairs.labelled_pairs(truth)
    kinds = pairs.groupby("kind")["same_story"].agg(["size", "all", "any"])
    assert kinds.loc["different_reports", "size"] == 3 and not kinds.loc["different_reports", "any"]
    assert kinds.loc["quotes_one_paragraph", "size"] == 3 and not kinds.loc["quotes_one_paragraph", "any"]
    assert all(kinds.loc[k, "all"] and kinds.loc[k, "size"] == 3 for k in duplicate_pairs.COPY_MAKERS)
    table = duplicate_pairs.threshold_table(pairs.assign(similarity=[1.0 if s else 0.1 for s in pairs["same_story"]],
                                                         exact=False), (0.05, 0.5))
    assert table["precision"].tolist() == [9 * 3 / (9 * 3 + 6), 1.0] and table["recall"].tolist() == [1.0, 1.0]
