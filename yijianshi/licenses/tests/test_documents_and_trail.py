"""The license PDF (holder downloads it; seal image, QR code, Chinese text), expiry reminders 30 and 7 days ahead,
and the data-access trail of reads by the issuing department, shown to the holder and to supervisors."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from pypdf import PdfReader

from yijianshi.accounts.tests.factories import DepartmentFactory, city
from yijianshi.conftest import staff_with_role
from yijianshi.licenses import reminders
from yijianshi.licenses.models import DataAccess, ExpiryReminder, License
from yijianshi.licenses.tests.factories import LicenseTypeFactory, issued
from yijianshi.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(person):
    return issued(holder=person.applicant)


def pdf_text(content: bytes) -> str:
    """The PDF's text without whitespace (the title is letter-spaced)."""
    reader = PdfReader(io.BytesIO(content))
    return "".join("".join(page.extract_text() for page in reader.pages).split())


def test_the_holder_downloads_the_pdf_with_the_seal_qr_code_and_chinese_text(client, auth, person, mine):
    response = client.get(f"/api/v1/licenses/{mine.pk}/pdf", **auth(person))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert mine.name in text and mine.number in text and mine.holder_name in text
    assert "张小宝" in text and mine.issuer_name in text
    assert f"/verify/{mine.identifier}" in text
    assert "不能作为有效证明" not in text
    assert not DataAccess.objects.exists()  # the holder's own download is not someone else's read


def test_a_revoked_licenses_pdf_says_so(client, auth, person, mine):
    from yijianshi.licenses.services import license_status_change

    license_status_change(license_id=mine.pk, status="03", reason="信息有误", by=None)
    text = pdf_text(client.get(f"/api/v1/licenses/{mine.pk}/pdf", **auth(person)).content)
    assert "撤销" in text and "不能作为有效证明" in text


def test_nobody_else_downloads_it(client, auth, other_person, mine):
    assert client.get(f"/api/v1/licenses/{mine.pk}/pdf", **auth(other_person)).status_code == 404


def test_the_issuing_departments_reads_are_in_the_holders_trail_and_the_supervisors(client, auth, person):
    department = DepartmentFactory(name="郑州市卫生健康委员会")
    license = issued(holder=person.applicant, issuer=department)
    officer = staff_with_role("approver", department=department, name="审批员小赵")
    assert client.get(f"/api/v1/licenses/{license.pk}", **auth(officer)).status_code == 200
    client.get(f"/api/v1/licenses/{license.pk}/pdf", **auth(officer))
    rows = client.get("/api/v1/me/data-access", **auth(person)).json()["items"]
    assert [(r["department"], r["reader"]) for r in rows] == [("郑州市卫生健康委员会", "审批员小赵")] * 2
    assert {r["purpose"] for r in rows} == {"颁发部门查阅证照", "颁发部门下载证照文件"}

    supervisor = staff_with_role("supervisor", region=city())
    seen = client.get(f"/api/v1/supervision/data-access?department={department.code}", **auth(supervisor)).json()
    assert seen["count"] == 2 and "*" in seen["items"][0]["subject"]  # the subject is masked
    other = client.get(f"/api/v1/supervision/data-access?department={DepartmentFactory().code}", **auth(supervisor))
    assert other.json()["count"] == 0
    assert client.get("/api/v1/supervision/data-access", **auth(person)).status_code in (403, 404)


def expiring(person, days: int) -> License:
    license_type = LicenseTypeFactory(validity_months=12)
    license = issued(holder=person.applicant, license_type=license_type)
    License.objects.filter(pk=license.pk).update(valid_until=date(2026, 12, 1) + timedelta(days=days))
    return license


def test_holders_are_reminded_30_and_7_days_before_expiry_once_each(person):
    license = expiring(person, 0)
    with time_machine.travel(date(2026, 11, 1)):  # 30 days ahead
        assert reminders.reminders_send(date(2026, 11, 1)) == 1
        assert reminders.reminders_send(date(2026, 11, 1)) == 0
    assert reminders.reminders_send(date(2026, 11, 10)) == 0  # 21 days: nothing new
    assert reminders.reminders_send(date(2026, 11, 24)) == 1  # 7 days
    assert reminders.reminders_send(date(2026, 11, 30)) == 0
    notes = Notification.objects.filter(recipient=person).order_by("created_at")
    assert [n.title for n in notes] == ["证照到期提醒", "证照到期提醒"]
    assert "还有 30 天" in notes[0].body and "还有 7 天" in notes[1].body and license.number in notes[0].body
    assert sorted(ExpiryReminder.objects.values_list("days_before", flat=True)) == [7, 30]


def test_revoked_unlimited_and_distant_licenses_get_no_reminder(person):
    revoked = expiring(person, 0)
    License.objects.filter(pk=revoked.pk).update(status="03")
    issued(holder=person.applicant)  # no expiry date
    expiring(person, 40)
    assert reminders.reminders_send(date(2026, 11, 1)) == 0


def test_one_reader_reading_for_two_departments_is_recorded_for_each(person, mine):
    """Regression: the repeat check ignored the department, so the second department's read went unrecorded."""
    from yijianshi.accounts.selectors import principal_for_user
    from yijianshi.licenses import trail

    first, second = DepartmentFactory(), DepartmentFactory()
    reader = principal_for_user(staff_with_role("approver", department=first))
    for department in (first, second, first):
        trail.access_record(
            principal=reader, subject_id=person.applicant_id, kind="license", license=mine, purpose="审查",
            fields=["新生儿姓名"], department=department,
        )  # fmt: skip
    assert sorted(DataAccess.objects.values_list("department_id", flat=True)) == sorted([first.pk, second.pk])
