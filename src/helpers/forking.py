"""Whether this process may be forked: where the study forks rather than starts processes."""

from __future__ import annotations

import multiprocessing
import sys


def fork_is_safe() -> bool:
    """True where ``fork`` is available and safe once libraries are loaded.

    The study forks its figure workers (:func:`helpers.figures.draw_figures`)
    and its kernels (:mod:`helpers.kernel_template`) so that they start with
    matplotlib, pandas and the data already in memory. Windows cannot fork;
    macOS can, but not safely once system frameworks are loaded. There the
    study starts its processes the usual way.
    """
    return "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"
