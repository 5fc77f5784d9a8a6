"""A person who represents an organisation switches to its context: applications and 我的数据 are then its own."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from yijianshi.accounts.models import User
from yijianshi.cases.models import Case

pytestmark = pytest.mark.django_db


def test_lisi_acts_for_the_company_he_represents_and_back(client):
    call_command("demo", verbosity=0)
    lisi, hongtu = User.objects.get(username="lisi"), User.objects.get(username="hongtu")
    client.force_login(lisi)
    page = client.get(reverse("portal:my-cases")).content.decode()
    assert "办理身份" in page and hongtu.applicant.name in page

    response = client.post(reverse("portal:context-switch"), {"applicant": hongtu.applicant_id, "next": "/my/data/"})
    assert response.status_code == 302 and response["Location"] == "/my/data/"
    assert "一企一档" in client.get(reverse("portal:my-data")).content.decode()
    client.post(reverse("portal:apply", args=["LE-RESTAURANT"]))
    case = Case.objects.latest("created_at")
    assert case.applicant_id == hongtu.applicant_id and case.agent == lisi  # lisi acts for the company

    # Someone he does not represent: refused, and the context stays.
    zhangsan = User.objects.get(username="zhangsan")
    client.post(reverse("portal:context-switch"), {"applicant": zhangsan.applicant_id})
    assert "一企一档" in client.get(reverse("portal:my-data")).content.decode()
    response = client.post(reverse("portal:context-switch"), {"applicant": lisi.applicant_id, "next": "https://evil"})
    assert response["Location"] == reverse("portal:my-cases")
    assert "一人一档" in client.get(reverse("portal:my-data")).content.decode()

    # A person who represents nobody sees no switcher.
    client.force_login(zhangsan)
    assert "办理身份" not in client.get(reverse("portal:my-cases")).content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_switcher_is_usable_at_every_width(page, accessible):
    from yijianshi.browser import screenshot
    from yijianshi.demo.accounts import DEMO_PASSWORD

    call_command("demo", verbosity=0)
    page.goto(page.base_url + reverse("accounts:login") + "?next=" + reverse("portal:my-cases"))
    page.get_by_label("用户名").fill("lisi")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_label("办理身份").select_option(label="郑州鸿图餐饮管理有限公司（法人）")
    page.get_by_role("button", name="切换").click()
    page.get_by_text("现在以“郑州鸿图餐饮管理有限公司”的身份办理。").wait_for()
    accessible(page)
    screenshot(page, f"acting-switch-{page.width_name}")
