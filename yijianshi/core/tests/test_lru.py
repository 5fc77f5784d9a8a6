"""The per-process map: it keeps the most recently used entries up to its size."""

from hypothesis import given
from hypothesis import strategies as st

from yijianshi.core.lru import Lru


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 9)), max_size=60), st.integers(1, 5))
def test_it_keeps_the_most_recently_used_entries(steps, size):
    lru, recent = Lru(size), []  # recent: keys by last use, the latest last
    for put, key in steps:
        if put:
            lru.put(key, key * 10)
        elif lru.get(key) is None:
            continue
        recent = [k for k in recent if k != key] + [key]
        recent = recent[-size:]
        assert len(lru) == len(recent)
    for key in range(10):
        assert lru.get(key) == (key * 10 if key in recent else None)


def test_a_missing_key_gives_the_default():
    lru = Lru(2)
    lru.put("a", None)
    assert lru.get("a", "x") is None and lru.get("b", "x") == "x"
