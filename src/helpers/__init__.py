"""Helpers for the study of Chinese social organizations in COVID-19 prevention.

One subpackage per step of the study, in the order the data flows, each
importing only from the steps before it:

``corpus`` (01 ingest) -> ``text`` (02 clean) -> ``extract`` (03) ->
``compare`` (04 compare regions) -> ``report`` (05), beside ``evaluation``
(scoring against the gold sets) and ``run`` (table schemas, engines, stages and
the papermill runner). ``paths`` says where things are and ``products`` what
each notebook makes; the researcher-editable dictionaries are data files in
``helpers/lexicons``. The numbered notebooks in ``notebooks/`` call these
functions; the logic lives here and is unit-tested.
"""

__version__ = "0.1.0"
