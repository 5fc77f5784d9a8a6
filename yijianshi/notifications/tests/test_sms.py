"""The logging SMS gateway stands in for a real one without leaking what a message carries."""

import logging

from yijianshi.notifications.sms import LoggingSmsGateway


def test_the_log_shows_neither_the_number_nor_the_pickup_code(caplog):
    with caplog.at_level(logging.INFO, logger="yijianshi.notifications.sms"):
        LoggingSmsGateway().send("13800138000", "【一件事】您的办件已办结，取件码 839820。")
    (record,) = caplog.records
    assert record.phone == "138****8000"
    assert "839820" not in record.text and "取件码 ******" in record.text
