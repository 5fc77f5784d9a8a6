"""Changes to what users may do retire their cached principals (`principal_cache.access_changed`)."""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from yijianshi.accounts.models import OrganizationMember, Role, RoleAssignment, Scope, User
from yijianshi.accounts.principal_cache import access_changed


@receiver(pre_save, sender=RoleAssignment)
@receiver(pre_save, sender=OrganizationMember)
def _member_before(sender, instance, **kwargs):
    # A row given to another user (the admin's inlines let one edit it) takes the access from the one it had.
    if instance.pk is not None:
        instance._user_before = sender.objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()


@receiver([post_save, post_delete], sender=RoleAssignment)
@receiver([post_save, post_delete], sender=OrganizationMember)
def _member_changed(sender, instance, **kwargs):
    access_changed(Q(pk__in={instance.user_id, getattr(instance, "_user_before", None)} - {None}))


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
        for role in Role.objects.filter(scopes=instance):
            access_changed(_holders(role))


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
