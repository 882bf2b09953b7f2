"""Reviewing flags: decisions that survive re-runs, the review page, and the static report."""
