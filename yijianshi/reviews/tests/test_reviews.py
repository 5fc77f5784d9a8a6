"""好差评: a completed case is rated once, changeable for a while; bad ratings say why; supervisors read them."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from yijianshi.cases.events import chain_problems
from yijianshi.cases.models import Case
from yijianshi.cases.tests.conftest import accept_case, approve, submit_case
from yijianshi.conftest import bearer
from yijianshi.reviews.models import Review

pytestmark = pytest.mark.django_db


def completed(person, clerk, approvers):
    case = submit_case(person)
    accept_case(case, clerk, approve_immediate=True)
    for code in ("BIRTH", "HUKOU"):
        approve(case, code, approvers[{"BIRTH": "wjw", "HUKOU": "gaj"}[code]])
    case.refresh_from_db()
    assert case.status == Case.Status.COMPLETED
    return case


def put(client, case, body, who):
    return client.put(f"/api/v1/cases/{case.pk}/review", body, content_type="application/json", **bearer(who))


def test_a_completed_case_is_rated_once_and_the_rating_can_be_changed_for_a_week(client, person, clerk, approvers):
    case = completed(person, clerk, approvers)
    body = {"level": 5, "dimensions": {"efficiency": 5, "usability": 4}, "comment": "不用跑腿"}
    response = put(client, case, body, person)
    assert response.status_code == 201, response.json()
    assert response.json()["level_label"] == "非常满意" and response.json()["editable"]
    assert put(client, case, {"level": 4}, person).status_code == 200
    review = Review.objects.get(case=case)
    assert (Review.objects.count(), review.level, review.revisions) == (1, 4, 1)
    assert review.departments == "|gaj|jkzx|wjw|"
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        response = put(client, case, {"level": 1, "comment": "改主意了"}, person)
    assert response.status_code == 409 and response.json()["code"] == "review_closed"
    assert Review.objects.get(case=case).level == 4
    actions = [e["action"] for e in client.get(f"/api/v1/cases/{case.pk}/events", **bearer(person)).json()]
    assert actions.count("reviewed") == 2
    assert list(chain_problems(case_numbers=[case.number])) == []


def test_only_a_completed_case_of_ones_own_is_rated_and_a_bad_rating_says_why(
    client, person, other_person, clerk, approvers
):
    case = submit_case(person)
    response = put(client, case, {"level": 5}, person)
    assert response.status_code == 409 and response.json()["code"] == "case_not_completed"
    case = completed(person, clerk, approvers)
    assert put(client, case, {"level": 5}, other_person).status_code == 404
    response = put(client, case, {"level": 2}, person)
    assert response.status_code == 422 and "整改" in response.json()["fields"]["comment"]
    response = put(client, case, {"level": 6, "dimensions": {"speed": 3}}, person)
    assert response.status_code == 422 and {"level", "dimensions.speed"} <= set(response.json()["fields"])
    assert put(client, case, {"level": True}, person).status_code == 422
    assert not Review.objects.exists()


def test_supervisors_read_ratings_of_their_region_with_names_masked(client, person, clerk, approvers, supervisor):
    case = completed(person, clerk, approvers)
    put(client, case, {"level": 1, "comment": "窗口态度差"}, person)
    rows = client.get("/api/v1/reviews?level=1&department=gaj", **bearer(supervisor)).json()["items"]
    assert [row["case_number"] for row in rows] == [case.number]
    assert rows[0]["applicant_name"] != person.applicant.name and rows[0]["applicant_name"].startswith(
        person.applicant.name[0]
    )
    assert client.get("/api/v1/reviews?department=ybj", **bearer(supervisor)).json()["items"] == []
    assert client.get("/api/v1/reviews", **bearer(person)).status_code == 403


def test_the_applicant_rates_on_the_case_page(client, person, clerk, approvers):
    case = completed(person, clerk, approvers)
    client.force_login(person)
    page = client.get(reverse("portal:my-case", args=[case.pk])).content.decode()
    assert "评价本次服务" in page and "平台操作性" in page
    response = client.post(
        reverse("portal:my-case-review", args=[case.pk]), {"level": "3", "dim-convenience": "4", "comment": ""}
    )
    assert response.status_code == 302
    review = Review.objects.get(case=case)
    assert (review.level, review.dimensions) == (3, {"convenience": 4})
    assert "修改评价" in client.get(reverse("portal:my-case", args=[case.pk])).content.decode()


def test_the_applicant_reads_their_messages_and_marks_them_read(client, person, other_person, clerk, approvers):
    from yijianshi.notifications.models import Notification

    case = completed(person, clerk, approvers)
    client.force_login(person)
    page = client.get(reverse("portal:my-messages")).content.decode()
    unread = Notification.objects.filter(recipient=person, read_at__isnull=True).count()
    assert unread >= 3 and "申请已办结" in page and f"{unread} 条未读" in page
    assert case.number in page
    client.post(reverse("portal:my-messages"), {"action": "read-all"})
    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
    client.force_login(other_person)
    assert "还没有消息" in client.get(reverse("portal:my-messages")).content.decode()
