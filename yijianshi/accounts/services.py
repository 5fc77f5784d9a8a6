"""Writes for accounts. Each service validates fully before it saves and runs in one transaction."""

import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import authenticate, password_validation, user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yijianshi.accounts.models import (
    ApiClient,
    ApiToken,
    Applicant,
    Department,
    OrganizationMember,
    Region,
    Role,
    RoleAssignment,
    Scope,
    User,
)
from yijianshi.accounts.tokens import new_token, token_digest
from yijianshi.core.errors import InvalidInput, LockedOut, NotAuthenticated


def lockout_message() -> str:
    minutes = math.ceil(get_cool_off().total_seconds() / 60) if get_cool_off() else None
    if minutes:
        return _("登录失败次数过多，账户已被锁定，请 %(minutes)d 分钟后再试。") % {"minutes": minutes}
    return _("登录失败次数过多，账户已被锁定，请联系管理员解锁。")


def lockout_headers() -> dict[str, str]:
    """Retry-After in seconds, so programs wait rather than retry into a longer lock."""
    cool_off = get_cool_off()
    return {"Retry-After": str(int(cool_off.total_seconds()))} if cool_off else {}


def locked_out() -> LockedOut:
    return LockedOut(lockout_message(), headers=lockout_headers())


def login_check(*, request, username: str, password: str) -> User:
    """Authenticate a user for an API token, counting failures toward the lockout (django-axes)."""
    credentials = {"username": username}
    if not AxesProxyHandler.is_allowed(request, credentials):
        raise locked_out()
    user = authenticate(request=request, username=username, password=password)
    if user is None:
        if getattr(request, "axes_locked_out", False) or not AxesProxyHandler.is_allowed(request, credentials):
            raise locked_out()
        raise NotAuthenticated(_("用户名或密码错误。"), code="invalid_credentials")
    # A token login is a login: record it and clear the failure count.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return user


@transaction.atomic
def token_issue(*, user: User | None = None, client: ApiClient | None = None, name: str = "") -> tuple[str, ApiToken]:
    """Issue a bearer token for a user or an API client; return the token (shown once) and its record."""
    ttl = settings.YJS_CLIENT_TOKEN_TTL if client is not None else settings.YJS_TOKEN_TTL
    raw = new_token()
    token = ApiToken(
        key_digest=token_digest(raw),
        prefix=raw[:12],
        user=user,
        client=client,
        name=name,
        expires_at=timezone.now() + ttl,
    )
    token.full_clean()
    token.save()
    return raw, token


def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token at once. Revoking twice keeps the first time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def applicant_create(
    *,
    kind: str,
    name: str,
    id_number: str,
    phone: str = "",
    region: Region | None = None,
    legal_representative_name: str = "",
    legal_representative_id_number: str = "",
) -> Applicant:
    applicant = Applicant(
        kind=kind,
        name=name,
        id_number=id_number,
        phone=phone,
        region=region,
        legal_representative_name=legal_representative_name,
        legal_representative_id_number=legal_representative_id_number,
    )
    applicant.full_clean()
    applicant.save()
    return applicant


def _checked(check, field: str) -> None:
    """Run a model check; what it refuses becomes InvalidInput under `field`."""
    try:
        check()
    except ValidationError as error:
        raise InvalidInput.for_fields(
            {f"{field}.{key}": " ".join(messages) for key, messages in error.message_dict.items()}
        ) from error


def applicant_find_or_register(*, kind: str, name: str, id_number: str, phone: str = "", field: str = "applicant",
                               **organization) -> Applicant:  # fmt: skip
    """The applicant with this identifier, or a newly registered one (a walk-in at a window). The name must match
    what is registered; problems are InvalidInput under `field`."""
    candidate = Applicant(kind=kind, name=name.strip(), id_number=id_number, phone=phone.strip(), **organization)
    _checked(candidate.clean, field)  # normalises the identifier the lookup needs
    existing = Applicant.objects.filter(id_type=candidate.id_type, id_number=candidate.id_number).first()
    if existing is not None:
        if existing.name != candidate.name:
            raise InvalidInput.for_field(f"{field}.name", _("姓名（名称）与登记的证件号码不一致"))
        return existing
    _checked(candidate.full_clean, field)
    candidate.save()
    return candidate


def _user_save_new(user: User, password: str | None) -> User:
    """Validate and save a new user; without a password it can log in only through the identity platform."""
    if password is None:
        user.set_unusable_password()
    else:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise InvalidInput.for_field("password", " ".join(error.messages)) from error
        user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_create_applicant(*, username: str, password: str | None, applicant: Applicant, email: str = "") -> User:
    """An applicant's login: a person's own account or an organisation's account (法人用户)."""
    user = User(
        username=username,
        email=email,
        kind=applicant.kind,
        name=applicant.name,
        phone=applicant.phone,
        applicant=applicant,
    )
    return _user_save_new(user, password)


@transaction.atomic
def user_create_staff(
    *, username: str, password: str, name: str, email: str = "", phone: str = "", is_superuser: bool = False
) -> User:
    user = User(
        username=username,
        email=email,
        kind=User.Kind.STAFF,
        name=name,
        phone=phone,
        is_staff=is_superuser,
        is_superuser=is_superuser,
    )
    return _user_save_new(user, password)


@transaction.atomic
def role_assign(*, user: User, role_code: str, region: Region | None = None, department: Department | None = None):
    """Give a staff member a role in a region, or in a department (the region then defaults to its region)."""
    role = Role.objects.filter(code=role_code).first()
    if role is None:
        raise InvalidInput.for_field("role", _("角色“%(code)s”不存在。") % {"code": role_code})
    if region is None:
        if department is None:
            raise InvalidInput.for_field("region", _("请指定管辖区划或所属部门。"))
        region = department.region
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, region=region, department=department
    )
    if created:
        assignment.full_clean()
    # Staff who administer something reach Django admin; what they see there is scoped by their roles.
    if role.code in ("catalog_admin", "system_admin") and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return assignment


@transaction.atomic
def organization_member_add(*, organization: Applicant, user: User, role: str) -> OrganizationMember:
    member, _created = OrganizationMember.objects.get_or_create(
        organization=organization, user=user, defaults={"role": role}
    )
    member.role = role
    member.revoked_at = None
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def client_create(
    *, name: str, department: Department, scope_codes: list[str], contact: str = ""
) -> tuple[ApiClient, str]:
    """Register a department system and issue its first token."""
    scope_rows = list(Scope.objects.filter(code__in=scope_codes))
    unknown = sorted(set(scope_codes) - {scope.code for scope in scope_rows})
    if unknown:
        raise InvalidInput.for_field("scopes", _("未知的权限：%(codes)s") % {"codes": "、".join(unknown)})
    client = ApiClient(name=name, department=department, contact=contact)
    client.full_clean()
    client.save()
    client.scopes.set(scope_rows)
    raw, _token = token_issue(client=client, name=_("初始令牌"))
    return client, raw
