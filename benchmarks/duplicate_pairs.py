"""Precision and recall of the duplicate threshold, on pairs built from the seeds and the
development corpus.

    python benchmarks/duplicate_pairs.py --results benchmarks/DUPLICATES.md

Every report of ``seeds/`` and ``dev/docs/`` (the *originals*) is copied in each of the
ways the web copies reports (:data:`COPY_MAKERS`): other navigation, a trimmed ending,
a few changed characters, GBK (GB18030 for the few characters GBK lacks) and Big5
re-encodings (``?`` for a character Big5 lacks), Traditional characters (OpenCC
``s2t``), pinyin artefacts of a conversion (``萬(wàn)元``), Windows line ends, and
navigation, trimming and Traditional at once. Each original is also quoted in part:
one of its paragraphs put into another report (:func:`quoting_report`), which stays
that other report's story.

The pairs judged: every (original, copy) pair is the same story; every pair of two
originals (different reports, some on the same event or province) and every
(original, report quoting one paragraph of it) pair is not. For each threshold a pair
counts as joined when its estimated Jaccard similarity reaches the threshold or its
normalized texts are identical (:mod:`helpers.text.duplicates`); precision and recall
are over the pairs. The whole corpus is then run through the clean stage and the
stories pass at the default threshold, and every document's story is checked.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import opencc
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (ROOT / "seeds", ROOT / "dev" / "docs")
ORIGINALS_DIR, COPIES_DIR = "1_originals", "2_copies"
THRESHOLDS = (0.3, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9)

#: Navigation of another site, as page furniture reads once it is text.
OTHER_HEADER = [
    "首页 | 新闻中心 | 政务公开 | 办事服务 | 互动交流 | 专题专栏",
    "当前位置：首页 > 新闻动态 > 工作动态",
    "【字体：大 中 小】 【打印本页】 【关闭窗口】",
]
OTHER_FOOTER = [
    "责任编辑：张明",
    "上一篇：关于做好春节期间社会组织管理工作的通知",
    "下一篇：全市民政系统召开视频调度会",
    "主办单位：某市民政局 版权所有 地址：人民路1号 电话：0000-1234567",
    "ICP备案号：00ICP备12345678号",
]
#: Pinyin a conversion left behind, for characters it touched (as in the development corpus).
PINYIN = {
    "萬": "wàn", "會": "huì", "協": "xié", "織": "zhī", "組": "zǔ", "願": "yuàn", "務": "wù",
    "區": "qū", "資": "zī", "捐": "juān", "贈": "zèng", "愛": "ài", "動": "dòng", "參": "cān",
    "與": "yǔ", "發": "fā", "開": "kāi", "關": "guān", "國": "guó", "導": "dǎo",
    "業": "yè", "衛": "wèi", "員": "yuán", "機": "jī", "構": "gòu", "為": "wèi", "個": "gè",
}
FILLER_CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"


def _split_front_matter(text: str) -> tuple[str, str]:
    """``(front matter with its closing line, the rest)`` of a page that starts with one."""
    match = re.match(r"\s*---\n.*?\n---\n", text, flags=re.S)
    return (text[:match.end()], text[match.end():]) if match else ("", text)


def _is_html(text: str) -> bool:
    return bool(re.search(r"<(?:p|div|br|body)\b", text, flags=re.I))


def _as_lines(lines: list[str], html: bool) -> str:
    return "".join(f"<div>{line}</div>\n" if html else f"{line}\n" for line in lines)


def renavigated(text: str, rng: random.Random) -> str:
    """The report with its own leading and trailing furniture (short lines before the first
    and after the last line of prose) replaced by another site's navigation and footer."""
    front, body = _split_front_matter(text)
    html = _is_html(body)
    lines = body.split("\n")
    prose = [i for i, line in enumerate(lines) if len(line.strip()) >= 30]
    if prose:
        lines = lines[prose[0]:prose[-1] + 1]
    return front + _as_lines(OTHER_HEADER, html) + "\n".join(lines) + "\n" + _as_lines(OTHER_FOOTER, html)


def trimmed(text: str, rng: random.Random) -> str:
    """The report cut before its last paragraph of prose (a line, or a ``<p>`` element,
    of at least 30 characters of text)."""
    starts = [0] + [m.end() for m in re.finditer(r"\n|</p>", text)]
    ends = starts[1:] + [len(text)]
    prose = [a for a, b in zip(starts, ends, strict=True)
             if len(re.sub(r"<[^>]+>|\s", "", text[a:b])) >= 30]
    return text[:prose[-1]] if len(prose) > 1 else text


def changed_characters(text: str, rng: random.Random, share: float = 0.01) -> str:
    """A few Han characters (1%, at least 3) replaced by other common characters."""
    chars = list(text)
    han = [i for i, c in enumerate(chars) if "\u4e00" <= c <= "\u9fff"]
    for i in rng.sample(han, min(len(han), max(3, int(len(han) * share)))):
        chars[i] = rng.choice([c for c in FILLER_CHARS if c != chars[i]])
    return "".join(chars)


def _s2t(text: str) -> str:
    return opencc.OpenCC("s2t").convert(text)


def traditional(text: str, rng: random.Random) -> str:
    """The report in Traditional characters (OpenCC ``s2t``)."""
    return _s2t(text)


def pinyin_artefacts(text: str, rng: random.Random) -> str:
    """Traditional characters with pinyin left after the converted ones (``萬(wàn)元``)."""
    return "".join(f"{c}({PINYIN[c]})" if c in PINYIN else c for c in _s2t(text))


def windows_line_ends(text: str, rng: random.Random) -> str:
    return text.replace("\n", "\r\n")


def renavigated_trimmed_traditional(text: str, rng: random.Random) -> str:
    return traditional(renavigated(trimmed(text, rng), rng), rng)


#: kind -> (make the copy's text, its encoding).
COPY_MAKERS: dict[str, tuple[Callable[[str, random.Random], str], str]] = {
    "renavigated": (renavigated, "utf-8"),
    "trimmed": (trimmed, "utf-8"),
    "changed_chars": (changed_characters, "utf-8"),
    "gbk": (lambda text, rng: text, "gb18030"),
    "big5": (traditional, "big5"),
    "traditional": (traditional, "utf-8"),
    "pinyin": (pinyin_artefacts, "utf-8"),
    "crlf": (windows_line_ends, "utf-8"),
    "renavigated_trimmed_traditional": (renavigated_trimmed_traditional, "utf-8"),
}


def quoting_report(host: str, quoted: str) -> str:
    """``host`` with the longest paragraph of ``quoted`` (a line, or a ``<p>`` element)
    put in after its first third: a different report that quotes ``quoted`` in part."""
    _, quoted_body = _split_front_matter(quoted)
    paragraphs = [re.sub(r"<[^>]+>", "", p).strip() for p in re.split(r"\n|</p>", quoted_body)]
    paragraph = max(paragraphs, key=len)
    front, body = _split_front_matter(host)
    at = body.find("\n", len(body) // 3)
    at = len(body) if at < 0 else at
    line = f"<p>{paragraph}</p>" if _is_html(body) else paragraph
    return front + body[:at] + "\n" + line + "\n" + body[at:]


def original_files(sources: tuple[Path, ...] = SOURCES) -> list[Path]:
    return [p for source in sources for p in sorted(source.iterdir()) if p.is_file()]


def write_corpus(out_dir: Path, originals: list[Path], kinds: tuple[str, ...] = tuple(COPY_MAKERS),
                 quotes: bool = True, seed: int = 19) -> pd.DataFrame:
    """Write the originals, their copies and the quoting reports under ``out_dir``; return
    the truth: one row per file with its doc_id, the doc_id of its story's original and
    how it was made (``original``, a copy kind, or ``quotes:<doc_id>``).

    Originals sit in ``1_originals/`` and copies in ``2_copies/``, so where dates tie an
    original comes first by path and is its story's kept member.
    """
    rng = random.Random(seed)
    (out_dir / ORIGINALS_DIR).mkdir(parents=True, exist_ok=True)
    (out_dir / COPIES_DIR).mkdir(parents=True, exist_ok=True)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in originals}
    rows = []
    for stem, text in texts.items():
        (out_dir / ORIGINALS_DIR / f"{stem}.txt").write_text(text, encoding="utf-8", newline="")
        rows.append((stem, stem, "original"))
        for kind in kinds:
            make, encoding = COPY_MAKERS[kind]
            copy = make(text, rng)
            name = f"{stem}__{kind}"
            (out_dir / COPIES_DIR / f"{name}.txt").write_bytes(copy.encode(encoding, errors="replace"))
            rows.append((name, stem, kind))
    if quotes:
        stems = list(texts)
        for quoted, host in zip(stems, stems[1:] + stems[:1], strict=True):
            name = f"{host}__quotes_{quoted}"
            (out_dir / COPIES_DIR / f"{name}.txt").write_text(quoting_report(texts[host], texts[quoted]),
                                                              encoding="utf-8", newline="")
            rows.append((name, host, f"quotes:{quoted}"))
    return pd.DataFrame(rows, columns=["doc_id", "original", "kind"])


def labelled_pairs(truth: pd.DataFrame) -> pd.DataFrame:
    """The pairs judged: (original, copy) same story; two originals, and (original, report
    quoting it) different stories."""
    originals = truth.loc[truth["kind"] == "original", "doc_id"].tolist()
    copies = truth[~truth["kind"].isin(["original"]) & ~truth["kind"].str.startswith("quotes:")]
    quoting = truth[truth["kind"].str.startswith("quotes:")]
    rows = [(r.original, r.doc_id, r.kind, True) for r in copies.itertuples()]
    rows += [(a, b, "different_reports", False) for a, b in itertools.combinations(originals, 2)]
    rows += [(r.kind.split(":", 1)[1], r.doc_id, "quotes_one_paragraph", False) for r in quoting.itertuples()]
    return pd.DataFrame(rows, columns=["a", "b", "kind", "same_story"])


def pair_similarities(pairs: pd.DataFrame, signatures: pd.DataFrame) -> pd.DataFrame:
    """``pairs`` with the estimated Jaccard similarity of their body shingles and whether
    their normalized texts are identical."""
    from helpers.text.duplicates import NUM_PERM, signature_matrix

    index = {d: i for i, d in enumerate(signatures["doc_id"])}
    matrix = signature_matrix(signatures["minhash"])
    hashes = signatures["text_sha256"].tolist()
    a = np.array([index[d] for d in pairs["a"]])
    b = np.array([index[d] for d in pairs["b"]])
    return pairs.assign(similarity=np.count_nonzero(matrix[a] == matrix[b], axis=1) / NUM_PERM,
                        exact=[hashes[i] == hashes[j] != "" for i, j in zip(a, b, strict=True)])


def threshold_table(scored: pd.DataFrame, thresholds: tuple[float, ...] = THRESHOLDS) -> pd.DataFrame:
    """Precision and recall of the pairs joined at each threshold."""
    rows = []
    for t in thresholds:
        joined = scored["exact"] | (scored["similarity"] >= t)
        tp = int((joined & scored["same_story"]).sum())
        fp = int((joined & ~scored["same_story"]).sum())
        fn = int((~joined & scored["same_story"]).sum())
        rows.append((t, tp, fp, fn, tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0))
    return pd.DataFrame(rows, columns=["threshold", "joined_same", "joined_different", "missed",
                                       "precision", "recall"])


def story_check(stories: pd.DataFrame, truth: pd.DataFrame) -> dict[str, list[str]]:
    """For the whole corpus through the stories pass: copies not in their original's story
    (``missed``), documents joined to a different report (``joined_different``: an
    original to another, a quoting report to the report it quotes) and copies kept as a
    story's member in place of their original (``kept_copies``). A quoting report may
    stand alone or join the report it was made from."""
    merged = truth.merge(stories, on="doc_id")
    quoting = merged["kind"].str.startswith("quotes:")
    is_copy = ~quoting & (merged["kind"] != "original")
    in_own_story = merged["story_id"] == merged["original"]
    alone = merged["story_id"] == merged["doc_id"]
    return {
        "missed": merged.loc[is_copy & ~in_own_story, "doc_id"].tolist(),
        "joined_different": merged.loc[~is_copy & ~in_own_story & ~(quoting & alone), "doc_id"].tolist(),
        "kept_copies": merged.loc[is_copy & (merged["duplicate_of"] == ""), "doc_id"].tolist(),
    }


def measure(work_dir: Path, threshold: float | None = None, engine: str = "local",
            sizes: tuple[int, ...] = (10_000, 100_000)) -> dict:
    """Build the evaluation corpus in ``work_dir``, run ingest, clean and the stories pass,
    and return the pairs' scores, the threshold table, the stories check and timings
    (signatures per second, the stories pass on synthetic signatures of ``sizes`` documents)."""
    from helpers.run.stages import run_clean, run_ingest, run_stories
    from helpers.run.tables import read_table
    from helpers.text.duplicates import DEFAULT_THRESHOLD

    corpus, build = work_dir / "corpus", work_dir / "build"
    truth = write_corpus(corpus, original_files())
    run_ingest(corpus, build, engine=engine)
    started = time.perf_counter()
    run_clean(build, engine=engine)
    clean_s = time.perf_counter() - started
    started = time.perf_counter()
    stories = run_stories(build, threshold)
    stories_s = time.perf_counter() - started
    scored = pair_similarities(labelled_pairs(truth), read_table(build, "signatures"))
    return {"signatures_per_s": time_signatures(build),
            "stories_pass_s": {n: time_stories_pass(n) for n in sizes},"truth": truth, "scored": scored, "table": threshold_table(scored), "stories": stories,
            "check": story_check(stories, truth), "clean_s": clean_s, "stories_s": stories_s,
            "threshold": DEFAULT_THRESHOLD if threshold is None else threshold}


def time_signatures(build: Path, repeats: int = 3) -> float:
    """Signatures per second: :func:`~helpers.text.duplicates.document_signature` of every
    cleaned document of ``build`` (its text and body sentences), ``repeats`` times."""
    from helpers.run.tables import read_table
    from helpers.text.duplicates import document_signature

    texts = read_table(build, "texts")
    sentences = read_table(build, "sentences").groupby("doc_id", sort=False)["text"].apply(list).to_dict()
    docs = [(d, t, sentences.get(d, [])) for d, t in zip(texts["doc_id"], texts["text_clean"], strict=True)]
    started = time.perf_counter()
    for _ in range(repeats):
        for doc in docs:
            document_signature(*doc)
    return repeats * len(docs) / (time.perf_counter() - started)


def time_stories_pass(n: int, copies: float = 0.2, seed: int = 19) -> float:
    """Seconds :func:`~helpers.text.duplicates.find_stories` takes over ``n`` signatures, a
    share ``copies`` of them near copies of another (a fifth of their values changed)."""
    from helpers.text.duplicates import NUM_PERM, find_stories

    rng = np.random.default_rng(seed)
    matrix = rng.integers(0, 2**32, size=(n, NUM_PERM), dtype=np.uint32)
    copied = rng.random(n) < copies
    originals = rng.integers(0, n, size=n)
    changed = rng.random((n, NUM_PERM)) < 0.2
    rows = copied & (originals < np.arange(n))
    matrix[rows] = np.where(changed[rows], matrix[rows], matrix[originals[rows]])
    doc_ids = [f"d{i:07d}" for i in range(n)]
    signatures = pd.DataFrame({"doc_id": doc_ids, "text_sha256": [f"h{i}" for i in range(n)],
                               "n_shingles": 1000})
    documents = pd.DataFrame({"doc_id": doc_ids, "published": "", "path": doc_ids})
    started = time.perf_counter()
    find_stories(signatures, documents, matrix=matrix)
    return time.perf_counter() - started


def report(result: dict) -> str:
    """The measurements as Markdown."""
    scored, table, check = result["scored"], result["table"], result["check"]
    positives, negatives = scored[scored["same_story"]], scored[~scored["same_story"]]
    lines = [
        "# Duplicate detection: precision and recall of the threshold",
        "",
        "`python benchmarks/duplicate_pairs.py --results benchmarks/DUPLICATES.md`",
        "",
        f"{len(result['truth'])} documents: {int((result['truth']['kind'] == 'original').sum())} originals "
        "(seeds/ and dev/docs/), a copy of each made each way below, and one report quoting one paragraph "
        f"of each. {len(positives)} pairs of the same story, {len(negatives)} pairs of different reports.",
        "",
        "## Pairs joined at each threshold (estimated Jaccard similarity of body 5-grams, or identical text)",
        "",
        "```", table.to_string(index=False, float_format="{:.3f}".format), "```",
        "",
        "## Similarity by kind of pair",
        "",
        "```",
        scored.groupby("kind").agg(pairs=("similarity", "size"), exact=("exact", "sum"),
                                   min=("similarity", "min"), median=("similarity", "median"),
                                   max=("similarity", "max")).to_string(float_format="{:.3f}".format),
        "```",
        "",
        f"## The whole corpus through the stories pass (threshold {result['threshold']})",
        "",
        f"Copies not marked with their original: {len(check['missed'])} {check['missed'][:10]}; "
        f"documents joined to a different report: {len(check['joined_different'])} "
        f"{check['joined_different'][:10]}; copies kept in place of their original: {len(check['kept_copies'])}. "
        f"Clean stage (signatures included) {result['clean_s']:.1f} s, stories pass {result['stories_s']:.2f} s "
        f"for {len(result['stories'])} documents.",
        "",
        "## Speed",
        "",
        f"Signatures (hash, shingles, MinHash) of the cleaned documents above: {result['signatures_per_s']:,.0f} "
        "documents per second in one process. The stories pass (LSH over stored signatures, a fifth of them "
        "near copies): " + ", ".join(f"{n:,} documents {s:.1f} s" for n, s in result["stories_pass_s"].items())
        + ". The machine is shared: timings vary by a half from hour to hour.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, help="write the Markdown report here")
    parser.add_argument("--threshold", type=float, help="the stories pass's threshold (default: the study's)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="duplicate-pairs-") as tmp:
        text = report(measure(Path(tmp), args.threshold))
    print(text)
    if args.results:
        args.results.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
