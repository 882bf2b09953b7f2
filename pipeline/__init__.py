"""muster: bilingual extraction, reconciliation and consistency checks for military-history sources."""

__version__ = "0.1.0"

# Bumped whenever extraction or check behaviour changes, so that stored results
# and flag fingerprints know which rules produced them.
PIPELINE_VERSION = "1"
