import pytest

from yijianshi.accounts.tests.factories import PASSWORD, DepartmentFactory
from yijianshi.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_approver_logs_in_and_sees_the_workbench(page, make_staff, accessible):
    approver = make_staff("approver", department=DepartmentFactory(name="郑州市卫生健康委员会"))
    page.goto(page.base_url + "/workbench/")
    page.get_by_label("用户名").fill(approver.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(page.base_url + "/workbench/")
    assert "郑州市卫生健康委员会" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    accessible(page)
    screenshot(page, f"workbench-home-{page.width_name}")
