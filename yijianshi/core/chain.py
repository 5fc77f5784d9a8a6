"""Hash chains for append-only logs (全程留痕): each entry's SM3 hash covers its content and the previous hash.

Changing, inserting or removing an entry changes every later hash, so a verifier that recomputes the chain from
the first entry finds the first broken link. The content is hashed as canonical JSON: keys sorted, no spaces,
UTF-8, so the hash does not depend on how a database returns a JSON document.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from yijianshi.core.crypto import sm3_hex

GENESIS = "0" * 64  # the "previous hash" of a chain's first entry


def canonical_json(content: Mapping) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def link_hash(previous: str, content: Mapping) -> str:
    return sm3_hex(previous.encode("ascii") + b"\n" + canonical_json(content))


@dataclass(frozen=True)
class BrokenLink:
    position: int  # 1-based position in the chain
    reason: str
    expected: str
    stored: str


def first_broken_link(entries: Iterable[tuple[int, str, str, Mapping]]) -> BrokenLink | None:
    """Check a chain given as (position, previous hash, hash, content) in order; the first link that does not hold.

    Positions must run 1, 2, 3… without gaps; each entry's previous hash must be the hash before it, and its hash
    must be the hash of its content.
    """
    expected_previous = GENESIS
    expected_position = 1
    for position, previous, stored, content in entries:
        if position != expected_position:
            return BrokenLink(expected_position, "missing", str(expected_position), str(position))
        if previous != expected_previous:
            return BrokenLink(position, "previous", expected_previous, previous)
        recomputed = link_hash(previous, content)
        if recomputed != stored:
            return BrokenLink(position, "content", recomputed, stored)
        expected_previous = stored
        expected_position += 1
    return None
