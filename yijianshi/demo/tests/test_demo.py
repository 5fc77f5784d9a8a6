import re
from pathlib import Path

import pytest
from django.core.management import call_command

from yijianshi.accounts.models import Applicant, Department, Region, User
from yijianshi.core.identifiers import validate_citizen_id, validate_credit_code
from yijianshi.demo import accounts
from yijianshi.demo.loading import load_demo

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[3] / "README.md"


def counts():
    return {model.__name__: model.objects.count() for model in (Region, Department, Applicant, User)}


def test_loading_the_demo_twice_changes_nothing():
    call_command("demo", verbosity=0)
    first = counts()
    call_command("demo", verbosity=0)
    assert counts() == first
    assert first["Department"] == 27  # 10 core departments and 17 more from the demo catalog


def test_every_demo_identifier_passes_its_checksum():
    call_command("demo", verbosity=0)
    for applicant in Applicant.objects.all():
        if applicant.is_person:
            validate_citizen_id(applicant.id_number)
        else:
            validate_credit_code(applicant.id_number)
            validate_citizen_id(applicant.legal_representative_id_number)
    for department in Department.objects.all():
        validate_credit_code(department.credit_code)


def test_every_demo_login_works_and_is_in_the_readme():
    logins, _summary = load_demo()
    table = README.read_text(encoding="utf-8")
    rows = dict(
        re.findall(r"^\|\s*([^|]+?)\s*\|\s*`([^`]+)`\s*\|\s*`" + re.escape(accounts.DEMO_PASSWORD) + "`", table, re.M)
    )
    documented = set(rows.values())
    for login in logins:
        assert login.username in documented, f"{login.username} missing from README"
        assert User.objects.get(username=login.username).check_password(accounts.DEMO_PASSWORD)


def test_demo_covers_every_kind_of_user():
    load_demo()
    kinds = set(User.objects.values_list("kind", flat=True))
    assert kinds == {"person", "organization", "staff"}
    roles = set(User.objects.values_list("assignments__role__code", flat=True)) - {None}
    assert roles == {"window_clerk", "approver", "supervisor", "catalog_admin", "system_admin"}
    # Every department that implements an item has someone to decide its tasks.
    from yijianshi.accounts.models import Department

    for department in Department.objects.filter(items__isnull=False).distinct():
        assert User.objects.filter(assignments__department=department, assignments__role__code="approver").exists(), (
            department
        )


def test_the_demo_catalog_is_the_first_batch_and_the_restaurant():
    _logins, summary = load_demo()
    assert summary.counts["items"] >= 60
    assert summary.counts["life_events"] == 13
