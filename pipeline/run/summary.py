"""What a batch run did: filled in by the stages, printed by the command."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class RunSummary:
    documents: int = 0          # input documents handled: processed + skipped
    processed: int = 0
    skipped: int = 0            # unchanged since the store has them
    chars: int = 0              # characters of the processed documents
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)     # outputs of the run that were not written (exit 1)
    mentions: Counter = field(default_factory=Counter)
    flags: Counter = field(default_factory=Counter)
    entities: int = 0
    corpus: int = 0             # documents in the corpus (every batch's)
    seconds: float = 0.0
    out_dir: Path | None = None
    run_id: int | None = None
