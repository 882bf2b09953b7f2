"""The `muster review` command (being built; see issue 5)."""
from __future__ import annotations


def register(app) -> None:
    """Add the review command to the typer app."""
