import json
import logging

from yijianshi.core.logging import MaskingJsonFormatter
from yijianshi.core.masking import mask_citizen_id, mask_mobile, mask_name, mask_text


def test_a_citizen_id_keeps_its_area_code_and_last_four():
    assert mask_citizen_id("11010519491231002X") == "110105********002X"


def test_a_mobile_keeps_three_and_four():
    assert mask_mobile("13812345678") == "138****5678"


def test_names_keep_the_family_name():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧**娜"


def test_free_text_is_masked_wherever_an_identifier_appears():
    text = "申请人11010519491231002X，电话13812345678，案号2024112200000123456789"
    masked = mask_text(text)
    assert "110105********002X" in masked
    assert "138****5678" in masked
    assert "11010519491231002X" not in masked
    assert "2024112200000123456789" in masked  # long digit runs that are not IDs stay


def test_log_lines_mask_message_extra_fields_and_tracebacks():
    formatter = MaskingJsonFormatter("%(levelname)s %(message)s")
    try:
        raise ValueError("bad id 11010519491231002X")
    except ValueError:
        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "user %s", ("11010519491231002X",), True)
        import sys

        record.exc_info = sys.exc_info()
    record.phone = "13812345678"
    line = formatter.format(record)
    assert "11010519491231002X" not in line
    assert "13812345678" not in line
    payload = json.loads(line)
    assert payload["message"] == "user 110105********002X"
    assert payload["phone"] == "138****5678"


def test_an_id_next_to_letters_or_in_full_width_digits_is_masked():
    # Regression: a username like "p110105…" and full-width digits slipped past the mask.
    assert mask_text("user p11010519491231002X logged in") == "user p110105********002X logged in"
    assert "１９４９１２３１" not in mask_text("证件 １１０１０５１９４９１２３１００２Ｘ")
    assert mask_text("手机１３８１２３４５６７８") == "手机１３８****５６７８"
