"""opshelpers: the analysis package behind OpsLab (internet operations, 运营)."""

__version__ = "0.1.0"
