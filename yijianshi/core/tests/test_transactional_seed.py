"""Regression: transactional tests flush the database; the roles seeded by migrations must come back each time."""

import pytest

from yijianshi.accounts.models import Role


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("run", [1, 2])
def test_seeded_roles_exist_in_every_transactional_test(run):
    assert set(Role.objects.values_list("code", flat=True)) >= {"person", "approver", "system_admin"}
    assert Role.objects.get(code="approver").scopes.filter(code="task.decide").exists()
