"""Accounts API: tokens, the caller, applicants, departments and regions."""

from django.contrib.auth import logout
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from yijianshi.accounts import selectors, services
from yijianshi.accounts.access import access_applicant, access_token
from yijianshi.accounts.models import Applicant, Region
from yijianshi.accounts.principal import Principal
from yijianshi.accounts.schemas import (
    ActingForOut,
    ApplicantBriefOut,
    ApplicantOut,
    ClientOut,
    DepartmentOut,
    MeOut,
    RegionOut,
    RoleGrantOut,
    TokenIn,
    TokenInfoOut,
    TokenOut,
)
from yijianshi.core.errors import Forbidden
from yijianshi.core.masking import mask_mobile, mask_name
from yijianshi.core.pagination import Pagination
from yijianshi.core.schemas import ERROR_STATUSES, ErrorOut, RegionCode

router = Router(tags=["账户与组织"])


def _brief(applicant: Applicant) -> dict:
    return {
        "id": applicant.pk,
        "kind": applicant.kind,
        "name": applicant.name,
        "id_type": applicant.id_type,
        "id_number_masked": applicant.masked_id_number,
    }


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, ERROR_STATUSES: ErrorOut},
    summary="用用户名和密码换取访问令牌",
)
def token_create(request, payload: TokenIn):
    user = services.login_check(request=request, username=payload.username, password=payload.password)
    raw, token = services.token_issue(user=user, name="api")
    return {"token": raw, "token_type": "Bearer", "expires_at": token.expires_at}


@router.post(
    "/auth/token/revoke", response={204: None, ERROR_STATUSES: ErrorOut}, summary="撤销当前使用的令牌（退出登录）"
)
def token_revoke_current(request):
    """End this way of calling: the bearer token is revoked, a browser session is logged out."""
    principal: Principal = request.auth
    if principal.token is not None:
        services.token_revoke(token=principal.token)
    else:
        logout(request)
    return Status(204, None)


@router.get("/auth/tokens", response={200: list[TokenInfoOut], ERROR_STATUSES: ErrorOut}, summary="我的令牌")
def token_list(request):
    principal: Principal = request.auth
    if principal.user is None:
        raise Forbidden()
    return list(selectors.token_list_for_user(principal.user))


@router.delete("/auth/tokens/{token_id}", response={204: None, ERROR_STATUSES: ErrorOut}, summary="撤销指定令牌")
def token_delete(request, token_id: int):
    services.token_revoke(token=access_token(request.auth, token_id))
    return Status(204, None)


@router.get("/me", response={200: MeOut, ERROR_STATUSES: ErrorOut}, summary="当前调用者、角色与权限")
def me(request):
    principal: Principal = request.auth
    roles = [
        RoleGrantOut(code=g.role, name=g.role_name, region_code=g.region_code, department_id=g.department_id)
        for g in principal.grants_held
    ]
    user = principal.user
    acting_for = []
    if user is not None and user.kind == user.Kind.PERSON:
        acting_for = [ActingForOut(**_brief(m.organization), role=m.role) for m in selectors.memberships_of(user)]
    return MeOut(
        user=None
        if user is None
        else {
            "id": user.pk,
            "username": user.username,
            "name": user.name,
            "kind": user.kind,
            "applicant": ApplicantBriefOut(**_brief(user.applicant)) if user.applicant_id else None,
        },
        client=None
        if principal.client is None
        else ClientOut(
            id=principal.client.pk,
            name=principal.client.name,
            department_code=principal.client.department.code,
        ),
        roles=roles,
        scopes=sorted(principal.scopes),
        acting_for=acting_for,
    )


@router.get("/applicants/{applicant_id}", response={200: ApplicantOut, ERROR_STATUSES: ErrorOut}, summary="申请人信息")
def applicant_detail(request, applicant_id: int):
    applicant, acts_for = access_applicant(request.auth, applicant_id)
    is_person = applicant.is_person
    return {
        "id": applicant.pk,
        "kind": applicant.kind,
        "name": applicant.name if acts_for or not is_person else mask_name(applicant.name),
        "id_type": applicant.id_type,
        "id_number": applicant.id_number if acts_for else applicant.masked_id_number,
        "phone": applicant.phone if acts_for else mask_mobile(applicant.phone),
        "region_code": applicant.region.code if applicant.region_id else None,
        "legal_representative_name": applicant.legal_representative_name
        if acts_for
        else mask_name(applicant.legal_representative_name),
    }


@router.get("/departments", response={200: list[DepartmentOut], ERROR_STATUSES: ErrorOut}, summary="部门列表")
@paginate(Pagination)
def department_list(request, region: RegionCode | None = None):
    return selectors.department_list(region_code=region).select_related("parent")


@router.get("/regions", response={200: list[RegionOut], ERROR_STATUSES: ErrorOut}, summary="行政区划（按上级查询下级）")
def region_list(request, parent: RegionCode | None = None):
    return list(selectors.region_children(parent_code=parent).select_related("parent"))


@router.get("/regions/{code}", response={200: RegionOut, ERROR_STATUSES: ErrorOut}, summary="行政区划详情")
def region_detail(request, code: RegionCode):
    return get_object_or_404(Region.objects.select_related("parent"), code=code)
