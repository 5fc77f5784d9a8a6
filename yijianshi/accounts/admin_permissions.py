"""Django admin permissions derived from scopes, so that roles (data) decide who administers what.

`accounts.manage` opens the accounts app in admin, `catalog.manage` the catalog app; what each list shows is then
limited to the administrator's regions (`RegionScopedAdmin`). Superusers are the platform's root and see all.
"""

from django.db.models import Q

from yijianshi.accounts import scopes

# Admin permissions each scope grants: "app.*" for all of an app, or single "app.codename" permissions.
SCOPE_ADMIN_PERMISSIONS = {
    # Department systems are set up with their webhooks; deliveries can be read to trace a failure.
    scopes.ACCOUNTS_MANAGE: {
        "accounts.*",
        "axes.*",
        "cases.add_webhooksubscription",
        "cases.change_webhooksubscription",
        "cases.delete_webhooksubscription",
        "cases.view_webhooksubscription",
        "cases.view_webhookdelivery",
        "licenses.view_seal",
        "licenses.change_seal",
    },
    # Catalog administrators pick departments and regions (autocomplete needs view permission on them).
    scopes.CATALOG_MANAGE: {
        "catalog.*",
        "accounts.view_department",
        "accounts.view_region",
        "licenses.add_licensetype",
        "licenses.change_licensetype",
        "licenses.view_licensetype",
    },
    scopes.CALENDAR_MANAGE: {"core.*"},
}


def principal_of(user):
    """The user's principal, built once per request-bound user object."""
    from yijianshi.accounts.selectors import principal_for_user

    if not hasattr(user, "_yjs_principal"):
        user._yjs_principal = principal_for_user(user)
    return user._yjs_principal


class ScopePermissionBackend:
    """An authentication backend that authenticates nobody and grants admin permissions by scope."""

    def authenticate(self, request, **credentials):
        return None

    def _granted(self, user) -> set[str]:
        if not user.is_active or user.is_anonymous or user.is_applicant:
            return set()
        held = principal_of(user).scopes
        return set().union(*(perms for scope, perms in SCOPE_ADMIN_PERMISSIONS.items() if scope in held))

    def has_perm(self, user, perm, obj=None):
        granted = self._granted(user)
        return perm in granted or f"{perm.split('.', 1)[0]}.*" in granted

    def has_module_perms(self, user, app_label):
        return any(perm.startswith(f"{app_label}.") for perm in self._granted(user))


def region_q(user, scope: str, lookup: str) -> Q | None:
    """A filter limiting `lookup` (a region code path) to the user's regions for `scope`; None means no limit."""
    if user.is_superuser:
        return None
    prefixes = principal_of(user).region_prefixes(scope)
    if "" in prefixes:
        return None
    condition = Q(pk__in=[])
    for prefix in prefixes:
        condition |= Q(**{f"{lookup}__startswith": prefix})
    return condition


# Foreign keys a form offers are limited to the administrator's regions through these code paths.
RELATED_REGION_LOOKUPS = {"accounts.region": "code", "accounts.department": "region__code"}


class RegionScopedAdmin:
    """Admin mixin: lists, forms and autocompletes show only rows within the administrator's regions."""

    region_scope = scopes.ACCOUNTS_MANAGE
    region_lookups: tuple[str, ...] = ()  # code paths; a row is visible when any of them is within a region
    related_region_lookups: dict[str, str] = {}  # more related models a form may offer, by "app.model"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        conditions = [region_q(request.user, self.region_scope, lookup) for lookup in self.region_lookups]
        if not conditions or any(condition is None for condition in conditions):
            return queryset
        combined = Q(pk__in=[])
        for condition in conditions:
            combined |= condition
        return queryset.filter(combined).distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        lookups = {**RELATED_REGION_LOOKUPS, **self.related_region_lookups}
        lookup = lookups.get(db_field.related_model._meta.label_lower)
        if lookup and field is not None:
            condition = region_q(request.user, self.region_scope, lookup)
            if condition is not None:
                field.queryset = field.queryset.filter(condition)
        return field
