"""亮证核验: is this license genuine and in force? Asked with an identifier (the QR code, a clerk typing it) or with a
signed bundle (a department system holding the bytes). The answer is always a verdict, never an exception.

Verdicts: valid; invalid (unknown, malformed, tampered, wrong key, 暂扣); revoked (撤销, 注销, 吊销); expired (past its
validity, or 失效). The stored signature is checked on every verification, so a changed byte in the database is
caught too.
"""

import base64
import binascii
import hashlib
import json
import logging
import threading
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from yijianshi.core.lru import Lru
from yijianshi.licenses import sm2
from yijianshi.licenses.identifiers import IdentifierError, identifier_parse
from yijianshi.licenses.models import License, LicenseVersion, Seal

logger = logging.getLogger(__name__)

VALID, INVALID, REVOKED, EXPIRED = "valid", "invalid", "revoked", "expired"
ENDED = {License.Status.REVOKED, License.Status.CANCELLED, License.Status.WITHDRAWN}
MAX_BUNDLE_BYTES = 64 * 1024

_public_keys: dict[str, sm2.PublicKey] = {}
_public_keys_lock = threading.Lock()


@dataclass(frozen=True)
class Verdict:
    result: str
    reason: str
    version: LicenseVersion | None = None

    @property
    def license(self) -> License | None:
        return self.version.license if self.version is not None else None

    @property
    def is_latest(self) -> bool:
        return self.version is not None and self.version.identifier == self.version.license.identifier


def _public_key(seal: Seal) -> sm2.PublicKey:
    with _public_keys_lock:
        key = _public_keys.get(seal.fingerprint)
    if key is None:
        key = sm2.PublicKey.from_pem(seal.public_key_pem.encode())
        with _public_keys_lock:
            _public_keys[seal.fingerprint] = key
    return key


def _signature_holds(version: LicenseVersion) -> bool:
    """The stored version's signature holds. Remembered per process by a digest of the exact bytes checked (seal,
    payload, signature, signer): the same bytes give the same answer, and any changed byte is a new key that is
    checked afresh. Only the platform's own versions are remembered, never bytes a caller sends (`verify_bundle`),
    so nobody can fill the memory with checks of their own making."""
    seal, payload, signature = version.seal, bytes(version.payload), bytes(version.signature)
    key = hashlib.sha256(
        b"\0".join(
            [seal.fingerprint.encode(), version.signer_id.encode(), len(payload).to_bytes(8, "big"), payload, signature]
        )
    ).digest()
    known = _checked.get(key)
    if known is None:
        known = _public_key(seal).verify(payload, signature, version.signer_id.encode())
        _checked.put(key, known)
    return known


# A page that shows a case's licenses checks each once per process, not on every view (an SM2 verification is
# 0.3–0.7 ms); 4,096 digests of 32 bytes.
_checked = Lru(4096)


def _status_verdict(version: LicenseVersion) -> Verdict:
    """The verdict for a genuine version: the license's current status decides (a revoked license's older versions
    are revoked too)."""
    license = version.license
    status = License.Status(license.status)
    if status in ENDED:
        return Verdict(
            REVOKED,
            _("该证照已%(status)s：%(reason)s") % {"status": status.label, "reason": license.status_reason},
            version,
        )
    if status == License.Status.SUSPENDED:
        return Verdict(INVALID, _("该证照已被暂扣：%(reason)s") % {"reason": license.status_reason}, version)
    if status == License.Status.LAPSED:
        return Verdict(EXPIRED, _("该证照已失效：%(reason)s") % {"reason": license.status_reason}, version)
    if license.valid_until is not None and license.valid_until < timezone.localdate():
        return Verdict(EXPIRED, _("该证照已于 %(day)s 到期。") % {"day": license.valid_until}, version)
    if version.identifier != license.identifier:
        return Verdict(
            VALID, _("证照有效；此为历史版本，最新版本标识为 %(latest)s。") % {"latest": license.identifier}, version
        )
    return Verdict(VALID, _("证照有效，电子印章签名验证通过。"), version)


def _versions(identifiers) -> dict[str, LicenseVersion]:
    found = LicenseVersion.objects.select_related("seal", "license__license_type", "license__issuer").filter(
        identifier__in=list(identifiers)
    )
    return {version.identifier: version for version in found}


def _version(identifier: str) -> LicenseVersion | None:
    return _versions([identifier]).get(identifier)


def verify_identifier(text: str) -> Verdict:
    """Check an identifier: its check character, that the platform issued it, its signature, then its status."""
    return verify_identifiers([text])[text]


def verify_identifiers(texts) -> dict[str, Verdict]:
    """`verify_identifier` of each text, with one read of the versions they name: text → verdict."""
    verdicts, parsed = {}, {}
    for text in texts:
        try:
            parsed[text] = str(identifier_parse(str(text)))
        except IdentifierError as error:
            verdicts[text] = Verdict(INVALID, str(error))
        except Exception:  # a verdict, never an error page: the checker must always learn something
            logger.exception("license verification failed")
            verdicts[text] = _unavailable()
    if not parsed:
        return verdicts
    try:
        versions = _versions(set(parsed.values()))
    except Exception:
        logger.exception("license verification failed")
        return verdicts | {text: _unavailable() for text in parsed}
    return verdicts | {text: _verdict(versions.get(identifier)) for text, identifier in parsed.items()}


def _verdict(version: LicenseVersion | None) -> Verdict:
    if version is None:
        return Verdict(INVALID, _("查无此证：本平台未签发该标识的证照。"))
    try:
        if not _signature_holds(version):
            logger.error("license version %s fails its signature check", version.pk)
            return Verdict(INVALID, _("证照数据与电子印章签名不符，可能已被篡改。"))
        return _status_verdict(version)
    except Exception:
        logger.exception("license verification failed")
        return _unavailable()


def _unavailable() -> Verdict:
    return Verdict(INVALID, _("暂时无法核验，请稍后重试。"))


def _decode(value: str, field: str) -> bytes:
    try:
        data = base64.b64decode(value or "", validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError(_("%(field)s 不是有效的 Base64 编码。") % {"field": field}) from error
    if not data:
        raise ValueError(_("%(field)s 为空。") % {"field": field})
    return data


def verify_bundle(*, payload: str, signature: str, public_key: str = "", signer_id: str = "") -> Verdict:
    """Check a signed bundle as `GET /licenses/{id}/signed` gives it: the signature with the seal the payload names
    (a public key sent along must be that seal's), the bytes against the version the platform signed, the status."""
    try:
        if len(payload or "") > MAX_BUNDLE_BYTES or len(signature or "") > MAX_BUNDLE_BYTES:
            return Verdict(INVALID, _("签名数据过大。"))
        try:
            payload_bytes, signature_bytes = _decode(payload, "payload"), _decode(signature, "signature")
        except ValueError as error:
            return Verdict(INVALID, str(error))
        try:
            document = json.loads(payload_bytes.decode())
            identifier, fingerprint = document["identifier"], document["seal"]
        except (ValueError, KeyError, TypeError):  # not UTF-8, not JSON, not an object with both keys
            return Verdict(INVALID, _("签名原文不是本平台签发的证照数据。"))
        if not isinstance(identifier, str) or not isinstance(fingerprint, str):
            return Verdict(INVALID, _("签名原文不是本平台签发的证照数据。"))
        seal = Seal.objects.filter(fingerprint=fingerprint).first()
        if seal is None:
            return Verdict(INVALID, _("签名所用印章不是本平台的电子印章。"))
        if public_key.strip():
            try:
                offered = sm2.PublicKey.from_pem(public_key.strip().encode())
            except sm2.Sm2Error:
                return Verdict(INVALID, _("public_key 不是有效的 SM2 公钥（PEM）。"))
            if offered.fingerprint() != seal.fingerprint:
                return Verdict(INVALID, _("所附公钥与签发部门的电子印章不符。"))
        identity = (signer_id or sm2.DEFAULT_SIGNER_ID.decode()).encode()
        if not _public_key(seal).verify(payload_bytes, signature_bytes, identity):
            return Verdict(INVALID, _("签名验证失败：数据或签名已被改动，或签名者标识不符。"))
        version = _version(identifier)
        if version is None or bytes(version.payload) != payload_bytes or version.seal_id != seal.pk:
            return Verdict(INVALID, _("签名有效，但本平台没有签发过这份数据。"))
        return _status_verdict(version)
    except Exception:
        logger.exception("bundle verification failed")
        return _unavailable()
