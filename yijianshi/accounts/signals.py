"""Changes to what users may do retire their cached principals (`principal_cache.access_changed`)."""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from yijianshi.accounts.models import OrganizationMember, Role, RoleAssignment, Scope, User
from yijianshi.accounts.principal_cache import access_changed
from yijianshi.core.before_save import keep_before_save, now_and_before

# A row given to another user (the admin's inlines let one edit it) takes the access from the one it had.
keep_before_save(RoleAssignment, "user_id")
keep_before_save(OrganizationMember, "user_id")


@receiver([post_save, post_delete], sender=RoleAssignment)
@receiver([post_save, post_delete], sender=OrganizationMember)
def _member_changed(sender, instance, **kwargs):
    access_changed(Q(pk__in=now_and_before(instance, "user_id")))


def _holders(role: Role) -> Q:
    """Everyone whose principal holds the role: staff assigned it, applicants of its kind, superusers for
    system_admin."""
    holders = Q(pk__in=RoleAssignment.objects.filter(role=role).values("user_id"))
    if role.code in (User.Kind.PERSON, User.Kind.ORGANIZATION):
        holders |= Q(kind=role.code)
    if role.code == "system_admin":
        holders |= Q(is_superuser=True)
    return holders


@receiver(post_save, sender=Role)
def _role_changed(sender, instance, created, **kwargs):
    if not created:
        access_changed(_holders(instance))


@receiver(post_save, sender=Scope)
@receiver(pre_delete, sender=Scope)
def _scope_changed(sender, instance, created=False, **kwargs):
    # A scope renamed or deleted changes every role holding it; deleting it drops the roles' links without
    # m2m_changed, so its holders are found before the rows go.
    if not created:
        _roles_changed(Role.objects.filter(scopes=instance))


@receiver(m2m_changed, sender=Role.scopes.through)
def _role_scopes_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    # From the scope's side, roles are told by pk; a scope cleared from every role does not say which.
    roles = Role.objects.filter(pk__in=pk_set) if pk_set is not None else Role.objects.all()
    _roles_changed([instance] if not reverse else roles)


def _roles_changed(roles) -> None:
    """Retire the access of everyone holding any of these roles, in one statement."""
    holders = [_holders(role) for role in roles]
    if holders:
        access_changed(reduce(or_, holders))
