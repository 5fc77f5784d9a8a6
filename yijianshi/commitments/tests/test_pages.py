"""The pages of commitments: signing and deferring on the application form, the notice and supplying on 我的办件,
checking at the window, recording a post-check in the department."""

import io

import pytest
from django.urls import reverse

from yijianshi.cases.catalog_target import target_live
from yijianshi.cases.models import Case, Task
from yijianshi.commitments.models import Deferral, PostCheck
from yijianshi.commitments.tests.test_journeys import FOOD, application, demo, post, text_version, user  # noqa: F401
from yijianshi.files import formats

pytestmark = pytest.mark.django_db


def page_fields(plan, body) -> dict:
    """The joint form as the page posts it."""
    return {f"f-{key}": value for key, value in body["form"].items()}


def test_an_applicant_signs_defers_supplies_and_the_window_and_department_follow_up_on_pages(client, demo):  # noqa: F811
    hongtu, clerk, approver = user("hongtu"), user("chuangkou"), user("shenpi-scjgj")
    body = application(client, hongtu, item=FOOD, skip={"food-safety-rules"}, submit=False)
    case_id = post(client, "/api/v1/cases", body, hongtu).json()["id"]
    edit = reverse("portal:my-case-edit", args=[case_id])

    client.force_login(hongtu)
    page = client.get(edit).content.decode()
    version = text_version(client, FOOD)
    assert f"“食品经营许可”告知承诺书（第 {version} 版）" in page and "违诺责任" in page
    assert 'name="defer" value="food-safety-rules"' in page

    # Deferring without signing is refused next to the choice; signing and deferring submits.
    plan = target_live(life_event=None, item=FOOD).plan({})
    form = page_fields(plan, body) | {"delivery": "electronic", "action": "submit"}
    page = client.post(edit, form | {"defer": "food-safety-rules"}).content.decode()
    assert "须签署" in page and Case.objects.get(pk=case_id).status == Case.Status.DRAFT
    response = client.post(edit, form | {"defer": "food-safety-rules", "commit": f"{FOOD}:{version}"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Case.objects.get(pk=case_id).status == Case.Status.SUBMITTED

    client.force_login(clerk)
    client.post(reverse("workbench:case-decide", args=[case_id]), {"action": "accept", "opinion": "容缺受理"})
    assert "食品安全规章制度目录清单" in client.get(reverse("workbench:deferrals")).content.decode()

    client.force_login(hongtu)
    page = client.get(reverse("portal:my-case", args=[case_id])).content.decode()
    assert "容缺受理通知书" in page and "下载通知书（PDF）" in page
    upload = io.BytesIO(formats.sample("pdf"))
    upload.name = "制度清单.pdf"
    response = client.post(reverse("portal:my-case-supply", args=[case_id, "food-safety-rules"]), {"files": upload})
    assert response.status_code == 302
    assert Deferral.objects.get(case_id=case_id).status == Deferral.Status.SUPPLIED

    client.force_login(clerk)
    page = client.get(reverse("workbench:case", args=[case_id])).content.decode()
    assert "核验通过" in page
    client.post(reverse("workbench:deferral-check", args=[case_id, "food-safety-rules"]), {"accepted": "yes"})
    assert Deferral.objects.get(case_id=case_id).status == Deferral.Status.ACCEPTED

    task = Task.objects.get(case_id=case_id)
    client.force_login(approver)
    decision = {"action": "decide", "decision": "approve", "opinion": "同意"}
    client.post(reverse("workbench:task-act", args=[task.pk]), decision)
    assert Task.objects.get(pk=task.pk).status == Task.Status.APPROVED
    check = PostCheck.objects.get(task=task)
    assert "食品经营许可" in client.get(reverse("workbench:post-checks")).content.decode()
    client.post(
        reverse("workbench:post-check-record", args=[check.pk]), {"result": "passed", "finding": "现场与承诺一致"}
    )
    assert PostCheck.objects.get(pk=check.pk).status == PostCheck.Status.PASSED

    # Another department's approver cannot record it.
    client.force_login(user("shenpi-gaj"))
    response = client.post(
        reverse("workbench:post-check-record", args=[check.pk]), {"result": "passed", "finding": "x"}
    )
    assert response.status_code == 404
