"""Fetch-and-authorize for licenses. What a caller may not see answers exactly like what does not exist.

- Holders see their licenses (the applicants they act for: themselves, organisations they represent).
- The issuing department's staff with `license.manage` see and manage the licenses it issued.
"""

from django.db.models import Q

from yijianshi.accounts import scopes
from yijianshi.accounts.principal import Principal
from yijianshi.core.errors import NotFound
from yijianshi.licenses.models import License


def visible_licenses(principal: Principal):
    visible = Q(holder_id__in=principal.applicant_ids) if principal.applicant_ids else Q(pk__in=[])
    departments = principal.department_ids(scopes.LICENSE_MANAGE)
    if departments:
        visible |= Q(issuer_id__in=departments)
    return License.objects.filter(visible)


def access_license(principal: Principal, license_id) -> License:
    """A license the caller may read."""
    license = (
        visible_licenses(principal).select_related("license_type", "issuer", "holder").filter(pk=license_id).first()
    )
    if license is None:
        raise NotFound()
    return license


def access_license_to_manage(principal: Principal, license_id) -> License:
    """A license the caller's department issued, for a status change (`license.manage`)."""
    departments = principal.department_ids(scopes.LICENSE_MANAGE)
    license = License.objects.filter(pk=license_id, issuer_id__in=departments).first() if departments else None
    if license is None:
        raise NotFound()
    return license
