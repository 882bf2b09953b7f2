"""A normalized copy of a text that remembers where every character came from.

Normalization (NFKC, quote folding, OpenCC, ...) happens on copies; matchers run on
`TextView.text` and `TextView.to_original` turns their spans back into offsets in
the untouched original.
"""
from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass
from typing import Callable, Iterable


@dataclass(frozen=True)
class TextView:
    original: str
    text: str
    _starts: array  # for each normalized char: start of the original segment it came from
    _ends: array    # ... and the end of that segment

    @classmethod
    def identity(cls, original: str) -> "TextView":
        n = len(original)
        return cls(original, original, array("l", range(n)), array("l", range(1, n + 1)))

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span [start, end) to the smallest original span covering it."""
        if start >= end:
            pos = self._starts[start] if start < len(self.text) else len(self.original)
            return pos, pos
        return self._starts[start], self._ends[end - 1]

    def original_text(self, start: int, end: int) -> str:
        s, e = self.to_original(start, end)
        return self.original[s:e]

    def rewrite(self, rewrite_segments: Callable[[str], Iterable[tuple[int, int, str]]]) -> "TextView":
        """Apply a further normalization step to this view's text.

        `rewrite_segments(text)` yields (start, end, replacement) for consecutive
        segments covering `text`; the new view maps back through this one.
        """
        out: list[str] = []
        starts, ends = array("l"), array("l")
        for s, e, rep in rewrite_segments(self.text):
            if s == e and not rep:
                continue
            if e - s > 1 and rep == self.text[s:e]:     # an unchanged run keeps char-by-char offsets
                out.append(rep)
                starts.extend(self._starts[s:e])
                ends.extend(self._ends[s:e])
                continue
            o_start = self._starts[s] if s < len(self.text) else len(self.original)
            o_end = self._ends[e - 1] if e > s else o_start
            out.append(rep)
            # A replacement of several chars maps each char to the whole source segment:
            # a span can never point inside a segment that was rewritten as a unit.
            for _ in rep:
                starts.append(o_start)
                ends.append(o_end)
        return TextView(self.original, "".join(out), starts, ends)


_ASCII_RUN = re.compile(r"[\x00-\x7f]+")


def char_segments(text: str, convert: Callable[[str], str], *, keep_marks: bool = True,
                  ascii_unchanged: bool = False):
    """Segments for `TextView.rewrite`: each base character with its combining marks.

    `ascii_unchanged`: `convert` leaves ASCII alone (NFKC does), so runs of ASCII pass
    through as one segment, except a last letter that carries combining marks."""
    i, n = 0, len(text)
    while i < n:
        run = _ASCII_RUN.match(text, i) if ascii_unchanged else None
        if run is not None:
            j = run.end()
            if keep_marks and j < n and unicodedata.combining(text[j]):
                j -= 1
            if j > i:
                yield i, j, text[i:j]
                i = j
                continue
        j = i + 1
        if keep_marks:
            while j < n and unicodedata.combining(text[j]):
                j += 1
        yield i, j, convert(text[i:j])
        i = j
