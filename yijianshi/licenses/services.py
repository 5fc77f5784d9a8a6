"""Writes for licenses: issue a license (sealed with the issuing department's SM2 seal) and change its status, each
change a new signed version with its own identifier."""

import base64
import calendar
import datetime
import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yijianshi.accounts.models import Applicant, Department
from yijianshi.core.errors import Conflict, InvalidInput
from yijianshi.core.sequences import counter_next
from yijianshi.licenses import sm2
from yijianshi.licenses.identifiers import LicenseIdentifier, identifier_parse
from yijianshi.licenses.models import License, LicenseSequence, LicenseType, LicenseVersion, Seal
from yijianshi.licenses.seals import seal_current, seal_private_key

SIGNER_ID = sm2.DEFAULT_SIGNER_ID.decode()
# Which status may follow which (GB/T 36903 status codes). 暂扣 can be lifted; the others end the license.
TRANSITIONS = {
    License.Status.VALID: {
        License.Status.SUSPENDED, License.Status.REVOKED, License.Status.CANCELLED, License.Status.LAPSED,
        License.Status.WITHDRAWN,
    },
    License.Status.SUSPENDED: {
        License.Status.VALID, License.Status.REVOKED, License.Status.CANCELLED, License.Status.WITHDRAWN,
    },
}  # fmt: skip


def canonical_bytes(payload: dict) -> bytes:
    """The signed serialisation: UTF-8 JSON with sorted keys and no insignificant whitespace."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def license_payload(license: License, *, seal: Seal, signed_at: datetime.datetime) -> dict:
    """What a version's signature covers: every metadata element GB/T 36903 requires, the data and the status."""
    return {
        "identifier": license.identifier,
        "version": license.version,
        "name": license.name,
        "number": license.number,
        "type": {"code": license.license_type.code, "name": license.license_type.name},
        "holder": {
            "name": license.holder_name,
            "id_kind": license.holder_id_kind,
            "id_number": license.holder_id_number,
        },
        "issuer": {"name": license.issuer_name, "code": license.issuer_code},
        "area_code": license.area_code,
        "issued_on": license.issued_on.isoformat(),
        "valid_from": license.valid_from.isoformat(),
        "valid_until": license.valid_until.isoformat() if license.valid_until else None,
        "item_code": license.item_code,
        "data": license.data,
        "status": license.status,
        "status_reason": license.status_reason,
        "seal": seal.fingerprint,
        "signed_at": signed_at.isoformat(),
    }


def _version_sign(license: License, *, by, reason: str = "") -> LicenseVersion:
    """Sign the license's current state as a new version with its issuer's current seal."""
    seal = seal_current(license.issuer)
    signed_at = timezone.now()
    payload = canonical_bytes(license_payload(license, seal=seal, signed_at=signed_at))
    return LicenseVersion.objects.create(
        license=license,
        version=license.version,
        identifier=license.identifier,
        status=license.status,
        reason=reason,
        payload=payload,
        signature=seal_private_key(seal).sign(payload),
        seal=seal,
        signer_id=SIGNER_ID,
        changed_by=getattr(by, "user", None),
        changed_by_client=getattr(by, "client", None),
        created_at=signed_at,
    )


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def validity_end(license_type: LicenseType, valid_from: datetime.date) -> datetime.date | None:
    """The last valid day: `validity_months` after the first, less one day; None when valid without limit."""
    if not license_type.validity_months:
        return None
    return _add_months(valid_from, license_type.validity_months) - datetime.timedelta(days=1)


def license_issue(
    *, license_type: LicenseType, holder: Applicant, issuer: Department, data: dict, by, item_code: str = "",
    source_case_id=None, source_task_id=None, area_code: str = "",
) -> tuple[License, bool]:  # fmt: skip
    """Issue and seal a license; return it and whether it is new. Issuing for a task twice gives the first license
    back (the caller holds the task's lock; the unique constraint on task and type backs this up)."""
    problems = {}
    if not license_type.is_active:
        problems["license_type"] = _("证照类型“%(name)s”已停用。") % {"name": license_type.name}
    if holder.kind != license_type.holder_kind:
        problems["holder"] = _("“%(name)s”只能颁发给%(kind)s。") % {
            "name": license_type.name, "kind": license_type.get_holder_kind_display(),
        }  # fmt: skip
    if not isinstance(data, dict):
        problems["data"] = _("证照数据应为对象。")
    if problems:
        raise InvalidInput.for_fields(problems)
    if source_task_id is not None:
        existing = License.objects.filter(source_task_id=source_task_id, license_type=license_type).first()
        if existing is not None:
            return existing, False
    today = timezone.localdate()
    with transaction.atomic():
        sequence = counter_next(LicenseSequence, f"{license_type.code}.{issuer.credit_code}")
        identifier = LicenseIdentifier(license_type.code, issuer.credit_code, sequence, 1)
        area = (area_code or issuer.region.code)[:6]
        license = License(
            identifier=str(identifier),
            license_type=license_type,
            name=license_type.name,
            number=f"{area}{today:%Y}{sequence:08d}",
            sequence=sequence,
            holder=holder,
            holder_name=holder.name,
            holder_id_kind=holder.id_type,
            holder_id_number=holder.id_number,
            issuer=issuer,
            issuer_name=issuer.name,
            issuer_code=issuer.credit_code,
            area_code=area,
            issued_on=today,
            valid_from=today,
            valid_until=validity_end(license_type, today),
            data=data,
            item_code=item_code,
            source_case_id=source_case_id,
            source_task_id=source_task_id,
        )
        license.save()
        _version_sign(license, by=by)
    return license, True


def license_status_change(*, license_id, status: str, reason: str, by) -> License:
    """Change a license's status (暂扣, 撤销, 注销, 失效, 吊销, or 有效 again after 暂扣): a new version, with the next
    version number in its identifier, signed by the issuer's current seal."""
    problems = {}
    if status not in License.Status.values:
        problems["status"] = _("状态应为：%(choices)s") % {
            "choices": "、".join(f"{label}（{value}）" for value, label in License.Status.choices)
        }
    if not reason.strip():
        problems["reason"] = _("请说明变更原因")
    if problems:
        raise InvalidInput.for_fields(problems)
    with transaction.atomic():
        license = License.objects.select_for_update().select_related("license_type", "issuer").get(pk=license_id)
        if status not in TRANSITIONS.get(license.status, set()):
            raise Conflict(
                _("证照当前为“%(current)s”，不能变更为“%(new)s”。")
                % {"current": license.get_status_display(), "new": License.Status(status).label},
                code="license_status",
            )
        license.status, license.status_reason = status, reason.strip()
        license.version += 1
        license.identifier = str(identifier_parse(license.identifier).with_version(license.version))
        license.updated_at = timezone.now()
        license.save(update_fields=["status", "status_reason", "version", "identifier", "updated_at"])
        _version_sign(license, by=by, reason=license.status_reason)
    return license


def signed_bundle(version: LicenseVersion) -> dict:
    """The exact signed bytes and signature of a version, with what anyone needs to check them (e.g. with OpenSSL)."""
    return {
        "identifier": version.identifier,
        "payload": base64.b64encode(bytes(version.payload)).decode(),
        "signature": base64.b64encode(bytes(version.signature)).decode(),
        "public_key": version.seal.public_key_pem,
        "signer_id": version.signer_id,
        "algorithm": "SM2-with-SM3",
        "seal": version.seal.fingerprint,
    }
