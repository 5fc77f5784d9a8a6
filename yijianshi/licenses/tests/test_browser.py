"""The public verification page and the holder's wallet in Chromium at phone and desktop width, checked by axe-core."""

import pytest
from django.urls import reverse

from yijianshi.accounts.tests.factories import PASSWORD
from yijianshi.browser import screenshot
from yijianshi.licenses.services import license_status_change
from yijianshi.licenses.tests.factories import issued

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anyone_checks_a_license_by_its_address_or_by_typing_its_identifier(page, person, accessible):
    license = issued(holder=person.applicant)
    page.goto(page.base_url + reverse("portal:verify", args=[license.identifier]))
    assert page.get_by_role("heading", name="有效").is_visible()
    assert license.holder_name not in page.content()  # masked for anyone who scans the code
    accessible(page)
    screenshot(page, f"license-verify-{page.width_name}")

    license_status_change(license_id=license.pk, status="03", reason="以欺骗手段取得许可", by=None)
    page.get_by_label("证照标识（扫描证照上的二维码可直接打开本页）").fill(license.identifier)
    page.get_by_role("button", name="核验").click()
    page.get_by_role("heading", name="已撤销").wait_for()
    assert page.get_by_role("heading", name="已撤销").is_visible()
    assert page.get_by_text("以欺骗手段取得许可").is_visible()
    accessible(page)


def test_the_holder_finds_their_licenses_in_the_wallet(page, person, accessible):
    license = issued(holder=person.applicant)
    page.goto(page.base_url + reverse("accounts:login") + "?next=" + reverse("portal:my-licenses"))
    page.get_by_label("用户名").fill(person.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    accessible(page)
    page.get_by_role("link", name=license.name, exact=True).click()
    page.wait_for_url(f"**/verify/{license.identifier}")
    assert page.get_by_role("heading", name="有效").is_visible()
    accessible(page)


def test_the_holder_downloads_a_pdf_grants_and_withdraws_consent_and_sees_who_read_their_data(page, person, accessible):
    from yijianshi.accounts.selectors import principal_for_user
    from yijianshi.accounts.tests.factories import DepartmentFactory
    from yijianshi.conftest import staff_with_role
    from yijianshi.licenses import trail

    department = DepartmentFactory(name="郑州市公安局")
    license = issued(holder=person.applicant)
    officer = staff_with_role("approver", department=department, name="民警小刘")
    trail.access_record(
        principal=principal_for_user(officer), subject_id=person.applicant_id, kind="license", license=license,
        purpose="办理办件 4101052026112200001：以电子证照代替纸质材料", fields=["新生儿姓名"], department=department,
        case_number="4101052026112200001",
    )  # fmt: skip
    page.goto(page.base_url + reverse("accounts:login") + "?next=" + reverse("portal:my-licenses"))
    page.get_by_label("用户名").fill(person.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name=f"下载 PDF ：{license.name}").click()
    assert download.value.suggested_filename.endswith(".pdf")

    page.get_by_role("link", name="我的数据").click()
    page.get_by_role("heading", name="数据使用记录").wait_for()
    assert page.get_by_role("cell", name="郑州市公安局").is_visible()
    assert page.get_by_role("cell", name="民警小刘").is_visible()
    accessible(page)
    screenshot(page, f"my-data-{page.width_name}")
    for box in page.get_by_role("checkbox").all():
        box.uncheck()
    page.get_by_role("checkbox", name="联系电话").check()
    page.get_by_role("button", name="授权", exact=True).click()
    page.get_by_text("已授权。").wait_for()  # the page reloads after the post: wait for it, do not race it
    assert page.get_by_role("row", name="申请表预填 联系电话").is_visible()
    page.get_by_role("button", name="撤回").click()
    page.get_by_text("已撤回授权").wait_for()
    accessible(page)
