"""What each notebook produces: the one list the notebooks, the README and the tests share.

Every notebook names its products in its second cell (``products("03_extract", ...)``),
the README's table of outputs lists the same files, and the end-to-end test checks
that a run of the study writes every one of them.
"""

from __future__ import annotations

from pathlib import Path

from .paths import resolve

#: notebook -> files it writes, relative to ``{build}`` or ``{figures}``.
PRODUCTS: dict[str, list[str]] = {
    "01_ingest": [
        "{build}/documents.parquet",
        "{build}/documents.csv",
    ],
    "02_clean": [
        "{build}/texts.parquet",
        "{build}/sections.parquet",
        "{build}/sections.csv",
        "{build}/sentences.parquet",
        "{build}/sentences.csv",
        "{build}/dropped.parquet",
        "{build}/dropped.csv",
        "{build}/signatures.parquet",
        "{build}/signatures.csv",
        "{build}/stories.parquet",
        "{build}/stories.csv",
    ],
    "03_extract": [
        "{build}/quantities.parquet",
        "{build}/quantities.csv",
        "{build}/organizations.parquet",
        "{build}/organizations.csv",
        "{build}/activities.parquet",
        "{build}/activities.csv",
        "{build}/evaluation.csv",
    ],
    "04_compare_regions": [
        "{build}/periods.csv",
        "{build}/region_measures.csv",
        "{build}/region_measures_wide.csv",
        "{build}/activity_profile.csv",
        "{build}/activity_residuals.csv",
        "{build}/org_type_composition.csv",
        "{build}/distinctive_terms.csv",
    ],
    "05_report": [
        "{figures}/fig01_corpus_overview.png",
        "{figures}/fig02_headline_measures.png",
        "{figures}/fig03_activity_by_region.png",
        "{figures}/fig04_org_types_by_region.png",
        "{figures}/fig05_distinctive_terms.png",
        "{figures}/index.md",
        "{build}/provenance.csv",
    ],
}


def products(notebook: str, build_dir: str | Path = "build", figures_dir: str | Path = "figures") -> list[Path]:
    """The files ``notebook`` writes, as absolute paths for the given folders."""
    if notebook not in PRODUCTS:
        raise KeyError(f"unknown notebook {notebook!r}; known: {', '.join(PRODUCTS)}")
    build, figures = resolve(build_dir), resolve(figures_dir)
    return [Path(t.format(build=build, figures=figures)) for t in PRODUCTS[notebook]]
