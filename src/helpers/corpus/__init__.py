"""01 ingest: every file of a corpus read into the ``documents`` table, with metadata and a status.

Takes a folder of reports (any encoding, HTML or text, Traditional or
Simplified); gives one row per file (:mod:`.documents`): decoded text
(:mod:`.decoding`), title, date and source (:mod:`.metadata`). :mod:`.normalize`
and :mod:`.chars` are shared by every later step.
"""
