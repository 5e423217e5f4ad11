"""Reproducibility:

* **Font.** Chinese labels need a CJK font. The project ships one through its own
  dependencies: ``NotoSansCJK-Regular.ttc`` in the ``noto_cjk_sans_otc``
  package. A system Noto CJK or WenQuanYi font would render as well, but its
  version differs from machine to machine and so would the bytes of every
  figure; so the packaged file is *always* used: it is registered with
  ``matplotlib.font_manager.fontManager.addfont`` and put first among fonts of
  the same family, and :func:`register_cjk_font` checks that matplotlib
  resolves the family to that file.
* **Style.** ``styles/study.mplstyle`` applied over matplotlib's defaults
  (``matplotlib.style.context(..., after_reset=True)``), so a local matplotlibrc
  changes nothing; fixed ``svg.hashsalt``; glyphs written as paths in SVG.
* **No timestamps.** Each file is written by ``Figure.savefig`` with the SVG's
  ``Date`` and ``Creator`` and the PNG's ``Software`` metadata removed; CSVs are
  written with fixed float rounding and ``\\n`` line ends.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from matplotlib import font_manager, style
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..compare.labels import UNPLACED
from ..outputs import output_file, write_csv
from ..paths import resolve

STYLE_PATH = Path(__file__).resolve().parent / "styles" / "study.mplstyle"
FONT_FAMILY = "Noto Sans CJK SC"


PNG_DPI = 300
PNG_METADATA = {"Software": None}
SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
"""No timestamps or versions in the files: the same figure gives the same bytes."""
COLUMN_WIDTH_IN = 7.0
"""Figures are drawn 7 in wide (a page-wide column); fonts are 7.5-9.5 pt at that size."""

THOUSANDS = FuncFormatter(lambda x, _pos: f"{x:,.0f}" if abs(x) >= 1000 or x == int(x) else f"{x:g}")
"""Axis tick labels with thousands separators (12,000 rather than 12000)."""

LOG_SCALE_RATIO = 100
"""fig02 panels whose largest figure is over 100x the smallest use a log axis (dots, not bars)."""

MARKERS = ("o", "s", "^", "D", "v", "P", "X")
"""Marker shapes told apart in greyscale print: one per period in fig02."""

MAGNITUDES = {
    "zh": ((1e8, 1e8, "亿"), (1e4, 1e4, "万")),
    "en": ((1e9, 1e9, "billion"), (1e6, 1e6, "million"), (1e4, 1e3, "thousand")),
}
"""(from, scale, word): Chinese counts in 万 and 亿; English in thousands from ten thousand on."""


def readable_unit(value: float, base_unit: str, language: str = "zh") -> tuple[float, str]:
    """(scale, unit) for showing ``value`` (in ``base_unit``) with a readable number.

    ``readable_unit(27_000_000, "人次")`` is ``(1e4, "万人次")``, ``readable_unit(3, "小时")``
    ``(1, "小时")``; in English ``(1e6, "million person-times")``. Values are divided by
    the scale, so 0.0003 万小时 is shown as 3 小时.
    """
    for start, scale, word in MAGNITUDES[language]:
        if value is not None and abs(value) >= start:
            return scale, (f"{word}{base_unit}" if language == "zh" else f"{word} {base_unit}".strip())
    return 1.0, base_unit


def format_magnitude(value: float, qualifier: str = "", language: str = "zh") -> str:
    """A figure in words of its own magnitude: ``2,700万`` / ``27 million``, ``3``, ``≥1,300``."""
    scale, word = readable_unit(value, "", language)
    number = format_value(value / scale, qualifier)
    return number + (word if language == "zh" or not word else f" {word}")


COMPACT_EN = ((1e9, "B"), (1e6, "M"), (1e3, "k"))


def tick_label(value: float, language: str = "zh") -> str:
    """An axis tick in the figure's language: ``10万`` / ``100k``; small values as they are."""
    if language == "en":
        for scale, suffix in COMPACT_EN:
            if abs(value) >= scale:
                return f"{value / scale:g}{suffix}"
        return f"{value:g}"
    scale, word = readable_unit(value, "", language)
    return f"{value / scale:g}{word}" if word else (f"{value:,.0f}" if value == int(value) else f"{value:g}")


QUALIFIER_MARKS = {"over": "≥", "about": "≈", "nearly": "<", "under": "<"}
"""How a figure marks a qualified figure: 1000余 -> ≥1,000; 约 -> ≈; 近/不足 -> <."""


# ----------------------------------------------------------------------------- setup


def cjk_font_path() -> Path:
    """The CJK font file shipped by the ``noto-cjk-sans-otc`` dependency."""
    from noto_cjk_sans_otc import FONT_PATH

    path = Path(str(FONT_PATH))
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: reinstall the project's dependencies (noto-cjk-sans-otc)"
        )
    return path


def register_cjk_font() -> str:
    """Register the packaged Noto Sans CJK font with matplotlib and return its family name.

    The packaged entries are moved to the front of the font list so that a system
    font of the same family name never wins the tie in ``findfont``; raises when
    matplotlib still resolves the family to another file.
    """
    path = cjk_font_path()
    manager = font_manager.fontManager
    if not any(Path(f.fname) == path for f in manager.ttflist):
        manager.addfont(str(path))
    ours = [f for f in manager.ttflist if Path(f.fname) == path]
    if manager.ttflist[: len(ours)] != ours:
        manager.ttflist = ours + [f for f in manager.ttflist if Path(f.fname) != path]
        cache = getattr(manager, "_findfont_cached", None)
        if cache is not None and hasattr(cache, "cache_clear"):
            cache.cache_clear()
    found = font_manager.findfont(
        font_manager.FontProperties(family=FONT_FAMILY), fallback_to_default=False
    )
    if Path(str(found)) != path:
        raise RuntimeError(f"matplotlib resolves {FONT_FAMILY!r} to {found}, not the packaged {path}")
    return FONT_FAMILY


@contextmanager
def study_style() -> Iterator[None]:
    """The fixed figure style with the packaged CJK font, over matplotlib's defaults."""
    register_cjk_font()
    with style.context(str(STYLE_PATH), after_reset=True):
        yield


def _char_width(ch: str) -> float:
    return 1.0 if ord(ch) > 0x2E7F else 0.55


def wrap_label(text: str, width: float = 8) -> str:
    """Wrap a (Chinese) label into lines of about ``width`` CJK characters.

    Chinese has no spaces, so ``textwrap`` cannot help: lines are filled character
    by character (Latin characters count about half), breaking preferably after a
    space, ``·``, ``、`` or ``/`` in the second half of the line.
    """
    text = str(text)
    lines, line, used = [], "", 0.0
    for ch in text:
        if ch == "\n":
            lines.append(line)
            line, used = "", 0.0
            continue
        w = _char_width(ch)
        if used + w > width and line:
            cut = max(line.rfind(c) for c in " ·、/")
            if cut >= len(line) // 2:
                lines.append(line[: cut + 1].rstrip())
                line = line[cut + 1 :].lstrip()
            else:
                lines.append(line)
                line = ""
            used = sum(_char_width(c) for c in line)
            if ch == " " and not line:
                continue
        line += ch
        used += w
    lines.append(line)
    return "\n".join(x for x in lines if x != "" or len(lines) == 1)


def format_value(value: float, qualifier: str = "") -> str:
    """``12,000`` / ``3.15`` / ``0.5``, prefixed with the qualifier's mark (≥, ≈, <)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.3g}"
    return QUALIFIER_MARKS.get(qualifier or "", "") + text


def _round_for_csv(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(6)
    return out


def save_figure(fig: Figure, data: pd.DataFrame, figures_dir: str | Path, name: str) -> dict[str, Path]:
    """Write ``name.png`` (300 dpi), ``name.svg`` and ``name.csv`` without timestamps; return paths.

    Each file is written whole under a temporary name and moved into place
    (:func:`helpers.outputs.output_file`)."""
    out = resolve(figures_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {ext: out / f"{name}.{ext}" for ext in ("png", "svg", "csv")}
    with output_file(paths["png"]) as tmp:
        fig.savefig(tmp, dpi=PNG_DPI, metadata=PNG_METADATA, format="png")
    fig.set_layout_engine("none")  # the SVG keeps the PNG's layout: both files show one figure
    with output_file(paths["svg"]) as tmp:
        fig.savefig(tmp, dpi=PNG_DPI, metadata=SVG_METADATA, format="svg")
    write_csv(_round_for_csv(data), paths["csv"], encoding="utf-8")
    return paths


def new_figure(height: float, width: float = COLUMN_WIDTH_IN) -> Figure:
    return Figure(figsize=(width, max(height, 1.6)), layout="constrained")


def draw_no_data(fig: Figure, message: str) -> None:
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)


def save_no_data(data: pd.DataFrame, figures_dir: str | Path, name: str, message: str,
                 height: float = 2) -> dict[str, Path]:
    """A figure that says there is no data to draw, written with the (empty) table like any other."""
    fig = new_figure(height)
    draw_no_data(fig, message)
    return save_figure(fig, data, figures_dir, name)


def panels(data: pd.DataFrame, key: str, ncols: int, inches_per_bar: float, inches_per_row: float,
           margin: float, **subplots) -> tuple[Figure, list, list, int]:
    """Small multiples: one panel per value of ``data[key]`` (in order of first appearance),
    at most ``ncols`` a row, each row as tall as the panel with the most bars needs.

    Returns the figure, its panels (a flat list, unused ones last), the values and the
    number of columns used. ``subplots`` go to ``Figure.subplots`` (``sharex=True``).
    """
    keys = list(dict.fromkeys(data[key]))
    ncols = min(ncols, len(keys))
    nrows = math.ceil(len(keys) / ncols)
    most = int(data.groupby(key).size().max())
    fig = new_figure(nrows * (inches_per_bar * most + inches_per_row) + margin)
    return fig, list(fig.subplots(nrows, ncols, squeeze=False, **subplots).ravel()), keys, ncols


def add_caption(fig: Figure, text: str, width_chars: float = 62) -> None:
    """A figure note below the axes (constrained layout keeps it clear of the ticks)."""
    fig.supxlabel(wrap_label(text, width_chars), fontsize=7, x=0.0, ha="left", color="#333333")


def sha256_file(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def region_period_label(province: str, period_label: str) -> str:
    return f"{province or UNPLACED} · {period_label}"
