"""Changes to what users may do retire their cached principals (`principal_cache.access_changed`)."""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from yijianshi.accounts.models import OrganizationMember, Role, RoleAssignment, User
from yijianshi.accounts.principal_cache import access_changed


@receiver([post_save, post_delete], sender=RoleAssignment)
@receiver([post_save, post_delete], sender=OrganizationMember)
def _member_changed(sender, instance, **kwargs):
    access_changed(Q(pk=instance.user_id))


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


@receiver(m2m_changed, sender=Role.scopes.through)
def _role_scopes_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    # From the scope's side, roles are told by pk; a scope cleared from every role does not say which.
    roles = Role.objects.filter(pk__in=pk_set) if pk_set is not None else Role.objects.all()
    if not reverse:
        roles = [instance]
    for role in roles:
        access_changed(_holders(role))
