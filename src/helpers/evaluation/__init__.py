"""Scoring the extraction against hand-made gold sets (``gold/`` for the seeds, ``dev/``).

Quantities (:mod:`.quantities`), activity codes and organizations (:mod:`.coding`),
all three at once for a corpus (:mod:`.extraction`, what notebook 03 shows).
"""
