"""The portal shell in a real Chromium, at phone and desktop width, with axe-core on every page."""

import pytest

from yijianshi.accounts.tests.factories import PASSWORD
from yijianshi.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_page_reads_well_and_fits_the_screen(page, accessible):
    page.goto(page.base_url + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "高效办成一件事"
    # Nothing wider than the viewport: no sideways scrolling on a 360 px phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    accessible(page)
    screenshot(page, f"portal-home-{page.width_name}")


def test_care_mode_enlarges_text_and_is_remembered(page, accessible):
    page.goto(page.base_url + "/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("button", name="关怀版").click()
    page.wait_for_selector("html.care")
    enlarged = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert enlarged >= normal * 1.25
    page.goto(page.base_url + "/accounts/login/")
    assert page.locator("html.care").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    accessible(page)
    screenshot(page, f"portal-care-{page.width_name}")
    page.get_by_role("button", name="退出关怀版").click()
    page.wait_for_selector("html:not(.care)")


def test_the_keyboard_reaches_the_main_content_first(page):
    page.goto(page.base_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到主要内容"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_an_applicant_logs_in_with_the_keyboard(page, person, accessible):
    page.goto(page.base_url + "/accounts/login/")
    accessible(page)
    page.get_by_label("用户名").fill(person.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(page.base_url + "/")
    assert person.name in page.locator("header").inner_text()


def test_a_wrong_password_is_explained(page, person, accessible):
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名").fill(person.username)
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录", exact=True).click()
    assert "用户名或密码错误" in page.get_by_role("alert").inner_text()
    accessible(page)
    screenshot(page, f"login-error-{page.width_name}")
