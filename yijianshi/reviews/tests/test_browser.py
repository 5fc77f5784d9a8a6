"""Rating a completed case on 我的办件, then 我的消息, in Chromium at phone and desktop width, in 关怀版, checked
by axe-core."""

import pytest
from django.urls import reverse

from yijianshi.accounts.tests.factories import PASSWORD
from yijianshi.browser import screenshot
from yijianshi.reviews.models import Review
from yijianshi.reviews.tests.test_reviews import completed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_applicant_rates_a_completed_case(page, person, clerk, approvers, accessible):
    case = completed(person, clerk, approvers)
    page.goto(page.base_url + reverse("accounts:login") + "?next=" + reverse("portal:my-case", args=[case.pk]))
    page.get_by_label("用户名").fill(person.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_role("heading", name="评价本次服务").wait_for()
    page.get_by_role("button", name="关怀版").click()  # large text and high contrast
    accessible(page)
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("办事效率").select_option("5")
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("感谢您的评价。").wait_for()
    assert Review.objects.get(case=case).level == 4
    assert page.get_by_role("button", name="修改评价").is_visible()
    accessible(page)
    screenshot(page, f"review-{page.width_name}")
    page.get_by_role("link", name="我的消息").click()
    page.get_by_role("heading", name="我的消息").wait_for()
    assert page.get_by_role("link", name="申请已办结").first.is_visible()
    accessible(page)
