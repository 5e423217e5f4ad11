"""Figures in Chinese or English: every label, title, caption and index entry in one language,
with the English names of provinces, codes, types, measures and periods from the lexicons."""

from __future__ import annotations

import csv
import re

import matplotlib
import pandas as pd
import pytest

from helpers.compare.labels import ACTIVITY_LABELS, ORG_TYPE_LABELS
from helpers.compare.measures import load_measures
from helpers.compare.periods import load_periods, period_labels
from helpers.paths import SEEDS_DIR
from helpers.report import citations, figures
from helpers.report.captions import TEXTS
from helpers.report.language import ZH_STATUS, Labels, english_labels, english_provinces
from helpers.report.style import format_magnitude, readable_unit, tick_label
from helpers.run.record import reproducibility
from helpers.text.gazetteer import ADCODES_CSV

HAN = re.compile(r"[\u3400-\u9fff]")
ASCII_WORD = re.compile(r"[A-Za-z]{2,}")
ALLOWED_IN_ZH = {"jieba", "Haberman", "Dirichlet", "Monroe", "Colaresi", "Quinn", "sha", "csv", "png", "svg",
                 "md", "helpers", "report", "citations", "write_figure_index", "figures", "build", "notebooks",
                 "ipynb", "fig", "corpus_overview", "headline_measures", "activity_by_region",
                 "org_types_by_region", "distinctive_terms", "index"}  # fmt: skip
"""ASCII a Chinese caption may hold: proper names of methods and file or code names in the index."""

from test_figures import _drawn_figures, tables  # noqa: E402,F401  (the synthetic study's tables)


def test_every_provincial_level_division_has_an_english_name():
    with open(ADCODES_CSV, encoding="utf-8") as f:
        provinces = {r["name"] for r in csv.DictReader(f) if r["adcode"][2:] == "0" * 10}
    assert len(provinces) == 34
    assert set(english_provinces()) == provinces
    assert all(not HAN.search(v) and v for v in english_provinces().values())


def test_every_code_type_measure_period_and_status_has_an_english_label():
    en = english_labels()
    wanted = ([("activity", c) for c in ACTIVITY_LABELS] + [("org_type", t) for t in ORG_TYPE_LABELS]
              + [("measure", m.measure_id) for m in load_measures()]
              + [("measure_unit", m.measure_id) for m in load_measures()]
              + [("period", p) for p in period_labels()] + [("status", s) for s in ZH_STATUS])  # fmt: skip
    missing = [k for k in wanted if k not in en]
    assert not missing, f"labels_en.csv lacks {missing}"
    assert not [v for v in en.values() if HAN.search(v)]
    assert {p.period_id for p in load_periods()} <= set(period_labels())


def test_both_languages_have_the_same_texts_with_the_same_placeholders():
    assert set(TEXTS["zh"]) == set(TEXTS["en"])
    for key, zh in TEXTS["zh"].items():
        assert set(re.findall(r"{(\w+)}", zh)) == set(re.findall(r"{(\w+)}", TEXTS["en"][key])), key
        assert not HAN.search(TEXTS["en"][key]), f"Chinese in the English text {key}"


def test_labels_name_things_in_the_chosen_language():
    zh, en = Labels("zh"), Labels("en")
    assert (zh.province("陕西省"), en.province("陕西省")) == ("陕西省", "Shaanxi")
    assert (zh.province(""), en.province("")) == ("未定位", "not placed")
    assert en.region_period("广东省", "2022_shenzhen_shanghai") == "Guangdong · 2022 Shenzhen and Shanghai outbreaks"
    assert en.activity("psych_support") == "Psychological support" and zh.activity("psych_support") == "心理援助"
    with pytest.raises(ValueError, match="labels must be one of"):
        Labels("fr")


def test_figures_are_written_with_a_readable_unit_by_magnitude():
    assert readable_unit(3, "小时") == (1.0, "小时")
    assert readable_unit(27_000_000, "人次") == (1e4, "万人次")
    assert readable_unit(27_000_000, "person-times", "en") == (1e6, "million person-times")
    assert format_magnitude(3, "", "zh") == "3"  # 0.0003 万小时
    assert format_magnitude(27_000_000, "over", "zh") == "≥2,700万"
    assert format_magnitude(618_000_000, "", "zh") == "6.18亿"
    assert format_magnitude(45_018, "", "en") == "45 thousand"
    assert (tick_label(100_000, "zh"), tick_label(100_000, "en")) == ("10万", "100k")


def _texts(fig: matplotlib.figure.Figure, terms: frozenset[str] = frozenset()) -> list[str]:
    """Every piece of text drawn in ``fig`` but the ``terms`` (fig05's data, shown as written)."""
    return [t for t in (a.get_text() for a in fig.findobj(matplotlib.text.Text)) if t.strip() and t not in terms]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_one_language_per_figure_caption_and_index(tables, tmp_path, monkeypatch, language):  # noqa: F811
    drawn = _drawn_figures(monkeypatch)
    records = figures.build_all_figures(tables, tmp_path, labels=language)
    reproducible = reproducibility(SEEDS_DIR, language).index_lines()
    index = citations.write_figure_index(records, tmp_path, language, reproducible=reproducible).read_text(
        encoding="utf-8")
    for name, fig in drawn.items():
        terms = frozenset(pd.read_csv(tmp_path / f"{name}.csv")["term"]) if name.startswith("fig05") else frozenset()
        texts = _texts(fig, terms)
        if language == "en":
            chinese = [t for t in texts if HAN.search(t)]
            assert not chinese, f"{name} (en) draws Chinese: {chinese[:5]}"
        else:
            assert any(HAN.search(t) for t in texts), f"{name} (zh) draws no Chinese"
    for record in records:
        for words in (record.title, record.caption):
            if language == "en":
                assert not HAN.search(words), f"figure {record.number}: Chinese in {words!r}"
            else:
                stray = set(ASCII_WORD.findall(words)) - ALLOWED_IN_ZH
                assert not stray, f"figure {record.number}: English words {stray} in the Chinese {words!r}"
    if language == "en":
        assert not HAN.search(index), "Chinese in the English figure index"
    else:
        prose = re.sub(r"`[^`]*`|\([^)]*\.(png|csv|svg)\)|\[[^\]]*\]", "", index)
        stray = set(ASCII_WORD.findall(prose)) - ALLOWED_IN_ZH
        assert not stray, f"English words {stray} in the Chinese figure index"
