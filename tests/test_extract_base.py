"""Overlap resolution and claimed spans: the indexed versions give the results of comparing each
candidate with every other one, and stay fast on many candidates."""
import random
import time

from pipeline.extract import base


def _naive_resolve(cands):
    kept = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        if not any(k.type == c.type and k.overlaps(c.start, c.end) for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: (c.start, c.end))


def _random_cands(rng, n, size):
    out = []
    for _ in range(n):
        s = rng.randrange(size)
        out.append(base.Candidate(rng.choice("abc"), s, min(size, s + rng.choice([0, 1, 2, 3, 5, 8, 20]))))
    return out


def test_resolve_overlaps_is_the_pairwise_result():
    rng = random.Random(7)
    for _ in range(300):
        cands = _random_cands(rng, rng.randrange(1, 60), rng.choice([10, 40, 200]))
        assert [id(c) for c in base.resolve_overlaps(cands)] == [id(c) for c in _naive_resolve(cands)]


class _Doc:
    """Enough of a spaCy Doc for base: `_.candidates` and the text."""
    class _U:
        candidates = None
    def __init__(self, text):
        self._ = self._U()
        self.user_data = {"muster_text": text}


def test_is_claimed_follows_every_change_to_the_candidates():
    rng = random.Random(11)
    for _ in range(100):
        size = rng.choice([20, 100])
        doc = _Doc("x" * size)
        for step in range(80):
            op = rng.random()
            cands = base.candidates(doc)
            if op < 0.5:
                base.add(doc, _random_cands(rng, 1, size)[0])
            elif op < 0.6 and cands:
                cands.remove(rng.choice(cands))
            elif op < 0.65:
                cands[:] = [c for c in cands if c.type != "a"]
            s = rng.randrange(size)
            e = min(size, s + rng.choice([0, 1, 4, 10]))
            types = rng.choice([None, ("a",), ("b", "c")])
            want = any(c.overlaps(s, e) and (types is None or c.type in types) for c in cands)
            assert base.is_claimed(doc, s, e, types) == want


def test_many_candidates_are_resolved_and_claimed_quickly():
    rng = random.Random(3)
    size = 2_000_000
    cands = _random_cands(rng, 100_000, size)
    t = time.perf_counter()
    base.resolve_overlaps(cands)
    doc = _Doc("x" * size)
    for c in cands[:50_000]:
        if not base.is_claimed(doc, c.start, c.end, ("a",)):
            base.add(doc, c)
    assert time.perf_counter() - t < 20     # pairwise: hours
