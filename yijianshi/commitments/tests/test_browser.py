"""Signing a 告知承诺书 and deferring a material on the application page, then the notice on 我的办件, in Chromium at
phone and desktop width, checked by axe-core."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from yijianshi.browser import screenshot
from yijianshi.cases.models import Case
from yijianshi.commitments.tests.test_journeys import FOOD, application, post, user
from yijianshi.demo.accounts import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_applicant_reads_signs_and_defers_then_sees_the_notice(page, client, accessible):
    call_command("demo", verbosity=0)
    hongtu = user("hongtu")
    body = application(client, hongtu, item=FOOD, skip={"food-safety-rules"}, submit=False)
    case_id = post(client, "/api/v1/cases", body, hongtu).json()["id"]
    page.goto(page.base_url + reverse("accounts:login") + "?next=" + reverse("portal:my-case-edit", args=[case_id]))
    page.get_by_label("用户名").fill("hongtu")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_text("告知承诺与容缺受理（可选）").wait_for()
    page.get_by_text("“食品经营许可”告知承诺书", exact=False).first.click()  # open the text
    assert page.get_by_text("违诺责任").first.is_visible()
    accessible(page)
    screenshot(page, f"commitment-sign-{page.width_name}")
    page.get_by_label("我已阅读“食品经营许可”告知承诺书的全部内容，自愿作出承诺").check()
    page.get_by_label("“食品安全规章制度目录清单”容缺后补", exact=False).check()
    page.get_by_role("button", name="下一步：核对并提交").click()
    assert page.get_by_text("您签署的告知承诺书").is_visible()
    page.get_by_role("button", name="确认提交").click()
    page.wait_for_url(f"**/my/cases/{case_id}/receipt/")
    page.get_by_role("link", name="查看办理进度").click()
    page.wait_for_url(f"**/my/cases/{case_id}/")
    assert Case.objects.get(pk=case_id).status == Case.Status.SUBMITTED

    post(client, f"/api/v1/cases/{case_id}/accept", {"opinion": "容缺受理"}, user("chuangkou"))
    page.reload()
    assert page.get_by_role("heading", name="告知承诺与容缺材料").is_visible()
    assert page.get_by_role("link", name="下载通知书（PDF）").is_visible()
    assert page.get_by_role("button", name="补交").is_visible()
    accessible(page)
    screenshot(page, f"commitment-supply-{page.width_name}")
