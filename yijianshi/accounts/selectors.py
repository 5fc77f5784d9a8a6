"""Reads for accounts: who the caller is, and the organisation data anyone may list."""

import dataclasses
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from yijianshi.accounts import principal_cache
from yijianshi.accounts.models import (
    ApiClient,
    ApiToken,
    Department,
    OrganizationMember,
    Region,
    Role,
    RoleAssignment,
    User,
)
from yijianshi.accounts.principal import Grant, Principal
from yijianshi.accounts.tokens import TOKEN_PREFIX, token_digest
from yijianshi.core.identifiers import region_prefix

# A token's last use is written at most this often, so that reads do not turn into writes.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def _role_grant(role: Role, **where) -> Grant:
    return Grant(role=role.code, role_name=role.name, scopes=frozenset(s.code for s in role.scopes.all()), **where)


ACTING_SESSION_KEY = "acting_applicant_id"


def principal_for_session(user: User, session) -> Principal:
    """The caller of a page or a session API call: as `principal_for_user`, acting for the applicant chosen in the
    session (a person switching to an organisation they represent), when they still may."""
    principal = principal_for_user(user)
    chosen = session.get(ACTING_SESSION_KEY) if user.is_applicant else None
    if isinstance(chosen, int) and chosen in principal.applicant_ids:
        return dataclasses.replace(principal, acting=chosen)
    return principal


def principal_for_user(user: User, *, token: ApiToken | None = None) -> Principal:
    """Build the caller from a user (as loaded for this request): applicants by their kind's role, staff by their
    assignments. What they may do is read once per process and version of their access (`principal_cache`)."""
    grants, applicant_ids = principal_cache.cached(user, lambda: _access_of(user))
    return Principal(user=user, token=token, grants_held=grants, applicant_ids=applicant_ids)


def _access_of(user: User) -> tuple[tuple[tuple[Grant, ...], frozenset[int]], datetime | None]:
    """((grants, applicant ids), when that stops holding: the first membership to run out, or None)."""
    if user.is_applicant:
        role = Role.objects.prefetch_related("scopes").get(code=user.kind)
        applicant_ids, until = {user.applicant_id}, None
        if user.kind == User.Kind.PERSON:
            memberships = OrganizationMember.objects.filter(OrganizationMember.active_q(), user=user)
            for organization_id, valid_until in memberships.values_list("organization_id", "valid_until"):
                applicant_ids.add(organization_id)
                if valid_until is not None and (until is None or valid_until < until):
                    until = valid_until
        return ((_role_grant(role),), frozenset(applicant_ids)), until

    assignments = (
        RoleAssignment.objects.filter(user=user).select_related("role", "region").prefetch_related("role__scopes")
    )
    grants = [
        _role_grant(a.role, region_prefix=a.region.prefix, region_code=a.region.code, department_id=a.department_id)
        for a in assignments
    ]
    if user.is_superuser and not any(grant.role == "system_admin" for grant in grants):
        grants.append(_role_grant(Role.objects.prefetch_related("scopes").get(code="system_admin")))
    return (tuple(grants), frozenset()), None


def principal_for_client(client: ApiClient, *, token: ApiToken) -> Principal:
    """A department system acts within its department and that department's region."""
    grant = Grant(
        role="api_client",
        role_name=client.name,
        scopes=frozenset(s.code for s in client.scopes.all()),
        region_prefix=client.department.region.prefix,
        region_code=client.department.region.code,
        department_id=client.department_id,
    )
    return Principal(client=client, token=token, grants_held=(grant,))


def principal_for_token(raw: str) -> Principal | None:
    """The caller a bearer token stands for, or None if it is unknown, expired, revoked or its holder disabled."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user__applicant", "client__department__region")
        .filter(key_digest=token_digest(raw))
        .first()
    )
    now = timezone.now()
    if token is None or not token.is_usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    if token.user_id is not None:
        if not token.user.is_active:
            return None
        return principal_for_user(token.user, token=token)
    if not token.client.is_active:
        return None
    return principal_for_client(token.client, token=token)


def token_list_for_user(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def department_list(*, region_code: str | None = None) -> QuerySet[Department]:
    """Active departments, within a region when one is named (an unknown region has none)."""
    departments = Department.objects.filter(is_active=True).select_related("region")
    if region_code is not None:
        departments = departments.filter(region__code__startswith=region_prefix(region_code))
    return departments


def region_children(*, parent_code: str | None) -> QuerySet[Region]:
    if parent_code is not None:
        return Region.objects.filter(parent__code=parent_code)
    return Region.objects.filter(parent__isnull=True)


def memberships_of(user: User) -> QuerySet[OrganizationMember]:
    return OrganizationMember.objects.filter(OrganizationMember.active_q(), user=user).select_related("organization")
