"""cityflex's version: one place, read by the package metadata (pyproject), `--version` and `cityflex.__version__`."""

__version__ = "0.2.0"
