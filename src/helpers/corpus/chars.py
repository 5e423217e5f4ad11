"""Character classes shared by every step: Han characters, punctuation and quotation marks."""

from __future__ import annotations

import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""Han characters, as the inside of a regex class (``f"[{HAN}]"``): the CJK unified
ideographs, their extension A and the compatibility ideographs."""
HAN_CHAR = re.compile(f"[{HAN}]")

PUNCTUATION = "，,。；;、：:！？!?（）()「」『』“”\"‘’'《》〈〉【】[]…—\n\t "
QUOTES = "「」『』“”\"‘’《》〈〉"
QUOTE_MARK = re.compile(f"[{re.escape(QUOTES)}]")
PUNCTUATION_MARK = re.compile(f"[{re.escape(PUNCTUATION)}]")


def is_han(ch: str) -> bool:
    """Whether the one character ``ch`` is a Han character."""
    return HAN_CHAR.fullmatch(ch) is not None
