"""The ``rangemap`` command: argument parsing and dispatch, nothing else."""

from .main import main

__all__ = ["main"]
