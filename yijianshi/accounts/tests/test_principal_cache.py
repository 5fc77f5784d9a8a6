"""A process keeps what each user may do between requests, and drops it the moment that changes: a role given or
taken, a role's scopes edited, a membership granted, revoked or run out — whichever process made the change."""

import datetime

import pytest
import time_machine
from django.db import connection
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


def test_a_known_user_costs_no_query():
    staff = StaffFactory()
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
