"""Reads for licenses: the holder's wallet, a license as its holder or issuer sees it, and the public view a
verification shows anyone (holder name and number masked, only fields the type marks public)."""

from collections.abc import Mapping

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from yijianshi.accounts.principal import Principal
from yijianshi.core.masking import mask_citizen_id, mask_name
from yijianshi.licenses.models import License
from yijianshi.licenses.verification import Verdict


def wallet(principal: Principal, *, status: str | None = None):
    """The licenses held by the applicants the caller acts for, newest first."""
    licenses = License.objects.filter(holder_id__in=principal.applicant_ids).select_related("license_type")
    if status:
        licenses = licenses.filter(status=status)
    return licenses.order_by("-issued_on", "-created_at")


def usable_licenses(holder_id: int, type_codes) -> dict[str, License]:
    """The holder's licenses that can stand in for a material (免提交): valid, not expired, the newest per type."""
    today = timezone.localdate()
    found: dict[str, License] = {}
    licenses = (
        License.objects.filter(
            holder_id=holder_id, license_type__code__in=list(type_codes), status=License.Status.VALID
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("license_type")
        .order_by("-issued_on", "-created_at")
    )
    for license in licenses:
        found.setdefault(license.license_type.code, license)
    return found


def licenses_for_materials(
    holder_id: int | None, materials: list[dict], *, owners: Mapping[str, int] | None = None
) -> dict[str, License]:
    """Material key → the usable license of the type the material names (what could stand in for it).

    A material is the applicant's own (`holder_id`) unless it names a holder (`license_holder`: the form field with
    the ID number of the person it is about, such as the mother's ID card). Such a material takes the license of the
    owner `owners` gives for it (the applicant or the person acting for them, when the form names them), and no
    license when it gives none: another person's license is not the applicant's to hand in."""
    owner_of = {}
    for material in materials:
        if material.get("license_type"):
            owner = (owners or {}).get(material["key"]) if material.get("license_holder") else holder_id
            if owner is not None:
                owner_of[material["key"]] = owner
    found = {}
    for owner in set(owner_of.values()):
        mine = [m for m in materials if owner_of.get(m["key"]) == owner]
        held = usable_licenses(owner, {m["license_type"] for m in mine})
        found |= {m["key"]: held[m["license_type"]] for m in mine if m["license_type"] in held}
    return found


def verify_url(identifier: str) -> str:
    """The public verification page of an identifier, as printed in the QR code."""
    return settings.YJS_PUBLIC_URL + reverse("portal:verify", args=[identifier])


def license_fields(license: License, *, public_only: bool) -> list[dict]:
    labels = {f["key"]: f for f in license.license_type.fields}
    rows = []
    for key, value in license.data.items():
        field = labels.get(key, {"label": key, "public": False})
        if public_only and not field.get("public"):
            continue
        rows.append({"key": key, "label": field.get("label", key), "value": value})
    return rows


def license_summary(license: License) -> dict:
    today = timezone.localdate()
    return {
        "id": license.pk,
        "identifier": license.identifier,
        "name": license.name,
        "number": license.number,
        "type_code": license.license_type.code,
        "holder_name": license.holder_name,
        "issuer_name": license.issuer_name,
        "issued_on": license.issued_on,
        "valid_until": license.valid_until,
        "status": license.status,
        "status_name": license.get_status_display(),
        "expired": license.valid_until is not None and license.valid_until < today,
        "version": license.version,
    }


def license_detail(license: License) -> dict:
    """Everything about a license, for its holder and its issuer."""
    return {
        **license_summary(license),
        "type_name": license.license_type.name,
        "holder_id_kind": license.holder_id_kind,
        "holder_id_number": license.holder_id_number,
        "issuer_code": license.issuer_code,
        "area_code": license.area_code,
        "valid_from": license.valid_from,
        "item_code": license.item_code,
        "source_case_id": license.source_case_id,
        "status_reason": license.status_reason,
        "data": license_fields(license, public_only=False),
        "verify_url": verify_url(license.identifier),
        "versions": [
            {
                "version": v.version,
                "identifier": v.identifier,
                "status": v.status,
                "reason": v.reason,
                "signed_at": v.created_at,
                "seal": v.seal.fingerprint,
            }
            for v in license.versions.select_related("seal").order_by("version")
        ],
    }


def public_view(license: License) -> dict:
    """What a verification shows anyone: enough to tell the license apart, nothing that identifies the holder."""
    masked_id = (
        mask_citizen_id(license.holder_id_number) if license.holder_id_kind == "111" else license.holder_id_number
    )
    return {
        "identifier": license.identifier,
        "name": license.name,
        "number": license.number,
        "holder_name": mask_name(license.holder_name) if license.holder_id_kind == "111" else license.holder_name,
        "holder_id_number": masked_id,
        "issuer_name": license.issuer_name,
        "issued_on": license.issued_on,
        "valid_from": license.valid_from,
        "valid_until": license.valid_until,
        "status": license.status,
        "status_name": license.get_status_display(),
        "version": license.version,
        "data": license_fields(license, public_only=True),
    }


def verdict_view(verdict: Verdict) -> dict:
    license = verdict.license
    return {
        "result": verdict.result,
        "reason": verdict.reason,
        "identifier": verdict.version.identifier if verdict.version else None,
        "latest": verdict.is_latest,
        "license": public_view(license) if license is not None else None,
    }
