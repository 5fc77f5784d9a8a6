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
    page.get_by_role("link", name=license.name).click()
    page.wait_for_url(f"**/verify/{license.identifier}")
    assert page.get_by_role("heading", name="有效").is_visible()
    accessible(page)
