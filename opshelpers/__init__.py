"""opshelpers: the analysis package behind OpsLab (internet operations, 运营).

>>> import opshelpers as ops
>>> ops.glossary.table("traffic").shape[1]
8
"""

from __future__ import annotations

import warnings

from .exercises import check, check_all
from . import glossary, i18n, io, plots, schema
from . import (activity, community, content, experiments, monitor, reports, sql,  # noqa: E402
               traffic, users)
from .glossary import METRICS, term
from .i18n import t
from .io import load_sample, read_table, validate
from .quality import DataQualityWarning, SchemaError

__version__ = "0.1.0"
__all__ = ["setup", "t", "i18n", "load_sample", "read_table", "validate", "check", "check_all",
           "DataQualityWarning", "SchemaError",
           "glossary", "io", "plots", "schema", "term", "METRICS", "activity", "community",
           "content", "experiments", "monitor", "reports", "sql", "traffic", "users"]


def setup(lang: str = "zh", seed: int = 0) -> None:
    """One call at the top of every notebook: language, display options, plot style.

    `lang` ("zh" 中文, the default, or "en") is the language of everything the package
    writes for a person: check() feedback, chart labels, reports, verdicts. Tables show
    whole cells (a definition is never cut to "…"). There is no global random state to
    seed: every random helper takes `seed=`; `seed` here seeds numpy's legacy generator
    only for trainees' own `np.random` calls.
    """
    import numpy as np
    import pandas as pd

    from . import plots

    i18n.set_language(lang)
    np.random.seed(seed)
    _inline_plots()
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.width", 120)
    pd.set_option("display.precision", 4)
    pd.set_option("display.max_colwidth", None)
    plots.use_house_style()
    # known third-party noise only; our own code must not warn, and a missing glyph shows
    warnings.filterwarnings("ignore", category=DeprecationWarning, module="jupyter_client")
    warnings.formatwarning = _one_line_data_warnings(warnings.formatwarning)


def _one_line_data_warnings(original):
    """A DataQualityWarning is shown as its message alone: it is written for the reader
    (what was left out, how many, the fix), and the line of package code that raised it
    says nothing to them. Every other warning keeps Python's format."""
    if getattr(original, "opslab", False):           # setup() called again
        return original

    def formatwarning(message, category, filename, lineno, line=None):
        if issubclass(category, DataQualityWarning):
            return f"{category.__name__}: {message}\n"
        return original(message, category, filename, lineno, line)

    formatwarning.opslab = True
    return formatwarning


def _inline_plots() -> None:
    """Inside a Jupyter kernel, draw inline even if MPLBACKEND says otherwise."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and shell.__class__.__name__ == "ZMQInteractiveShell":
        import matplotlib

        matplotlib.use("module://matplotlib_inline.backend_inline")
