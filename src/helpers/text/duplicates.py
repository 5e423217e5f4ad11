"""Each story once: exact and near-duplicate reports.

Chinese reports are re-posted across sites, re-encoded, converted to Traditional and
back, trimmed, or framed by another site's navigation. Two steps find the copies:

1. **Per document, in the clean stage** (so on every engine, in parallel):
   :func:`document_signature` gives the sha256 of the *normalized cleaned text*
   (the cleaned Simplified text, NFKC, without whitespace: the same whatever the
   encoding, script or line ends) and a MinHash signature (``datasketch``,
   :data:`NUM_PERM` permutations) of the set of character :data:`SHINGLE_SIZE`-grams
   of the **body text**: the sentences of in-body sections, Han characters and digits
   only. Navigation, headers and footers are marked out of the body by the cleaning;
   punctuation, spaces and latin letters are left out, so conversion damage the
   cleaning could not repair (``當(d?ng)``, ``?`` for a character an encoding lacks)
   costs a few shingles at most.
2. **Once over the corpus** (cheap: no text is read again): :func:`find_stories`
   walks the documents from the earliest published (undated last, then by path),
   looks each one up among the stories' kept members with MinHash LSH
   (``datasketch.MinHashLSH``) and joins it to the most similar kept member whose
   estimated Jaccard similarity is at least the threshold; an identical normalized
   text joins at once (``match = exact``). A document joins a kept member, never
   another copy, so stories do not grow by chains of small differences.

Jaccard similarity of shingle sets is the share of their union they have in common:
a copy with a trimmed ending or other navigation keeps most of its shingles, while a
report quoting one paragraph of another shares only that paragraph's shingles out of
both texts' (similarity about 0.1). ``benchmarks/duplicate_pairs.py`` measures the
threshold's precision and recall on pairs built from the seeds and the development
corpus.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

#: Characters per shingle. Five Han characters are about two words: short enough that a
#: changed character or a conversion variant costs few shingles, long enough that two
#: different reports on the same event share few.
SHINGLE_SIZE = 5
#: MinHash permutations: the similarity estimate's standard error is about
#: sqrt(J(1-J)/NUM_PERM), 0.044 at J = 0.5.
NUM_PERM = 128
MINHASH_SEED = 1
MINHASH_SCHEME = "affine32"
#: Default least estimated Jaccard similarity of two documents' body shingles for the
#: later one to be a copy of the earlier (notebook 02's ``duplicate_threshold``).
DEFAULT_THRESHOLD = 0.45
#: Bodies with fewer shingles (about 20 characters) are too short to compare: they are
#: joined only by an identical normalized text.
MIN_SHINGLES = 16

EXACT, NEAR = "exact", "near"

_NOT_HAN_OR_DIGIT = re.compile(r"[^0-9\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_SPACE = re.compile(r"\s+")


def normalized_text(text: str) -> str:
    """``text`` as exact duplicates are compared: NFKC, without any whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def text_sha256(text: str) -> str:
    """sha256 of :func:`normalized_text` (``''`` for a text with nothing in it)."""
    normalized = normalized_text(text)
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest() if normalized else ""


def body_text(sentences: Iterable[str]) -> str:
    """The body sentences run together, Han characters and digits only."""
    return _NOT_HAN_OR_DIGIT.sub("", unicodedata.normalize("NFKC", "".join(sentences)))


def shingles(body: str, size: int = SHINGLE_SIZE) -> set[bytes]:
    """The distinct character ``size``-grams of ``body`` (UTF-32 bytes), or the whole
    of a shorter body."""
    data = body.encode("utf-32-le")
    width = 4 * size
    if len(data) <= width:
        return {data} if data else set()
    return {data[i:i + width] for i in range(0, len(data) - width + 4, 4)}


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme=MINHASH_SCHEME).permutations


def minhash_of(shingle_set: set[bytes]):
    """The ``datasketch.MinHash`` of a set of shingles (each hashed with CRC-32)."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme=MINHASH_SCHEME,
                      permutations=_permutations(), hashfunc=zlib.crc32)
    minhash.update_batch(shingle_set)
    return minhash


def document_signature(doc_id: str, text_clean: str, sentences: Iterable[str]) -> dict:
    """One row of the ``signatures`` table: the document's exact-text hash, its number of
    body shingles and their MinHash (:data:`NUM_PERM` unsigned 32-bit values)."""
    shingle_set = shingles(body_text(sentences))
    return {
        "doc_id": doc_id,
        "text_sha256": text_sha256(text_clean),
        "n_shingles": len(shingle_set),
        "minhash": minhash_of(shingle_set).hashvalues.tolist(),
    }


def signature_matrix(minhashes: Iterable) -> np.ndarray:
    """The ``minhash`` column of a ``signatures`` table as an (n, NUM_PERM) uint32 array."""
    rows = [np.asarray(m, dtype=np.uint32) for m in minhashes]
    if not rows:
        return np.empty((0, NUM_PERM), dtype=np.uint32)
    bad = next((i for i, m in enumerate(rows) if m.shape != (NUM_PERM,)), None)
    if bad is not None:
        raise ValueError(f"signature {bad} has {rows[bad].size} values, not {NUM_PERM}: "
                         "it was made with other settings; re-run the clean stage")
    return np.vstack(rows)


def kept_member_order(documents: pd.DataFrame) -> list[int]:
    """Positions of ``documents`` (doc_id, published, path) in the order stories keep their
    members: earliest published first (ISO dates; undated last), then by path, then doc_id."""
    published = documents["published"].fillna("").astype(str).tolist()
    paths = documents["path"].fillna("").astype(str).tolist()
    doc_ids = documents["doc_id"].astype(str).tolist()
    return sorted(range(len(documents)),
                  key=lambda i: (published[i] == "", published[i], paths[i], doc_ids[i]))


STORY_COLUMNS = ["doc_id", "story_id", "duplicate_of", "similarity", "match"]


def find_stories(signatures: pd.DataFrame, documents: pd.DataFrame,
                 threshold: float = DEFAULT_THRESHOLD, matrix: np.ndarray | None = None) -> pd.DataFrame:
    """One row per document of ``signatures``, in its order: ``story_id`` (the doc_id of the
    story's kept member), ``duplicate_of`` (the kept member, empty for the kept member
    itself), ``similarity`` (estimated Jaccard similarity of the body shingles to the
    kept member, 1.0 for an identical normalized text; empty for a kept member) and
    ``match`` (``exact``, ``near`` or empty).

    ``documents`` gives each doc_id's ``published`` date and ``path``, which decide the
    kept member (earliest published, then first by path). ``matrix`` is the ``minhash``
    column already read as an array (:func:`signature_matrix`).
    """
    from datasketch import LeanMinHash, MinHashLSH

    if not 0 < threshold <= 1:
        raise ValueError(f"duplicate threshold {threshold!r} must be in (0, 1]")
    meta = documents[["doc_id", "published", "path"]].drop_duplicates("doc_id").set_index("doc_id")
    missing = sorted(set(signatures["doc_id"]) - set(meta.index))
    if missing:
        raise ValueError(f"documents {missing[:5]} have signatures but no row in the documents table: "
                         "re-run the ingest and clean stages")
    doc_ids = signatures["doc_id"].astype(str).tolist()
    matrix = signature_matrix(signatures["minhash"]) if matrix is None else matrix
    if matrix.shape != (len(doc_ids), NUM_PERM):
        raise ValueError(f"the signatures have {matrix.shape[-1]} values each, not {NUM_PERM}: they were "
                         "made with other settings; re-run the clean stage")
    hashes = signatures["text_sha256"].fillna("").astype(str).tolist()
    n_shingles = signatures["n_shingles"].astype(int).tolist()
    order = kept_member_order(meta.loc[doc_ids].reset_index())
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    story = list(range(len(doc_ids)))
    similarity = [np.nan] * len(doc_ids)
    match = [""] * len(doc_ids)
    first_with_text: dict[str, int] = {}
    for i in order:
        earlier = first_with_text.get(hashes[i]) if hashes[i] else None
        if earlier is not None:
            story[i] = story[earlier]
            similarity[i] = 1.0 if story[earlier] == earlier else similarity[earlier]
            match[i] = EXACT
            continue
        if hashes[i]:
            first_with_text[hashes[i]] = i
        if n_shingles[i] < MIN_SHINGLES:
            continue
        minhash = LeanMinHash(seed=MINHASH_SEED, hashvalues=matrix[i], scheme=MINHASH_SCHEME)
        candidates = lsh.query(minhash)
        if candidates:
            shares = np.count_nonzero(matrix[candidates] == matrix[i], axis=1) / NUM_PERM
            best = max(range(len(candidates)), key=lambda c: (shares[c], -rank[candidates[c]]))
            if shares[best] >= threshold:
                story[i] = candidates[best]
                similarity[i] = float(shares[best])
                match[i] = NEAR
                continue
        lsh.insert(i, minhash, check_duplication=False)
    story_ids = [doc_ids[s] for s in story]
    return pd.DataFrame({
        "doc_id": doc_ids,
        "story_id": story_ids,
        "duplicate_of": [sid if sid != d else "" for sid, d in zip(story_ids, doc_ids, strict=True)],
        "similarity": similarity,
        "match": match,
    }, columns=STORY_COLUMNS)


def duplicate_clusters(stories: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """The stories found more than once, a row per member (kept member first), with the
    title, date and path a researcher needs to check them."""
    sizes = stories.groupby("story_id")["doc_id"].transform("size")
    members = stories[sizes > 1].merge(documents[["doc_id", "title", "published", "path"]],
                                       on="doc_id", how="left")
    members["kept"] = members["duplicate_of"] == ""
    members = members.sort_values(["story_id", "kept", "published", "path"],
                                  ascending=[True, False, True, True], kind="stable")
    return members[["story_id", "doc_id", "kept", "match", "similarity", "published", "title", "path"]] \
        .reset_index(drop=True)
