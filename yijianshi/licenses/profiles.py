"""一人一档 / 一企一档 and consent: the attributes an applicant gave once, kept up to date from their accepted cases,
and reused to prefill a joint form only where the applicant's consent covers them.

Attribute keys are the catalog's prefill sources (`person.phone`, `org.address`, …). The identifying attributes
(name and ID number) come from the applicant's own record; the rest from the joint forms of accepted cases.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yijianshi.accounts.models import Applicant
from yijianshi.core.errors import Conflict, InvalidInput, NotFound
from yijianshi.licenses.models import Consent, Profile

# The attributes a profile keeps, with the label an applicant sees, per kind of applicant.
PERSON_ATTRIBUTES = {
    "person.name": gettext_lazy("姓名"),
    "person.citizen_id": gettext_lazy("公民身份号码"),
    "person.phone": gettext_lazy("联系电话"),
    "person.address": gettext_lazy("联系地址"),
    "person.household_address": gettext_lazy("户籍地址"),
    "person.employer": gettext_lazy("工作单位"),
}
ORGANIZATION_ATTRIBUTES = {
    "org.name": gettext_lazy("单位名称"),
    "org.credit_code": gettext_lazy("统一社会信用代码"),
    "org.legal_representative": gettext_lazy("法定代表人"),
    "org.legal_representative_id": gettext_lazy("法定代表人身份证件号码"),
    "org.phone": gettext_lazy("联系电话"),
    "org.address": gettext_lazy("住所"),
    "org.registered_capital": gettext_lazy("注册资本"),
    "org.business_scope": gettext_lazy("经营范围"),
}
# Identity comes from real-name registration only, never from what a form said.
REGISTERED_ONLY = frozenset({"person.name", "person.citizen_id", "org.name", "org.credit_code"})
CONSENT_DAYS_DEFAULT = 365
CONSENT_DAYS_MAX = 3 * 365


def attributes_for(applicant: Applicant) -> dict:
    return PERSON_ATTRIBUTES if applicant.is_person else ORGANIZATION_ATTRIBUTES


def _registered(applicant: Applicant) -> dict[str, str]:
    """What the applicant's own record says (verified at registration)."""
    if applicant.is_person:
        values = {
            "person.name": applicant.name,
            "person.citizen_id": applicant.id_number,
            "person.phone": applicant.phone,
        }
    else:
        values = {
            "org.name": applicant.name,
            "org.credit_code": applicant.id_number,
            "org.legal_representative": applicant.legal_representative_name,
            "org.legal_representative_id": applicant.legal_representative_id_number,
            "org.phone": applicant.phone,
        }
    return {key: value for key, value in values.items() if value}


def profile_values(applicant: Applicant) -> dict[str, dict]:
    """Every attribute known about the applicant: {key: {"value", "source", "updated_at"}}. Case data wins over
    registration data only for attributes registration does not fix (name and ID number always come from it)."""
    stored = Profile.objects.filter(applicant=applicant).values_list("attributes", flat=True).first() or {}
    values = dict(stored)
    for key, value in _registered(applicant).items():
        if key in REGISTERED_ONLY or key not in values:
            values[key] = {"value": value, "source": str(_("实名注册信息")), "updated_at": None}
    return values


def profile_update_from_case(*, applicant: Applicant, form: list[dict], data: dict, case_number: str) -> list[str]:
    """Keep what an accepted case's joint form says about its applicant; return the attributes changed."""
    known = {key for key in attributes_for(applicant) if key not in REGISTERED_ONLY}
    now = timezone.now()
    changes = {
        field["prefill"]: data[field["key"]]
        for field in form
        if field.get("prefill") in known
        and isinstance(data.get(field["key"]), str | int | float)
        and data[field["key"]] != ""
    }
    if not changes:
        return []
    profile, _created = Profile.objects.select_for_update().get_or_create(applicant=applicant)
    changed = []
    for key, value in changes.items():
        if (profile.attributes.get(key) or {}).get("value") != value:
            profile.attributes[key] = {
                "value": value,
                "source": _("办件 %(number)s") % {"number": case_number},
                "updated_at": now.isoformat(),
            }
            changed.append(key)
    if changed:
        profile.updated_at = now
        profile.save(update_fields=["attributes", "updated_at"])
    return changed


def consent_grant(
    *,
    applicant: Applicant,
    by,
    purpose: str = Consent.Purpose.PREFILL,
    scope: list[str] | None = None,
    days: int | None = None,
) -> Consent:
    """Record consent to reuse `scope` (default: every attribute of the applicant's kind) for `days` days."""
    known = attributes_for(applicant)
    problems = {}
    if purpose not in Consent.Purpose.values:
        problems["purpose"] = _("没有这种用途：%(value)s") % {"value": purpose}
    chosen = list(dict.fromkeys(scope)) if scope is not None else list(known)
    unknown = [key for key in chosen if key not in known]
    if unknown:
        problems["scope"] = _("不能授权这些属性：%(keys)s（可选：%(valid)s）") % {
            "keys": "、".join(unknown),
            "valid": "、".join(known),
        }
    elif not chosen:
        problems["scope"] = _("请至少选择一项属性")
    days = CONSENT_DAYS_DEFAULT if days is None else days
    if not 1 <= days <= CONSENT_DAYS_MAX:
        problems["days"] = _("授权期限应在 1 至 %(max)d 天之间") % {"max": CONSENT_DAYS_MAX}
    if problems:
        raise InvalidInput.for_fields(problems)
    now = timezone.now()
    return Consent.objects.create(
        applicant=applicant,
        purpose=purpose,
        scope=chosen,
        granted_by=by.user,
        granted_at=now,
        expires_at=now + timedelta(days=days),
    )


def consent_withdraw(*, consent_id, by) -> Consent:
    """Withdraw a consent of an applicant the caller acts for; from now on nothing in its scope is reused."""
    with transaction.atomic():
        consent = Consent.objects.select_for_update().filter(pk=consent_id, applicant_id__in=by.applicant_ids).first()
        if consent is None:
            raise NotFound()
        if consent.withdrawn_at is not None:
            raise Conflict(_("该授权已经撤回。"), code="consent_withdrawn")
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
    return consent


def consented_attributes(applicant_id: int, *, purpose: str = Consent.Purpose.PREFILL, at=None) -> set[str]:
    """The attributes the applicant's consents in force cover for `purpose`."""
    at = at or timezone.now()
    scopes = Consent.objects.filter(
        applicant_id=applicant_id, purpose=purpose, withdrawn_at__isnull=True, granted_at__lte=at, expires_at__gt=at
    ).values_list("scope", flat=True)
    return {key for scope in scopes for key in scope}


def prefill(applicant: Applicant, form: list[dict]) -> dict[str, dict]:
    """Joint-form values from the profile, for fields whose prefill source the applicant consented to:
    {field key: {"value", "attribute", "source"}}."""
    wanted = {field["prefill"] for field in form if field.get("prefill")}
    if not wanted:
        return {}
    allowed = consented_attributes(applicant.pk) & wanted
    if not allowed:
        return {}
    values = profile_values(applicant)
    return {
        field["key"]: {"value": values[field["prefill"]]["value"], "attribute": field["prefill"],
                       "source": values[field["prefill"]]["source"]}
        for field in form
        if field.get("prefill") in allowed and field["prefill"] in values
    }  # fmt: skip


def profile_view(applicant: Applicant) -> dict:
    """The profile as its owner sees it: each attribute with its value, where it came from and whether a consent
    in force covers it."""
    values = profile_values(applicant)
    consented = consented_attributes(applicant.pk)
    return {
        "applicant": {"id": applicant.pk, "kind": applicant.kind, "name": applicant.name},
        "attributes": [
            {
                "key": key,
                "label": str(label),
                "value": (values.get(key) or {}).get("value"),
                "source": (values.get(key) or {}).get("source"),
                "updated_at": (values.get(key) or {}).get("updated_at"),
                "consented": key in consented,
            }
            for key, label in attributes_for(applicant).items()
        ],
    }


def consent_view(consent: Consent) -> dict:
    labels = {**PERSON_ATTRIBUTES, **ORGANIZATION_ATTRIBUTES}
    return {
        "id": consent.pk,
        "applicant_id": consent.applicant_id,
        "purpose": consent.purpose,
        "purpose_label": consent.get_purpose_display(),
        "scope": consent.scope,
        "scope_labels": [str(labels.get(key, key)) for key in consent.scope],
        "granted_at": consent.granted_at,
        "expires_at": consent.expires_at,
        "withdrawn_at": consent.withdrawn_at,
        "active": consent.is_active(),
    }
