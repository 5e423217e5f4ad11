"""03 extract: quantities, organizations and their types, regions, activity codes.

Takes the clean stage's ``sentences`` and ``sections`` tables; gives the
``quantities``, ``organizations`` and ``activities`` tables, every row with its
provenance (document, sentence, character span). The rules and dictionaries are
data files in ``helpers/lexicons``.
"""

#: Sentences (and names) whose analyses are remembered: reports repeat them.
EXTRACTION_CACHE_SIZE = 8192
