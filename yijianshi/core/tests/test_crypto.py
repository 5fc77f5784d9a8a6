import hashlib

from hypothesis import given
from hypothesis import strategies as st

from yijianshi.core.chain import GENESIS, first_broken_link, link_hash
from yijianshi.core.crypto import hmac_sm3_hex, hmac_sm3_matches, sm3_hex


def test_sm3_matches_the_standard_test_vectors():
    # GB/T 32905-2016, appendix A.
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def _hmac_by_definition(key: bytes, message: bytes) -> str:
    """RFC 2104 written out over SM3 (block size 64), to check the library's HMAC against."""
    if len(key) > 64:
        key = bytes.fromhex(sm3_hex(key))
    key = key.ljust(64, b"\0")
    inner = bytes.fromhex(sm3_hex(bytes(b ^ 0x36 for b in key) + message))
    return sm3_hex(bytes(b ^ 0x5C for b in key) + inner)


@given(st.binary(max_size=100), st.binary(max_size=200))
def test_hmac_sm3_is_rfc_2104_over_sm3(key, message):
    assert hmac_sm3_hex(key, message) == _hmac_by_definition(key, message)


def test_hmac_sm3_check_rejects_a_changed_message():
    signature = hmac_sm3_hex(b"secret", b"payload")
    assert hmac_sm3_matches(b"secret", b"payload", signature.upper())
    assert not hmac_sm3_matches(b"secret", b"payload!", signature)
    assert not hmac_sm3_matches(b"other", b"payload", signature)


def _chain(contents):
    entries, previous = [], GENESIS
    for position, content in enumerate(contents, start=1):
        current = link_hash(previous, content)
        entries.append((position, previous, current, content))
        previous = current
    return entries


contents = st.lists(st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=10), max_size=3), max_size=6)


@given(contents)
def test_an_untouched_chain_holds(values):
    assert first_broken_link(_chain(values)) is None


@given(contents.filter(lambda v: len(v) >= 2), st.data())
def test_any_changed_entry_is_the_first_broken_link(values, data):
    entries = _chain(values)
    position = data.draw(st.integers(1, len(entries)))
    number, previous, stored, content = entries[position - 1]
    entries[position - 1] = (number, previous, stored, {**content, "tampered": True})
    broken = first_broken_link(entries)
    assert (broken.position, broken.reason) == (position, "content")


@given(contents.filter(lambda v: len(v) >= 3), st.data())
def test_a_removed_entry_breaks_the_chain_where_it_was(values, data):
    entries = _chain(values)
    position = data.draw(st.integers(1, len(entries) - 1))
    del entries[position - 1]
    assert first_broken_link(entries).position == position


def test_hash_does_not_depend_on_key_order():
    assert link_hash(GENESIS, {"a": 1, "b": "中"}) == link_hash(GENESIS, {"b": "中", "a": 1})
    assert link_hash(GENESIS, {"a": 1}) != link_hash(hashlib.sha256().hexdigest(), {"a": 1})
