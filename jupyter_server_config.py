# The study's Jupyter server settings; `make lab` runs `jupyter lab --config=jupyter_server_config.py`.
# Notebooks under notebooks/ are saved without outputs (a pre-save hook), the lab opens at the
# project root, works as root and without a display, and offers only the study's kernel.
# See helpers.run.lab.
from helpers.run.lab import configure

configure(c)  # noqa: F821  (`c` is the config object Jupyter passes to this file)
