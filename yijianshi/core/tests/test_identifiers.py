import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from yijianshi.core.identifiers import (
    region_level,
    region_prefix,
    validate_citizen_id,
    validate_credit_code,
    validate_region_code,
)
from yijianshi.demo.identifiers import citizen_id, credit_code

# stdnum also checks that the area code existed on the birth date; these all exist from 1992 on.
AREAS = ["110105", "410105", "410102", "440305", "310115", "510107"]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

citizen_ids = st.builds(
    lambda area, birth, seq: citizen_id(area, birth.strftime("%Y%m%d"), seq),
    st.sampled_from(AREAS),
    st.dates(datetime.date(1992, 1, 1), datetime.date(2025, 12, 31)),
    st.integers(0, 999),
)
credit_codes = st.builds(
    lambda registry, area, serial: credit_code(registry, area, serial),
    st.sampled_from(["11", "12", "31", "51", "91", "92", "93"]),
    st.sampled_from(AREAS),
    st.text(alphabet=ORG_ALPHABET, min_size=8, max_size=8),
)


@given(citizen_ids)
def test_every_generated_citizen_id_is_valid(number):
    assert validate_citizen_id(number) == number
    assert ric.is_valid(number)


@given(citizen_ids, st.data())
def test_any_single_character_change_of_a_citizen_id_is_refused(number, data):
    position = data.draw(st.integers(0, 17))
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != number[position]]))
    corrupted = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationError) as caught:
        validate_citizen_id(corrupted)
    assert "公民身份号码" in caught.value.messages[0]


@given(credit_codes)
def test_every_generated_credit_code_is_valid(code):
    assert validate_credit_code(code) == code


@given(credit_codes, st.data())
def test_any_single_character_change_of_a_credit_code_is_refused(code, data):
    position = data.draw(st.integers(8, 17))  # the first 8 are digits; change within the checked alphabet
    replacement = data.draw(st.sampled_from([c for c in USCC_ALPHABET if c != code[position]]))
    corrupted = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(corrupted)
    assert "统一社会信用代码" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1101051949123100", "应为 18 位"),
        ("1101051949A231002X", "含有不允许的字符"),
        ("11010519491231002Y", "校验位不正确"),
        ("110105194912310021", "校验位不正确"),
        (citizen_id("110105", "19491331", 2), "出生日期或地区码无效"),
        (citizen_id("410105", "19500101", 2), "出生日期或地区码无效"),  # 金水区 did not exist yet
        ("", "应为 18 位"),
    ],
)
def test_a_malformed_citizen_id_gets_a_reason(value, reason):
    with pytest.raises(ValidationError) as caught:
        validate_citizen_id(value)
    assert reason in caught.value.messages[0]


def test_a_lower_case_check_character_is_accepted_and_normalised():
    assert validate_citizen_id("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("code", "level", "prefix"),
    [
        ("410000000000", 1, "41"),
        ("410100000000", 2, "4101"),
        ("410105000000", 3, "410105"),
        ("410105001000", 4, "410105001"),
        ("410105001201", 5, "410105001201"),
    ],
)
def test_region_level_and_prefix_follow_the_significant_digits(code, level, prefix):
    assert validate_region_code(code) == code
    assert region_level(code) == level
    assert region_prefix(code) == prefix


@given(st.text(max_size=14).filter(lambda s: not (len(s) == 12 and s.isdigit() and s.isascii())))
def test_anything_but_twelve_digits_is_not_a_region_code(value):
    with pytest.raises(ValidationError):
        validate_region_code(value)


def test_full_width_digits_are_not_a_region_code():
    # Regression: str.isdigit() accepted full-width digits, found by the property test above.
    with pytest.raises(ValidationError):
        validate_region_code("４１０１００００００００")


def test_full_width_identifiers_typed_by_an_input_method_are_accepted_as_ascii():
    assert validate_citizen_id("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"
    assert validate_credit_code("９１１１００００６０００３７３４１Ｌ") == "91110000600037341L"
