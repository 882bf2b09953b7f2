"""Extraction components, registered with spaCy's `@Language.factory`.

Order matters: later components see the candidates of earlier ones (a number
that is a distance is not a strength; a possessive before a formation is a person).
`pipeline.nlp` imports the component modules (which registers their factories); importing
this package alone loads no model code, so checks can use `quantities` cheaply.
"""

COMPONENTS = ["muster_dates", "muster_corruption", "muster_date_context", "muster_measurements", "muster_formations", "muster_people", "muster_figures", "muster_sides", "muster_echelons"]
