"""The package version, kept here so ``--version`` needs no metadata lookup."""

__version__ = "0.1.0"
