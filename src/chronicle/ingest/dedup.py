"""Near-duplicate articles: the same wire story republished by many sites.

Each article's text becomes a set of word 5-shingles and a MinHash signature (datasketch);
the signature is cut into LSH bands, and each band's hash is a key kept in the store beside
the article. A new article whose band keys meet a stored article's is compared with it on the
shingles themselves (exact Jaccard similarity), so the LSH only finds candidates and never
decides. A copy at or above the threshold is stored as a duplicate of the first copy instead of
being extracted again.

The keys live in the store (``article_bands``), so memory stays flat however many articles a
run reads, and a later run finds copies of what an earlier one stored.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DEFAULT_THRESHOLD",
    "Fingerprint",
    "Index",
    "fingerprint",
    "jaccard",
    "shingles",
]

DEFAULT_THRESHOLD = 0.8  # Jaccard similarity of word 5-shingles at which a text is a copy
NUM_PERM = 128
SHINGLE = 5
SCHEME = "affine64"  # 64-bit permutations over our 64-bit shingle hashes
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = SHINGLE) -> set[int]:
    """The text's word n-grams (lowercased), each hashed to 64 bits."""
    words = _WORD.findall(text.lower())
    if len(words) < n:
        words = words + [""] * (n - len(words)) if words else []
    out: set[int] = set()
    for i in range(max(0, len(words) - n + 1)):
        gram = " ".join(words[i:i + n]).encode("utf-8")
        out.add(int.from_bytes(hashlib.blake2b(gram, digest_size=8).digest(), "little"))
    return out


def jaccard(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@functools.lru_cache(maxsize=8)
def _bands(lsh_threshold: float) -> tuple[int, int]:
    from datasketch.lsh import _optimal_param

    b, r = _optimal_param(lsh_threshold, NUM_PERM, 0.5, 0.5)
    return int(b), int(r)


def _identity(x: Any) -> Any:
    return x  # our shingles are hashes already


_PERMUTATIONS: Any = None


def _permutations() -> Any:
    """MinHash's random permutations, made once (datasketch makes them per MinHash otherwise)."""
    global _PERMUTATIONS
    if _PERMUTATIONS is None:
        from datasketch import MinHash

        _PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations
    return _PERMUTATIONS


@dataclass(slots=True)
class Fingerprint:
    shingles: set[int]
    keys: list[str]  # one LSH band key per band: "band:hash"


def fingerprint(text: str, threshold: float = DEFAULT_THRESHOLD) -> Fingerprint:
    """The shingles and LSH band keys of a text."""
    import numpy as np
    from datasketch import MinHash

    sh = shingles(text)
    b, r = _bands(max(0.3, threshold - 0.15))
    if not sh:
        return Fingerprint(sh, [])
    m = MinHash(num_perm=NUM_PERM, hashfunc=_identity, permutations=_permutations(), scheme=SCHEME)
    m.update_batch(np.fromiter(sh, dtype=np.uint64, count=len(sh)))
    values = m.hashvalues
    keys = []
    for band in range(b):
        chunk = values[band * r:(band + 1) * r].astype("<u8").tobytes()
        keys.append(f"{band}:{hashlib.blake2b(chunk, digest_size=8).hexdigest()}")
    return Fingerprint(sh, keys)


class Index:
    """Finds the first copy of a text among stored articles and those of the current batch.

    ``store`` needs ``duplicate_candidates(keys) -> list[str]`` and ``article_text(id)``.
    """

    def __init__(self, store: Any, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.store = store
        self.threshold = threshold
        self._pending: dict[str, Fingerprint] = {}  # articles of this batch and of batches in flight
        self._pending_keys: dict[str, list[str]] = {}
        self._cache: dict[str, set[int]] = {}
        self._open: list[str] = []  # ids added since the last seal
        self._sealed: dict[int, list[str]] = {}  # batch token -> its ids, until the batch is written

    def find(self, fp: Fingerprint) -> tuple[str, float] | None:
        """(id of the first copy, similarity) when the text is a copy, else None."""
        if not fp.shingles:
            return None
        candidates: list[str] = []
        for key in fp.keys:
            candidates.extend(self._pending_keys.get(key, ()))
        if fp.keys:
            candidates.extend(self.store.duplicate_candidates(fp.keys))
        best: tuple[str, float] | None = None
        for cid in dict.fromkeys(candidates):
            other = self._pending[cid].shingles if cid in self._pending else self._stored_shingles(cid)
            sim = jaccard(fp.shingles, other)
            if sim >= self.threshold and (best is None or sim > best[1]):
                best = (cid, sim)
        return best

    def add(self, article_id: str, fp: Fingerprint) -> None:
        """An article of the current batch (its keys reach the store when the batch is written)."""
        self._pending[article_id] = fp
        self._open.append(article_id)
        for key in fp.keys:
            self._pending_keys.setdefault(key, []).append(article_id)

    def seal(self, token: int) -> None:
        """The current batch goes off to be extracted: its articles stay findable until
        ``release(token)`` (they reach the store when the batch is written)."""
        self._sealed[token] = self._open
        self._open = []

    def release(self, token: int) -> None:
        """The batch ``token`` is written (its keys are in the store now) or given up."""
        for aid in self._sealed.pop(token, []):
            fp = self._pending.pop(aid, None)
            for key in fp.keys if fp else ():
                ids = self._pending_keys.get(key)
                if ids is not None:
                    ids[:] = [x for x in ids if x != aid]
                    if not ids:
                        del self._pending_keys[key]
        if not self._sealed:
            self._cache.clear()

    def flushed(self) -> None:
        self._pending.clear()
        self._pending_keys.clear()
        self._cache.clear()
        self._open.clear()
        self._sealed.clear()

    def _stored_shingles(self, article_id: str) -> set[int]:
        if article_id not in self._cache:
            self._cache[article_id] = shingles(self.store.article_text(article_id) or "")
        return self._cache[article_id]
