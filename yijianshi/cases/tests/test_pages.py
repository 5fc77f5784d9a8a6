"""The case pages: an applicant applies and corrects on the portal, the window accepts, departments decide, and
everyone sees the same trail. Pages call the services the API calls; these tests drive them as people would."""

import datetime
import io
import os

import pytest
from django.urls import reverse
from django.utils import timezone

from yijianshi.accounts.tests.factories import UserFactory
from yijianshi.cases.models import Case, CaseEvent, CorrectionNotice, Task
from yijianshi.cases.tests.conftest import accept_case, approve, submit_case, task_of
from yijianshi.files import formats
from yijianshi.files.models import StoredFile

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def pdf(name="材料.pdf"):
    stream = io.BytesIO(formats.sample("pdf"))
    stream.name = name
    return stream


def text(response) -> str:
    return response.content.decode()


def start_application(client, bundle) -> Case:
    response = client.post(reverse("portal:apply", args=["NEWBORN"]))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:my-case-edit", args=[case.pk])
    return case


def test_an_applicant_applies_online_in_three_steps(client, person, bundle):
    login(client, person)
    case = start_application(client, bundle)
    edit = reverse("portal:my-case-edit", args=[case.pk])
    page = text(client.get(edit))
    assert "是否同时办理城乡居民医保参保？" in page
    assert "新生儿姓名" not in page  # the form appears once the situation is known

    client.post(edit, {"action": "answers", "q-insure": "no"})
    page = text(client.get(edit))
    assert "新生儿姓名" in page and "分娩记录" in page
    assert "联系电话" not in page  # only asked for with 医保参保

    response = client.post(
        edit,
        {
            "action": "submit",
            "q-insure": "no",
            "f-applicant-name": "张三",
            "f-child-name": "张小宝",
            "f-birth-date": "2026-11-20",
            "f-address": "金水路 1 号",
            "m-id-card": pdf("身份证.pdf"),
            "m-delivery-record": pdf("分娩记录.pdf"),
            "m-hukou-book": pdf("户口簿.pdf"),
            "delivery": "electronic",
        },
    )
    case.refresh_from_db()
    assert response.status_code == 302, text(response)
    assert response["Location"] == reverse("portal:my-case", args=[case.pk])
    assert case.status == Case.Status.SUBMITTED and case.number
    assert case.form_data["child-name"] == "张小宝"
    page = text(client.get(response["Location"]))
    assert case.number in page and "提交申请" in page


def test_a_refused_upload_is_named_next_to_its_material_and_nothing_is_kept(client, person, bundle):
    login(client, person)
    case = start_application(client, bundle)
    edit = reverse("portal:my-case-edit", args=[case.pk])
    client.post(edit, {"action": "answers", "q-insure": "no"})
    files_before, events_before = StoredFile.objects.count(), CaseEvent.objects.filter(case=case).count()
    fake = io.BytesIO(b"MZ\x90\x00 this is not a document")
    fake.name = "分娩记录.pdf"
    response = client.post(
        edit,
        {
            "action": "save",
            "q-insure": "no",
            "f-child-name": "张小宝",
            "m-id-card": pdf("身份证.pdf"),
            "m-delivery-record": fake,
            "delivery": "electronic",
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert 'id="m-delivery-record-error"' in page and "请勿只修改扩展名" in page
    assert 'value="张小宝"' in page  # what was typed stays on the page
    case.refresh_from_db()
    assert "child-name" not in case.form_data
    assert StoredFile.objects.count() == files_before  # the good upload went with the refused change
    assert CaseEvent.objects.filter(case=case).count() == events_before


def test_submitting_an_incomplete_application_lists_every_missing_part(client, person, bundle):
    login(client, person)
    case = start_application(client, bundle)
    edit = reverse("portal:my-case-edit", args=[case.pk])
    client.post(edit, {"action": "answers", "q-insure": "no"})
    response = client.post(edit, {"action": "submit", "q-insure": "no", "delivery": "electronic"})
    page = text(response)
    assert response.status_code == 200
    for field in ("f-child-name-error", "f-birth-date-error", "m-id-card-error", "m-hukou-book-error"):
        assert f'id="{field}"' in page
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFT


def test_the_window_sends_one_correction_notice_and_the_applicant_corrects_online(client, person, clerk, bundle):
    case = submit_case(person)
    login(client, clerk)
    queue = text(client.get(reverse("workbench:window")))
    assert case.number in queue
    response = client.post(
        reverse("workbench:case-decide", args=[case.pk]),
        {
            "action": "correct",
            "pick-material-hukou-book": "on",
            "message-material-hukou-book": "请提供户主页和本人页",
            "pick-field-address": "on",
            "message-field-address": "请写到门牌号",
            "note": "补正后无需再跑窗口",
        },
    )
    assert response.status_code == 302
    notice = CorrectionNotice.objects.get(case=case)
    assert [(p["key"], p["message"]) for p in notice.problems] == [
        ("hukou-book", "请提供户主页和本人页"),
        ("address", "请写到门牌号"),
    ]
    again = client.post(
        reverse("workbench:case-decide", args=[case.pk]),
        {"action": "correct", "pick-field-address": "on", "message-field-address": "再说一次"},
    )
    assert again.status_code == 302
    assert CorrectionNotice.objects.filter(case=case).count() == 1

    client.logout()
    login(client, person)
    page = text(client.get(reverse("portal:my-case", args=[case.pk])))
    assert "请提供户主页和本人页" in page and 'name="f-address"' in page
    assert 'name="f-child-name"' not in page  # only what the notice names is asked again
    response = client.post(
        reverse("portal:my-case-edit", args=[case.pk]),
        {"action": "resubmit", "f-address": "金水路 1 号院 2 号楼", "m-hukou-book": pdf("户口簿全页.pdf")},
    )
    assert response.status_code == 302, text(response)
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED and case.round == 2
    assert case.form_data["address"] == "金水路 1 号院 2 号楼"


def test_the_window_accepts_and_departments_decide_from_their_inbox(client, person, clerk, approvers, bundle):
    case = submit_case(person)
    login(client, clerk)
    page = text(client.get(reverse("workbench:case", args=[case.pk])))
    assert "即办件当场办结" in page
    client.post(
        reverse("workbench:case-decide", args=[case.pk]),
        {"action": "accept", "opinion": "材料齐全", "approve_immediate": "on"},
    )
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS
    assert task_of(case, "VACCINE").status == Task.Status.APPROVED

    client.logout()
    login(client, approvers["wjw"])
    inbox = text(client.get(reverse("workbench:tasks")))
    birth = task_of(case, "BIRTH")
    assert reverse("workbench:task", args=[birth.pk]) in inbox
    assert "金水路" not in text(client.get(reverse("workbench:task", args=[birth.pk])))  # HUKOU's field
    response = client.post(
        reverse("workbench:task-act", args=[birth.pk]),
        {"action": "decide", "decision": "approve", "opinion": "同意", "results": pdf("出生医学证明.pdf")},
    )
    assert response.status_code == 302
    birth.refresh_from_db()
    assert birth.status == Task.Status.APPROVED and birth.results.count() == 1

    client.logout()
    login(client, approvers["gaj"])
    hukou = task_of(case, "HUKOU")
    page = text(client.get(reverse("workbench:task", args=[hukou.pk])))
    assert "前序事项的办理结果" in page and "出生医学证明" in page
    client.post(
        reverse("workbench:task-act", args=[hukou.pk]),
        {
            "action": "suspend",
            "kind": "inspection",
            "reason": "核实住址",
            "expected_end": str(timezone.localdate() + datetime.timedelta(days=10)),
        },
    )
    hukou.refresh_from_db()
    assert hukou.status == Task.Status.SUSPENDED
    client.post(reverse("workbench:task-act", args=[hukou.pk]), {"action": "resume", "note": "住址属实"})
    client.post(
        reverse("workbench:task-act", args=[hukou.pk]),
        {"action": "decide", "decision": "refuse", "refusal_reason": "不符合落户条件", "legal_basis": "户口登记条例"},
    )
    case.refresh_from_db()
    assert case.status == Case.Status.COMPLETED

    client.logout()
    login(client, person)
    page = text(client.get(reverse("portal:my-case", args=[case.pk])))
    for step in ("受理", "准予许可", "进入特别程序", "特别程序结束", "不予许可", "办结", "不符合落户条件"):
        assert step in page
    result = birth.results.get()
    download = client.get(f"/api/v1/cases/{case.pk}/files/{result.file_id}")
    assert download.status_code == 200


def test_a_decision_with_a_missing_reason_is_refused_and_changes_nothing(client, person, clerk, approvers, bundle):
    case = submit_case(person)
    accept_case(case, clerk)
    login(client, approvers["wjw"])
    birth = task_of(case, "BIRTH")
    response = client.post(
        reverse("workbench:task-act", args=[birth.pk]), {"action": "decide", "decision": "refuse"}, follow=True
    )
    assert "理由" in text(response)
    birth.refresh_from_db()
    assert birth.status == Task.Status.ACTIVE


def test_pickup_at_the_window_checks_the_applicants_code(client, person, clerk, approvers, bundle):
    case = submit_case(person, delivery={"method": "pickup"})
    accept_case(case, clerk, approve_immediate=True)
    approve(case, "BIRTH", approvers["wjw"])
    approve(case, "HUKOU", approvers["gaj"])
    case.refresh_from_db()
    assert case.status == Case.Status.COMPLETED and case.pickup_code
    login(client, person)
    assert case.pickup_code in text(client.get(reverse("portal:my-case", args=[case.pk])))
    client.logout()
    login(client, clerk)
    assert case.number in text(client.get(reverse("workbench:window")))
    wrong = client.post(reverse("workbench:case-hand-out", args=[case.pk]), {"pickup_code": "000000x"}, follow=True)
    assert "取件码不正确" in text(wrong)
    client.post(reverse("workbench:case-hand-out", args=[case.pk]), {"pickup_code": case.pickup_code})
    case.refresh_from_db()
    assert case.delivered_at is not None


def test_a_walk_in_applicant_is_registered_and_their_application_filled_at_the_window(client, clerk, bundle):
    login(client, clerk)
    bad = client.post(
        reverse("workbench:walk-in"), {"name": "李四", "id_number": "110105194912310028", "life_event": "NEWBORN"}
    )
    assert bad.status_code == 200 and 'id="id-error"' in text(bad)
    assert Case.objects.count() == 0
    response = client.post(
        reverse("workbench:walk-in"), {"name": "李四", "id_number": "11010519491231002X", "life_event": "NEWBORN"}
    )
    case = Case.objects.get()
    assert response["Location"] == reverse("workbench:application", args=[case.pk])
    assert case.channel == "window" and case.applicant.name == "李四"
    assert "是否同时办理城乡居民医保参保？" in text(client.get(response["Location"]))


def test_others_see_nothing_of_a_case(client, person, clerk, approvers, bundle):
    case = submit_case(person)
    accept_case(case, clerk)
    stranger = UserFactory()
    login(client, stranger)
    assert client.get(reverse("portal:my-case", args=[case.pk])).status_code == 404
    assert client.get(reverse("portal:my-case-edit", args=[case.pk])).status_code == 404
    client.logout()
    login(client, approvers["ybj"])  # INSURE is not in this case: no task of theirs
    assert client.get(reverse("workbench:task", args=[task_of(case, "BIRTH").pk])).status_code == 404
    assert client.get(reverse("workbench:case", args=[case.pk])).status_code == 404
    client.logout()
    login(client, person)
    assert client.get(reverse("workbench:window")).status_code == 403


def test_required_materials_are_marked_on_the_form(client, person, bundle):
    login(client, person)
    case = start_application(client, bundle)
    edit = reverse("portal:my-case-edit", args=[case.pk])
    client.post(edit, {"action": "answers", "q-insure": "no"})
    page = text(client.get(edit))
    label = page.split('for="m-hukou-book">', 1)[1].split("</label>", 1)[0]
    assert 'class="required"' in label


# Regressions found in review: each once answered 500, wrote half, or let the wrong person in.


def test_a_clerk_cannot_open_an_online_applicants_draft(client, person, clerk, bundle):
    login(client, person)
    case = start_application(client, bundle)
    client.logout()
    login(client, clerk)
    assert client.get(reverse("workbench:application", args=[case.pk])).status_code == 404
    response = client.post(reverse("workbench:application", args=[case.pk]), {"action": "answers", "q-insure": "yes"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.answers == {}


@pytest.mark.parametrize(
    ("url_name", "post"),
    [
        ("workbench:case-decide", {"action": "accept", "opinion": "ok\x00"}),
        ("workbench:case-decide", {"action": "refuse", "reason": "r\x00"}),
        ("workbench:case-decide", {"action": "correct", "pick-field-address": "on", "message-field-address": "x\x00y"}),
    ],
)
def test_a_nul_character_in_a_window_decision_is_refused_by_name(client, person, clerk, bundle, url_name, post):
    case = submit_case(person)
    login(client, clerk)
    response = client.post(reverse(url_name, args=[case.pk]), post, follow=True)
    assert response.status_code == 200 and "空字符" in text(response)
    case.refresh_from_db()
    assert case.status == Case.Status.SUBMITTED


def test_a_nul_character_in_the_application_form_is_refused_by_name(client, person, bundle):
    login(client, person)
    case = start_application(client, bundle)
    edit = reverse("portal:my-case-edit", args=[case.pk])
    client.post(edit, {"action": "answers", "q-insure": "no"})
    response = client.post(
        edit, {"action": "save", "q-insure": "no", "f-child-name": "a\x00b", "delivery": "electronic"}
    )
    assert response.status_code == 200 and "空字符" in text(response)
    case.refresh_from_db()
    assert "child-name" not in case.form_data


def test_an_over_long_walk_in_phone_is_an_error_on_the_field(client, clerk, bundle):
    login(client, clerk)
    response = client.post(
        reverse("workbench:walk-in"),
        {"name": "李四", "id_number": "11010519491231002X", "phone": "1" * 500, "life_event": "NEWBORN"},
    )
    assert response.status_code == 200 and 'id="phone-error"' in text(response)
    assert Case.objects.count() == 0


def test_someone_who_sees_a_task_but_may_not_decide_it_is_refused(client, person, clerk, supervisor, bundle):
    case = submit_case(person)
    accept_case(case, clerk)
    login(client, supervisor)
    birth = task_of(case, "BIRTH")
    assert client.get(reverse("workbench:task", args=[birth.pk])).status_code == 200
    response = client.post(reverse("workbench:task-act", args=[birth.pk]), {"action": "decide", "decision": "approve"})
    assert response.status_code == 403
    birth.refresh_from_db()
    assert birth.status == Task.Status.ACTIVE


def stored_on_disk(settings) -> int:
    return sum(len(files) for _root, _dirs, files in os.walk(settings.MEDIA_ROOT))


def test_too_many_files_for_a_material_are_refused_before_any_is_stored(client, person, bundle, settings):
    login(client, person)
    case = start_application(client, bundle)
    edit = reverse("portal:my-case-edit", args=[case.pk])
    client.post(edit, {"action": "answers", "q-insure": "no"})
    before = stored_on_disk(settings)
    response = client.post(
        edit,
        {
            "action": "save",
            "q-insure": "no",
            "m-hukou-book": [pdf(f"户口簿{i}.pdf") for i in range(21)],
            "delivery": "electronic",
        },
    )
    assert 'id="m-hukou-book-error"' in text(response) and "最多 20 个" in text(response)
    assert stored_on_disk(settings) == before


def test_a_refused_change_takes_the_content_of_its_good_uploads_with_it(client, person, bundle, settings):
    login(client, person)
    case = start_application(client, bundle)
    edit = reverse("portal:my-case-edit", args=[case.pk])
    client.post(edit, {"action": "answers", "q-insure": "no"})
    before = stored_on_disk(settings)
    response = client.post(
        edit,
        {
            "action": "save",
            "q-insure": "no",
            "f-birth-date": "not a date",
            "m-hukou-book": pdf(),
            "delivery": "electronic",
        },
    )
    assert 'id="f-birth-date-error"' in text(response)
    assert stored_on_disk(settings) == before


def test_correction_notice_errors_name_the_item(client, person, clerk, bundle):
    case = submit_case(person)
    login(client, clerk)
    response = client.post(
        reverse("workbench:case-decide", args=[case.pk]),
        {"action": "correct", "pick-material-hukou-book": "on", "message-material-hukou-book": ""},
        follow=True,
    )
    assert "户口簿：请写明需要如何补正" in text(response)
    assert CorrectionNotice.objects.count() == 0


def test_the_task_queue_holds_only_the_callers_department_work(client, person, clerk, supervisor, approvers, bundle):
    from yijianshi.conftest import bearer

    case = submit_case(person)
    accept_case(case, clerk)
    assert client.get("/api/v1/tasks", **bearer(supervisor)).json()["items"] == []  # reads the region, owns no queue
    mine = client.get("/api/v1/tasks", **bearer(approvers["wjw"])).json()["items"]
    assert [row["item_code"] for row in mine] == ["BIRTH"]


def test_a_walk_in_collects_results_at_the_window_unless_told_otherwise(client, clerk, bundle):
    login(client, clerk)
    client.post(
        reverse("workbench:walk-in"), {"name": "李四", "id_number": "11010519491231002X", "life_event": "NEWBORN"}
    )
    assert Case.objects.get().delivery_method == "pickup"


def test_the_applicants_pages_of_a_case_cost_a_fixed_number_of_statements(client, person, clerk, approvers, bundle):
    """Read costs of the pages an applicant opens most (docs/performance.md): the draft with its uploads, its 核对,
    and the case page once every department has decided; each warm, and the draft's the same however many files."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yijianshi.cases.materials import materials_given

    def statements(url) -> int:
        client.get(url)  # warm: the catalog snapshot and the timeline are kept per process
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url).status_code == 200
        return len(seen)

    login(client, person)
    case = start_application(client, bundle)
    edit = reverse("portal:my-case-edit", args=[case.pk])
    client.post(edit, {"action": "answers", "q-insure": "no"})
    saved = {"action": "save", "q-insure": "no", "f-applicant-name": "张三", "delivery": "electronic"}
    assert client.post(edit, {**saved, "m-id-card": pdf()}).status_code == 302
    one_file = statements(edit)
    complete = {"f-child-name": "张小宝", "f-birth-date": "2026-11-20", "f-address": "金水路 1 号"}
    more = {"m-hukou-book": [pdf("户口簿1.pdf"), pdf("户口簿2.pdf")], "m-delivery-record": pdf("分娩记录.pdf")}
    assert client.post(edit, {**saved, **complete, **more}).status_code == 302
    assert sorted(len(ids) for ids in materials_given(case).values()) == [1, 1, 2]
    # In a test the principal is read on every request (3 statements): its cache keeps nothing while the test's own
    # transaction, which granted the roles, is open.
    assert statements(edit) == one_file <= 9
    confirm = client.get(reverse("portal:my-case-confirm", args=[case.pk]))
    assert "确认提交" in text(confirm) and "户口簿2.pdf" in text(confirm)
    assert statements(reverse("portal:my-case-confirm", args=[case.pk])) <= 12

    submitted = submit_case(person)
    accept_case(submitted, clerk, approve_immediate=True)
    approve(submitted, "BIRTH", approvers["wjw"])
    approve(submitted, "HUKOU", approvers["gaj"])
    submitted.refresh_from_db()
    assert submitted.status == Case.Status.COMPLETED
    assert statements(reverse("portal:my-case", args=[submitted.pk])) <= 13
