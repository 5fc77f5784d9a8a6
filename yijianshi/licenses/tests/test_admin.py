"""Seals in admin: account administrators see and rotate their region's seals, never a private key; catalog
administrators keep the license types."""

import pytest

from yijianshi.accounts.tests.factories import DepartmentFactory, RegionFactory, city
from yijianshi.conftest import staff_with_role
from yijianshi.licenses.models import LicenseType, Seal
from yijianshi.licenses.seals import seal_current
from yijianshi.licenses.tests.factories import LicenseTypeFactory, issued
from yijianshi.licenses.verification import VALID, verify_identifier

pytestmark = pytest.mark.django_db


def test_an_accounts_administrator_rotates_a_seal_and_old_signatures_stay_valid(client):
    department = DepartmentFactory()
    old = issued(issuer=department)
    elsewhere = seal_current(DepartmentFactory(region=RegionFactory(code="410200000000", name="开封市", parent=None)))
    client.force_login(staff_with_role("system_admin", region=city()))
    listing = client.get("/admin/licenses/seal/").content.decode()
    assert department.name in listing and elsewhere.name not in listing
    seal = Seal.objects.get(department=department)
    page = client.get(f"/admin/licenses/seal/{seal.pk}/change/").content.decode()
    assert "BEGIN PUBLIC KEY" in page and "PRIVATE" not in page
    response = client.post("/admin/licenses/seal/", {"action": "rotate", "_selected_action": [seal.pk]})
    assert response.status_code == 302
    assert Seal.objects.filter(department=department).count() == 2
    assert Seal.objects.get(department=department, retired_at__isnull=True) != seal
    assert verify_identifier(old.identifier).result == VALID


def test_a_catalog_administrator_edits_license_types(client):
    license_type = LicenseTypeFactory()
    client.force_login(staff_with_role("catalog_admin", region=city()))
    assert client.get(f"/admin/licenses/licensetype/{license_type.pk}/change/").status_code == 200
    assert client.get("/admin/licenses/seal/").status_code == 403
    assert LicenseType.objects.count() == 1
