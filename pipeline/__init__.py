"""muster: bilingual extraction, reconciliation and consistency checks for military-history sources."""
from __future__ import annotations

import hashlib
from pathlib import Path

__version__ = "0.1.0"


def code_fingerprint(root: Path | None = None) -> str:
    """A hash of the package's own code (every .py file under `root`, default this package): any
    change to a rule, a check or a stage gives another pipeline version. The models' data has its own
    fingerprint per language (`pipeline.store.models_fingerprint`)."""
    root = root or Path(__file__).resolve().parent
    h = hashlib.sha256()
    for p in sorted(root.rglob("*.py")):
        if "__pycache__" in p.parts:
            continue
        h.update(p.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]


# Which code produced a stored result: derived from the code itself, so no rule change can
# leave stale results behind in an incremental run (a hand-kept number was never bumped).
PIPELINE_VERSION = f"{__version__}+{code_fingerprint()}"
