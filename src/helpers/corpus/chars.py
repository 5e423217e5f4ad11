"""Character classes shared by every step: punctuation and quotation marks."""

from __future__ import annotations

import re

PUNCTUATION = "，,。；;、：:！？!?（）()「」『』“”\"‘’'《》〈〉【】[]…—\n\t "
QUOTES = "「」『』“”\"‘’《》〈〉"
QUOTE_MARK = re.compile(f"[{re.escape(QUOTES)}]")
PUNCTUATION_MARK = re.compile(f"[{re.escape(PUNCTUATION)}]")
