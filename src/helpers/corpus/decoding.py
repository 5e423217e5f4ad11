"""Bytes to text: BOMs, strict UTF-8, BOM-less UTF-16, then GB18030/GBK or Big5.

The legacy Chinese encodings are told apart by how plausible the decoded
characters are as Chinese text (:func:`chinese_plausibility`); a file that looks
binary is refused (:class:`~helpers.corpus.documents.DocumentProblem` is raised by the caller).
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .normalize import t2s_convert

# Tried in this order after UTF-8; the first of equally plausible decodings wins.
LEGACY_CJK_ENCODINGS = ("gb18030", "big5", "cp950", "big5hkscs")


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Control characters that never occur in text (tab, LF, CR, FF and ESC are allowed).
_CONTROL_BYTES = frozenset(set(range(0x00, 0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B} | {0x7F})
_BINARY_CONTROL_SHARE = 0.10

_COMMON_CJK_PUNCTUATION = frozenset("，。、；：？！“”‘’（）《》〈〉【】「」『』—…·～〔〕")


class DocumentProblem(Exception):
    """A problem that makes a document unusable (``status='failed'``)."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    problems: tuple[str, ...] = ()
    """Damage repaired while decoding (stray NULs, a truncated or broken UTF-8 character),
    each with its byte offset: the document is kept with status ``warning``."""


#: Up to this share of NUL bytes (outside UTF-16) is damage in a text file, removed with a
#: warning; more is a binary file.
MAX_STRAY_NUL_SHARE = 0.001
#: Text that is valid UTF-8 but for a few bytes (at most this share, and at least ten
#: multi-byte characters per invalid byte) is damaged UTF-8, not a legacy encoding.
MAX_BROKEN_UTF8_SHARE = 0.001


def decode_document_bytes(data: bytes) -> DecodedText:
    """Decode a file's bytes, detecting the encoding; raise :class:`DocumentProblem` if unusable.

    Order: empty file; byte-order marks; BOM-less UTF-16 (NUL bytes all on one
    side of the code units); binary content; strict UTF-8; then each
    Chinese legacy encoding strictly, keeping the most plausible Chinese text.
    """
    if not data:
        raise DocumentProblem("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_strictly(data, encoding)
    utf16 = bomless_utf16_encoding(data)
    if utf16:
        return _decode_strictly(data, utf16)
    if looks_binary(data):
        raise DocumentProblem("binary file, not text")
    problems: list[str] = []
    nuls = data.count(0)
    if nuls:
        problems.append(f"{nuls} NUL byte{'s' if nuls > 1 else ''} removed (first at byte offset {data.index(0)})")
    try:
        return DecodedText(data.decode("utf-8").replace("\x00", ""), "utf-8", tuple(problems))
    except UnicodeDecodeError as exc:
        utf8_failure = f"utf-8 (byte offset {exc.start})"
        damaged = damaged_utf8(data, exc)
    if damaged is not None:
        text, problem = damaged
        return DecodedText(text.replace("\x00", ""), "utf-8", (*problems, problem))
    decoded = decode_legacy_chinese(data.replace(b"\x00", b"") if nuls else data, tried=[utf8_failure])
    return DecodedText(decoded.text, decoded.encoding, tuple(problems))


def damaged_utf8(data: bytes, first_error: UnicodeDecodeError) -> tuple[str, str] | None:
    """``(text, problem)`` when ``data`` is UTF-8 with a little damage, else ``None``.

    A character cut off at the end of the file ("truncated") is dropped; a few invalid
    bytes elsewhere become U+FFFD. Either way the problem names the byte offset.
    """
    if first_error.end == len(data) and first_error.reason == "unexpected end of data":
        try:
            text = data[: first_error.start].decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None:
            return text, (f"truncated: the last UTF-8 character is cut off at byte offset "
                          f"{first_error.start} ({len(data) - first_error.start} byte(s) dropped)")
    offsets: list[int] = []

    def record(err: UnicodeDecodeError):
        offsets.append(err.start)
        return "\ufffd", err.end

    codecs.register_error("helpers-record-utf8", record)
    text = data.decode("utf-8", errors="helpers-record-utf8")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if len(offsets) > max(1, MAX_BROKEN_UTF8_SHARE * len(data)) or multibyte < 10 * len(offsets):
        return None
    return text, (f"{len(offsets)} invalid UTF-8 byte sequence{'s' if len(offsets) > 1 else ''} replaced "
                  f"by U+FFFD (first at byte offset {offsets[0]})")


def _decode_strictly(data: bytes, encoding: str) -> DecodedText:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DocumentProblem(
            f"undecodable bytes: starts like {encoding} but byte offset {exc.start} is invalid"
        ) from None
    if _control_share(text) > _BINARY_CONTROL_SHARE or "\x00" in text:
        raise DocumentProblem("binary file, not text")
    return DecodedText(text.lstrip("\ufeff"), codecs.lookup(encoding).name)


def bomless_utf16_encoding(data: bytes) -> str:
    """``'utf-16-le'`` / ``'utf-16-be'`` when ``data`` looks like BOM-less UTF-16, else ``''``.

    In UTF-16 text every ASCII character (newlines, digits, spaces) has a NUL
    high byte, so NULs sit almost only at odd offsets (LE) or even offsets
    (BE). CJK characters with a zero low byte (``一`` is U+4E00) put a few on
    the other side, hence a ratio rather than zero. The decoding must also
    succeed strictly and contain no control characters.
    """
    if len(data) < 4 or len(data) % 2:
        return ""
    nul_even = data[0::2].count(0)
    nul_odd = data[1::2].count(0)
    if nul_odd >= 2 and nul_odd >= 4 * nul_even:
        encoding = "utf-16-le"
    elif nul_even >= 2 and nul_even >= 4 * nul_odd:
        encoding = "utf-16-be"
    else:
        return ""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return ""
    if "\x00" in text or _control_share(text) > 0.01:
        return ""
    return encoding


def looks_binary(data: bytes) -> bool:
    """True for content that is not text in any supported encoding: more NUL bytes than stray
    damage (:data:`MAX_STRAY_NUL_SHARE`, outside UTF-16) or many control characters."""
    if data.count(0) > max(1, MAX_STRAY_NUL_SHARE * len(data)):
        return True
    sample = data[:65536]
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    return controls / len(sample) > _BINARY_CONTROL_SHARE


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) in _CONTROL_BYTES)
    return controls / len(sample)


def decode_legacy_chinese(data: bytes, tried: list[str] | None = None) -> DecodedText:
    """Decode with the most plausible of :data:`LEGACY_CJK_ENCODINGS`.

    Each encoding is tried strictly; of those that decode, the one whose text
    scores highest on :func:`chinese_plausibility` wins (GBK bytes read as
    Big5 and vice versa give rare characters, kana and private-use code
    points). Exact ties go to charset-normalizer, restricted to the tied
    encodings. Raises :class:`DocumentProblem` naming every encoding tried.
    """
    tried = list(tried or [])
    decodings: list[DecodedText] = []
    for encoding in LEGACY_CJK_ENCODINGS:
        try:
            decodings.append(DecodedText(data.decode(encoding), encoding))
        except UnicodeDecodeError as exc:
            tried.append(f"{encoding} (byte offset {exc.start})")
    if not decodings:
        raise DocumentProblem("undecodable bytes: tried " + ", ".join(tried))
    scores = [chinese_plausibility(d.text) for d in decodings]
    best_score = max(scores)
    best = [d for d, s in zip(decodings, scores, strict=True) if s == best_score]
    if len(best) > 1 and len({d.text for d in best}) > 1:
        return _charset_normalizer_choice(data, best)
    return best[0]


def _charset_normalizer_choice(data: bytes, decodings: list[DecodedText]) -> DecodedText:
    """The decoding charset-normalizer prefers among ``decodings`` (first one if it has no opinion)."""
    from charset_normalizer import from_bytes

    names = [d.encoding for d in decodings]
    match = from_bytes(data, cp_isolation=names).best()
    if match is not None:
        chosen = codecs.lookup(match.encoding).name
        for decoded in decodings:
            if codecs.lookup(decoded.encoding).name == chosen:
                return decoded
    return decodings[0]


def chinese_plausibility(text: str) -> float:
    """How much ``text`` looks like real Chinese, from -1 to 1 (1 = every non-ASCII char is common).

    Per non-ASCII character: common hanzi (in GB2312 level 1 after conversion
    to simplified characters) and common CJK punctuation score 1, less common
    hanzi (GB2312 level 2) 0.3, other hanzi 0, and everything a Chinese text
    should not contain (kana, box drawing, private-use, unassigned code points)
    scores -1. Only the first 4000 non-ASCII characters are looked at.
    """
    chars = [ch for ch in text if ord(ch) > 0x7F][:4000]
    if not chars:
        return 0.0
    simplified = t2s_convert("".join(chars))
    if len(simplified) != len(chars):
        simplified = "".join(chars)
    return sum(_char_plausibility(ch) for ch in simplified) / len(chars)


def _char_plausibility(ch: str) -> float:
    if ch in _COMMON_CJK_PUNCTUATION or "\uff01" <= ch <= "\uff5e" or ch == "\u3000":
        return 1.0
    level = _gb2312_level(ch)
    if level == 1:
        return 1.0
    if level == 2:
        return 0.3
    category = unicodedata.category(ch)
    if category == "Lo" and unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH"):
        return 0.0
    if category in ("Co", "Cn", "Cs") or "\u3040" <= ch <= "\u30ff" or "\u2500" <= ch <= "\u257f":
        return -1.0
    return 0.0


@lru_cache(maxsize=8192)
def _gb2312_level(ch: str) -> int:
    """1 for the 3755 common hanzi of GB2312, 2 for its 3008 others, 0 otherwise."""
    try:
        lead = ch.encode("gb2312")[0]
    except UnicodeEncodeError:
        return 0
    if 0xB0 <= lead <= 0xD7:
        return 1
    if 0xD8 <= lead <= 0xF7:
        return 2
    return 0
