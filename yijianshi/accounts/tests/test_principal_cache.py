"""A process keeps what each user may do between requests, and drops it the moment that changes: a role given or
taken, a role's scopes edited, a membership granted, revoked or run out — whichever process made the change."""

import datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yijianshi.accounts import principal_cache, services
from yijianshi.accounts.models import OrganizationMember, Role, Scope, User
from yijianshi.accounts.selectors import principal_for_user
from yijianshi.accounts.tests.factories import OrganizationFactory, StaffFactory, UserFactory, city

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """The user as the next request loads it."""
    return User.objects.get(pk=user.pk)


def test_a_known_user_costs_no_query(django_capture_on_commit_callbacks):
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):  # the change commits, as a request's does
        services.role_assign(user=staff, role_code="window_clerk", region=city())
    principal_for_user(fresh(staff))
    with CaptureQueriesContext(connection) as queries:
        principal = principal_for_user(fresh(staff))
    assert len(queries) == 1  # the user row, which every request loads anyway
    assert principal.has_scope("case.accept")


def test_a_new_role_counts_at_once_even_for_a_user_loaded_before():
    staff = StaffFactory()
    assert not principal_for_user(staff).has_scope("case.accept")
    services.role_assign(user=staff, role_code="window_clerk", region=city())
    assert principal_for_user(staff).has_scope("case.accept")
    assert principal_for_user(fresh(staff)).has_scope("case.accept")


def elsewhere(change) -> None:
    """Make a change as another process would: this process's cache stays as it was."""
    kept = dict(principal_cache._entries)
    change()
    principal_cache._entries.update(kept)


def test_a_change_made_by_another_process_is_seen_on_the_next_request():
    staff = StaffFactory()
    services.role_assign(user=staff, role_code="window_clerk", region=city())
    assert principal_for_user(fresh(staff)).has_scope("case.accept")
    elsewhere(lambda: staff.assignments.all().delete())
    assert principal_for_user(fresh(staff)).grants_held == ()


def test_editing_a_roles_scopes_reaches_everyone_holding_it():
    clerk, person = StaffFactory(), UserFactory()
    services.role_assign(user=clerk, role_code="window_clerk", region=city())
    scope = Scope.objects.create(code="test.extra", name="测试权限")
    assert not principal_for_user(fresh(clerk)).has_scope("test.extra")
    assert not principal_for_user(fresh(person)).has_scope("test.extra")
    elsewhere(lambda: Role.objects.get(code="window_clerk").scopes.add(scope))
    elsewhere(lambda: scope.roles.add(Role.objects.get(code="person")))  # from the scope's side
    assert principal_for_user(fresh(clerk)).has_scope("test.extra")
    assert principal_for_user(fresh(person)).has_scope("test.extra")


def test_a_membership_counts_until_it_is_revoked_or_runs_out():
    person, company, shop = UserFactory(), OrganizationFactory(), OrganizationFactory()
    member = services.organization_member_add(organization=company, user=person, role="agent")
    services.organization_member_add(organization=shop, user=person, role="agent")
    soon = timezone.now() + datetime.timedelta(hours=1)
    OrganizationMember.objects.filter(organization=shop).update(valid_until=soon)
    person = fresh(person)
    assert principal_for_user(person).applicant_ids == {person.applicant_id, company.pk, shop.pk}
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        assert principal_for_user(fresh(person)).applicant_ids == {person.applicant_id, company.pk}
    member.revoked_at = timezone.now()
    member.save()
    assert company.pk not in principal_for_user(fresh(person)).applicant_ids


def test_a_grant_rolled_back_is_not_kept():
    """Regression: a principal built inside the transaction that changed access read its uncommitted rows under
    the user's old version; after a rollback that version was current again, and the grant stayed cached."""
    staff = fresh(StaffFactory())
    with pytest.raises(RuntimeError), transaction.atomic():
        services.role_assign(user=staff, role_code="window_clerk", region=city())
        assert principal_for_user(staff).has_scope("case.accept")
        raise RuntimeError
    assert not principal_for_user(fresh(staff)).has_scope("case.accept")
    assert not principal_for_user(staff).has_scope("case.accept")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change and its commit callbacks, as a request's transaction commits (so that principals are kept)."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


def test_a_membership_given_to_another_person_leaves_the_first(committed):
    """Regression: a membership row moved to another user (the admin inline allows it) moved only the new user's
    version; the first kept acting for the organisation in every other process."""
    first, second, company = UserFactory(), UserFactory(), OrganizationFactory()
    member = committed(lambda: services.organization_member_add(organization=company, user=first, role="agent"))
    assert company.pk in principal_for_user(fresh(first)).applicant_ids

    def move():
        member.user = second
        member.save()

    elsewhere(lambda: committed(move))
    assert company.pk not in principal_for_user(fresh(first)).applicant_ids
    assert company.pk in principal_for_user(fresh(second)).applicant_ids


def test_a_deleted_scope_is_gone_for_everyone_holding_it(committed):
    """Regression: deleting a scope drops its roles' links without m2m_changed; its holders kept it."""
    clerk = StaffFactory()
    committed(lambda: services.role_assign(user=clerk, role_code="window_clerk", region=city()))
    scope = Scope.objects.create(code="test.extra", name="测试权限")
    committed(lambda: Role.objects.get(code="window_clerk").scopes.add(scope))
    assert principal_for_user(fresh(clerk)).has_scope("test.extra")
    elsewhere(lambda: committed(scope.delete))
    assert not principal_for_user(fresh(clerk)).has_scope("test.extra")


def test_saving_a_user_loaded_before_a_change_does_not_wind_the_version_back(committed):
    """Regression: a full save (the admin's user form) of a user loaded before a role was taken wrote the old
    access_version back, and processes that had kept the old access used it again."""
    staff = StaffFactory()
    committed(lambda: services.role_assign(user=staff, role_code="window_clerk", region=city()))
    loaded = fresh(staff)
    assert principal_for_user(loaded).has_scope("case.accept")
    elsewhere(lambda: committed(lambda: staff.assignments.all().delete()))
    loaded.name = "改名"
    loaded.save()
    assert principal_for_user(fresh(staff)).grants_held == ()
    assert fresh(staff).name == "改名"
