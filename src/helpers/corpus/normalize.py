"""Normalization shared by every step: Traditional to Simplified, line ends, HTML to text.

The ingest stage uses it to judge decodings and read headers; the clean stage
to produce the cleaned text. One definition of each, here, at the bottom of the flow.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _simplifier():
    import opencc

    return opencc.OpenCC("t2s")


def t2s_convert(text: str) -> str:
    return _simplifier().convert(text)


def normalize_line_ends(text: str) -> str:
    """CRLF and lone CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def html_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "head"]):
        tag.decompose()
    return soup.get_text("\n")
