"""Running the study: table schemas and batched writing, engines, the per-document stages,
progress, and the papermill runner with its command line (``python -m helpers.run.pipeline``).
"""
