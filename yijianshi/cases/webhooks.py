"""Sending webhooks to department systems: signed with HMAC-SM3, retried with backoff, every attempt recorded.

The receiver checks `X-Yjs-Signature` = hex HMAC-SM3(secret, "<X-Yjs-Timestamp>.<body>") and should refuse
timestamps more than five minutes old; `X-Yjs-Delivery` is the same on every retry, so it can drop repeats
(docs/api.md § Webhooks).
"""

import datetime
import http.client
import json
import logging
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from yijianshi.cases.models import WebhookDelivery
from yijianshi.core.crypto import hmac_sm3_hex

logger = logging.getLogger(__name__)

# Waits after the 1st, 2nd, … failed attempt; after the last the delivery is given up as failed.
BACKOFF = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=12),
]
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT_SECONDS = 10


class Transport(Protocol):
    def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        """POST and return the HTTP status; raise OSError when no answer came."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a delivery: following it would re-send as a GET without the body."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


class HttpTransport:
    def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - admin-set URL
        try:
            with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


class RecordingTransport:
    """A test double: records each request and answers with `status` (or raises `error`)."""

    sent: list[tuple[str, bytes, dict]] = []
    status = 200
    error: OSError | None = None

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        RecordingTransport.sent.append((url, body, headers))
        if RecordingTransport.error is not None:
            raise RecordingTransport.error
        return RecordingTransport.status


def transport() -> Transport:
    return import_string(settings.YJS_WEBHOOK_TRANSPORT)()


def signed_request(delivery: WebhookDelivery, now: datetime.datetime) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    timestamp = str(int(now.timestamp()))
    signature = hmac_sm3_hex(delivery.subscription.secret.encode(), timestamp.encode() + b"." + body)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "yijianshi-webhooks/1",
        "X-Yjs-Event": delivery.event_type,
        "X-Yjs-Delivery": str(delivery.pk),
        "X-Yjs-Timestamp": timestamp,
        "X-Yjs-Signature": f"hmac-sm3={signature}",
    }
    return body, headers


CLAIM_SECONDS = TIMEOUT_SECONDS * 6


def delivery_claim(delivery_id) -> WebhookDelivery | None:
    """Take a due, pending delivery for one attempt, so a sweep and a late job never send it twice at once: the
    claim moves its next attempt past the time an attempt can take. A delivery of a subscription switched off is
    given up here."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + datetime.timedelta(seconds=CLAIM_SECONDS))
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    if not delivery.subscription.is_active:
        delivery.status, delivery.last_error = WebhookDelivery.Status.FAILED, "订阅已停用"
        delivery.save(update_fields=["status", "last_error"])
        return None
    return delivery


def delivery_attempt(delivery: WebhookDelivery) -> WebhookDelivery:
    """Try one delivery once and record the outcome: delivered on a 2xx, otherwise scheduled again or failed."""
    now = timezone.now()
    body, headers = signed_request(delivery, now)
    status, error = None, ""
    try:
        status = transport().post(delivery.subscription.url, body, headers)
    except (OSError, http.client.HTTPException, ValueError) as failure:  # no answer, or not one HTTP can read
        error = f"{type(failure).__name__}: {failure}"[:300]
    delivery.attempts += 1
    delivery.last_status_code, delivery.last_error = status, error
    delivery.history = [*delivery.history, {"at": now.isoformat(), "status": status, "error": error}]
    if status is not None and 200 <= status < 300:
        delivery.status, delivery.delivered_at = WebhookDelivery.Status.DELIVERED, now
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        logger.warning("webhook given up", extra={"delivery": str(delivery.pk), "url": delivery.subscription.url})
    else:
        delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
    delivery.save(
        update_fields=["attempts", "last_status_code", "last_error", "history", "status", "delivered_at",
                       "next_attempt_at"]
    )  # fmt: skip
    return delivery
