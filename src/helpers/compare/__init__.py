"""04 compare regions: outbreak periods, headline measures, activity profiles with statistics,
organization types, vocabulary.

Takes the tables of 01-03; gives region x period tables, each number with its
provenance. Measures are never summed (:mod:`.measures`); profiles are tested with
chi-square and adjusted residuals (:mod:`.profiles`); vocabulary is log-odds with
a Dirichlet prior and keywords in context (:mod:`.vocabulary`).
"""
