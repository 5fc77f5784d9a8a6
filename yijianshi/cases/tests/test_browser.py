"""The case pages in Chromium at phone and desktop width, checked by axe-core: applying online, the window's
review, a department's task, and the applicant following every step."""

import re

import pytest
from django.urls import reverse

from yijianshi.accounts.tests.factories import PASSWORD
from yijianshi.browser import screenshot
from yijianshi.cases.models import Case
from yijianshi.cases.tests.conftest import accept_case, approve, submit_case, task_of
from yijianshi.files import formats

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user, path):
    page.goto(page.base_url + reverse("accounts:login") + "?next=" + path)
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_applicant_fills_the_one_form_and_follows_the_case(page, person, bundle, accessible, tmp_path):
    sample = tmp_path / "材料.pdf"
    sample.write_bytes(formats.sample("pdf"))
    log_in(page, person, "/life-events/NEWBORN/")
    page.get_by_role("button", name="在线申请").click()
    page.wait_for_url(re.compile(r".*/my/cases/.+/application/$"))
    accessible(page)
    page.get_by_label("否").check()
    page.get_by_role("button", name="确定情形").click()
    page.get_by_label("新生儿姓名").fill("张小宝")
    page.get_by_label("申请人姓名").fill("张三")
    page.get_by_label("出生日期").fill("2026-11-20")
    page.get_by_label("落户地址").fill("金水路 1 号")
    for material in ("父母身份证", "分娩记录", "户口簿"):
        page.get_by_label(material).set_input_files(str(sample))
        # Uploaded as soon as chosen, with its progress.
        page.locator(".material-upload", has=page.get_by_label(material)).get_by_text("已上传").wait_for()
    no_sideways_scroll(page)
    accessible(page)
    screenshot(page, f"application-{page.width_name}")
    page.get_by_role("button", name="下一步：核对并提交").click()
    page.get_by_role("button", name="确认提交").click()
    page.get_by_role("link", name="查看办理进度").click()
    page.wait_for_url(re.compile(r".*/my/cases/[0-9a-f-]+/$"))
    case = Case.objects.get()
    assert case.status == Case.Status.SUBMITTED
    assert case.number in page.locator("main").inner_text()
    no_sideways_scroll(page)
    accessible(page)


def test_the_window_reviews_a_case(page, person, clerk, bundle, accessible):
    case = submit_case(person)
    log_in(page, clerk, "/workbench/window/")
    page.get_by_role("link", name=case.number).click()
    page.wait_for_url(re.compile(r".*/workbench/cases/.+/$"))
    assert page.get_by_role("heading", name="受理审查").is_visible()
    no_sideways_scroll(page)
    accessible(page)
    screenshot(page, f"window-case-{page.width_name}")
    page.get_by_role("button", name="受理", exact=True).click()
    page.wait_for_url(re.compile(r".*/workbench/cases/.+/$"))
    assert "已受理" in page.locator("main").inner_text()
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS


def test_a_department_works_from_its_inbox(page, person, clerk, approvers, bundle, accessible):
    case = submit_case(person)
    accept_case(case, clerk)
    log_in(page, approvers["wjw"], "/workbench/tasks/")
    accessible(page)
    screenshot(page, f"task-inbox-{page.width_name}")
    page.get_by_role("link", name="事项BIRTH").click()
    page.wait_for_url(re.compile(r".*/workbench/tasks/.+/$"))
    no_sideways_scroll(page)
    accessible(page)
    screenshot(page, f"task-{page.width_name}")
    page.get_by_label("审批意见").fill("材料齐全，同意")
    page.get_by_role("button", name="提交决定").click()
    page.wait_for_url(re.compile(r".*/workbench/tasks/.+/$"))
    assert "决定已作出" in page.locator("main").inner_text()
    assert task_of(case, "BIRTH").status == "approved"


def test_the_applicant_sees_every_step(page, person, clerk, approvers, bundle, accessible):
    case = submit_case(person, delivery={"method": "pickup"})
    accept_case(case, clerk, approve_immediate=True)
    approve(case, "BIRTH", approvers["wjw"])
    approve(case, "HUKOU", approvers["gaj"])
    log_in(page, person, "/my/cases/")
    page.get_by_role("link", name=case.title).click()
    text = page.locator("main").inner_text()
    case.refresh_from_db()
    assert case.pickup_code in text and "办结" in text
    no_sideways_scroll(page)
    accessible(page)
    screenshot(page, f"my-case-{page.width_name}")
