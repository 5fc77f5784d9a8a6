"""License identifiers: the published example checks, every identifier the platform makes parses back to itself, and
any one changed character is caught by the MOD 37,36 check character."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yijianshi.licenses.identifiers import IdentifierError, LicenseIdentifier, identifier_parse

EXAMPLE = "1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F"
CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

identifiers = st.builds(
    LicenseIdentifier,
    type_code=st.text(CODE_CHARS, min_size=21, max_size=21),
    issuer_code=st.text(CODE_CHARS, min_size=18, max_size=18),
    sequence=st.integers(1, 10**12 - 1),
    version=st.integers(1, 999),
)


def test_the_published_example_checks():
    parsed = identifier_parse(EXAMPLE)
    assert (parsed.type_code, parsed.issuer_code, parsed.sequence, parsed.version) == (
        "11100000000013338W032", "11220000013544541J", 2430599, 1,
    )  # fmt: skip
    assert str(parsed) == EXAMPLE


def test_spaces_and_lower_case_are_forgiven():
    assert str(identifier_parse(f"  {EXAMPLE.lower()} ")) == EXAMPLE


@given(identifiers)
def test_every_identifier_parses_back_to_itself(identifier):
    assert identifier_parse(str(identifier)) == identifier


@given(identifiers, st.data())
def test_one_changed_character_is_caught(identifier, data):
    text = str(identifier)
    body = [i for i, c in enumerate(text) if c != "." and i > len("1.2.156.3005.2.") - 1]
    position = data.draw(st.sampled_from(body))
    replacement = data.draw(st.sampled_from([c for c in CODE_CHARS if c != text[position]]))
    changed = text[:position] + replacement + text[position + 1 :]
    with pytest.raises(IdentifierError):
        identifier_parse(changed)


def test_a_new_version_is_a_new_identifier_with_its_own_check():
    first = identifier_parse(EXAMPLE)
    second = first.with_version(2)
    assert str(second).startswith("1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.002.")
    assert identifier_parse(str(second)) == second


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "格式不正确"),
        ("1.2.156.3005.2.111.112.1.001.F", "格式不正确"),
        (EXAMPLE[:-1] + "G", "校验位不正确"),
        (EXAMPLE.replace(".2430599.", ".02430599."), "不应以 0 开头"),
    ],
)
def test_bad_identifiers_say_what_is_wrong(text, message):
    with pytest.raises(IdentifierError, match=message):
        identifier_parse(text)
