"""The SMS gateway: an interface, a logging implementation for a platform without one, and a test double.

A deployment names its gateway class in YJS_SMS_GATEWAY (a dotted path); a real one (a province's SMS platform)
implements `send` the same way.
"""

import logging
import re
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from yijianshi.core.masking import mask_mobile

logger = logging.getLogger(__name__)


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Send `text` to a mainland mobile number; raise on failure so the job is retried."""


def sms_text(title: str, body: str) -> str:
    """A notice as an SMS: the platform's signature (短信签名), the title and the text."""
    return f"【{settings.YJS_SMS_SIGNATURE}】{title}：{body}"


DIGITS = re.compile(r"\d{4,}")


def mask_digits(text: str) -> str:
    """Pickup codes, case numbers' sequences and other runs of digits, starred out for the log."""
    return DIGITS.sub(lambda m: "*" * len(m.group()), text)


class LoggingSmsGateway:
    """Writes each message to the log instead of sending it: the number masked, and runs of digits in the text
    (a pickup code is a credential) starred out."""

    def send(self, phone: str, text: str) -> None:
        logger.info("sms", extra={"phone": mask_mobile(phone), "text": mask_digits(text)})


class OutboxSmsGateway:
    """Keeps messages in `outbox`, like Django's locmem email backend; for tests."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        OutboxSmsGateway.outbox.append((phone, text))


def gateway() -> SmsGateway:
    return import_string(settings.YJS_SMS_GATEWAY)()
