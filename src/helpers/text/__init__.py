"""02 clean: text out of HTML, boilerplate out, Traditional to Simplified, regional sections, sentences.

Takes the ``documents`` table; gives ``texts``, ``sections`` (with province and
city from the gazetteer), ``sentences`` with character offsets and ``dropped``
(every line removed, with the reason). Numbers and segmentation used by the
later steps live here too.
"""
