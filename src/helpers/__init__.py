"""Helpers for the study of Chinese social organizations in COVID-19 prevention.

One module per stage of the study (ingest, clean, extract, compare, report),
plus lexicons as data files under ``helpers/lexicons``. The numbered notebooks
in ``notebooks/`` call these functions; the logic lives here and is unit-tested.
"""

__version__ = "0.1.0"
