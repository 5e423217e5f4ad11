"""The run record and the reproducibility section of figures/index.md."""

from __future__ import annotations

import hashlib
import re
import shutil

import pytest

import helpers
from helpers.corpus.manifest import corpus_manifest, manifest_digest
from helpers.paths import LOCK_FILE, PROJECT_ROOT, SEEDS_DIR
from helpers.report.citations import write_figure_index
from helpers.run import record as run_record
from helpers.run.environment import lock_digest
from helpers.run.record import COMPLETE, FAILED, RUNNING, read_record, recorded_run, reproducibility


@pytest.fixture
def seed_copy(tmp_path):
    return shutil.copytree(SEEDS_DIR, tmp_path / "seeds")


def change_one_byte(path):
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01
    path.write_bytes(bytes(data))


def write_index(corpus, figures_dir, labels="zh"):
    reproducible = reproducibility(corpus, labels).index_lines()
    return write_figure_index([], figures_dir, labels, reproducible=reproducible)


def index_digest(figures_dir):
    text = (figures_dir / "index.md").read_text(encoding="utf-8")
    return re.search(r"(?:corpus digest: |语料摘要：)`([0-9a-f]{64})`", text).group(1)


def test_the_corpus_digest_is_sha256_over_sorted_path_tab_sha256_lines(seed_copy):
    manifest = corpus_manifest(seed_copy)
    files = sorted(p for p in seed_copy.rglob("*") if p.is_file() and p.suffix in {".txt", ".html", ".htm", ".md"})
    lines = "".join(
        f"{p.relative_to(seed_copy).as_posix()}\t{hashlib.sha256(p.read_bytes()).hexdigest()}\n"
        for p in files
    )
    assert [f.path for f in manifest.files] == [p.relative_to(seed_copy).as_posix() for p in files]
    assert manifest.digest == hashlib.sha256(lines.encode("utf-8")).hexdigest()
    assert manifest.total_bytes == sum(p.stat().st_size for p in files)
    assert manifest_digest(reversed(manifest.files)) == manifest.digest


def test_one_byte_of_a_seed_changes_the_corpus_digest_in_the_index(seed_copy, tmp_path):
    before, after = tmp_path / "before", tmp_path / "after"
    write_index(seed_copy, before)
    write_index(seed_copy, tmp_path / "again")
    change_one_byte(sorted(seed_copy.glob("*.txt"))[0])
    write_index(seed_copy, after)
    assert (before / "index.md").read_bytes() == (tmp_path / "again" / "index.md").read_bytes()
    assert index_digest(before) != index_digest(after)
    changed = set((after / "index.md").read_text().splitlines()) - set((before / "index.md").read_text().splitlines())
    assert len(changed) == 1 and index_digest(after) in changed.pop()


@pytest.mark.parametrize("labels", ["zh", "en"])
def test_the_index_states_version_environment_and_parameters_but_no_time_or_commit(tmp_path, labels):
    write_index(SEEDS_DIR, tmp_path, labels)
    text = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert f"`{helpers.__version__}`" in text and index_digest(tmp_path) == corpus_manifest(SEEDS_DIR).digest
    assert lock_digest(LOCK_FILE) in text
    assert "corpus_dir = 'seeds'" in text and f"labels = '{labels}'" in text
    assert str(PROJECT_ROOT) not in text
    assert not re.search(r"\b20\d\d-\d\d-\d\d", text), "a date would change from run to run"
    assert not re.search(r"\b[0-9a-f]{40}\b", text), "a commit would change from commit to commit"


def test_a_run_records_running_then_complete_with_every_field(seed_copy, tmp_path):
    build = tmp_path / "build"
    parameters = {"corpus_dir": str(seed_copy), "engine": "local"}
    with recorded_run(seed_copy, build, parameters):
        running = read_record(build)
    done = read_record(build)
    assert running["status"] == RUNNING and running["ended"] is None
    assert done["status"] == COMPLETE and done["error"] is None
    assert done["started"] <= done["ended"] and done["ended"].endswith("Z")
    assert done["code"]["version"] == helpers.__version__
    assert done["code"]["package"] == "covid-social-orgs"
    assert done["python"]["version"].startswith("3.11")
    assert done["environment"]["lock_sha256"] == lock_digest(LOCK_FILE)
    assert done["environment"]["matches_lock"] is True
    assert done["parameters"] == parameters
    corpus = done["corpus"]
    manifest = corpus_manifest(seed_copy)
    assert corpus["digest"] == manifest.digest and corpus["files"] == len(manifest.files) > 0
    assert corpus["manifest"][0] == {"path": manifest.files[0].path, "bytes": manifest.files[0].bytes,
                                     "sha256": manifest.files[0].sha256}
    assert corpus["bytes"] == sum(entry["bytes"] for entry in corpus["manifest"])
    if done["code"]["git_commit"] is not None:
        assert re.fullmatch(r"[0-9a-f]{40}", done["code"]["git_commit"])
        assert isinstance(done["code"]["git_dirty"], bool)
    assert not list(build.glob(".run_record.json.*")), "no partial record left beside it"


def test_a_failed_run_is_recorded_as_failed_with_its_error(seed_copy, tmp_path):
    build = tmp_path / "build"
    with pytest.raises(RuntimeError, match="05_report"):
        with recorded_run(seed_copy, build, {}):
            raise RuntimeError("05_report failed in cell 3")
    record = read_record(build)
    assert record["status"] == FAILED and "05_report failed in cell 3" in record["error"]
    assert record["ended"] is not None


def test_without_git_the_record_says_so(monkeypatch, tmp_path):
    monkeypatch.setattr(run_record.shutil, "which", lambda name: None)
    state = run_record.git_state()
    assert state["git_commit"] is None and state["git_dirty"] is None
    assert "git is not installed" in state["git_unavailable"]


def test_outside_a_checkout_the_record_says_so(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    state = run_record.git_state(tmp_path)
    assert state["git_commit"] is None and "not a git checkout" in state["git_unavailable"]


def test_a_checkout_gives_commit_and_dirty_flag(tmp_path):
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    import subprocess

    def run(*args):
        subprocess.run([git, "-C", str(tmp_path), *args], check=True, capture_output=True)

    run("init", "-q")
    (tmp_path / "a.txt").write_text("a")
    run("add", "a.txt")
    run("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "a")
    clean = run_record.git_state(tmp_path)
    (tmp_path / "a.txt").write_text("b")
    dirty = run_record.git_state(tmp_path)
    assert re.fullmatch(r"[0-9a-f]{40}", clean["git_commit"]) and clean["git_dirty"] is False
    assert dirty["git_commit"] == clean["git_commit"] and dirty["git_dirty"] is True



def test_an_unreadable_document_is_in_the_manifest_and_the_digest(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("甲", encoding="utf-8")
    (corpus / "notes.pdf").write_bytes(b"%PDF")  # not a document: not in the manifest
    (corpus / "gone.txt").symlink_to(tmp_path / "missing.txt")
    manifest = corpus_manifest(corpus)
    assert [(f.path, f.sha256) for f in manifest.files] == [
        ("a.txt", hashlib.sha256("甲".encode()).hexdigest()),
        ("gone.txt", "unreadable"),
    ]
    (corpus / "gone.txt").unlink()
    assert corpus_manifest(corpus).digest != manifest.digest
