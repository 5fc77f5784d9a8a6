"""The issue's "done when", on the demo data: zhangsan applies for 新生儿出生一件事, the window (chuangkou) accepts,
each department's demo approver decides in parallel where the flow allows, the case completes, and zhangsan sees
every step. Driven through the HTTP API, as a department system or a mobile app would."""

import io

import pytest
from django.core.management import call_command

from yijianshi.accounts.models import Department, User
from yijianshi.accounts.selectors import principal_for_user
from yijianshi.cases.catalog_target import target_live
from yijianshi.cases.models import Case, Task
from yijianshi.catalog.plan import OPTIONAL
from yijianshi.conftest import bearer
from yijianshi.core.errors import InvalidInput
from yijianshi.demo.licenses import ID_CARD
from yijianshi.files import formats
from yijianshi.licenses.models import License

pytestmark = pytest.mark.django_db

VALUES = {
    "text": "测试内容",
    "textarea": "测试内容",
    "date": "2026-11-20",
    "phone": "13800000001",
    "email": "zhangsan@example.com",
    "region": "410105000000",
    "number": 1,
    "checkbox": True,
}


def value_for(field: dict, applicant):
    if field["type"] in ("select", "multiselect"):
        first = field["options"][0]["value"]
        return first if field["type"] == "select" else [first]
    if field["type"] == "citizen_id":
        return applicant.id_number
    if field["type"] == "number" and field["min"] is not None:
        return field["min"]
    if field["key"].endswith("name"):
        return "张小宝" if "child" in field["key"] or "baby" in field["key"] else applicant.name
    return VALUES[field["type"]]


def answered(target) -> tuple[dict, dict]:
    """Answer every question asked with its first option (是), follow-ups included."""
    answers = {}
    for _round in range(10):
        try:
            return target.plan(answers), answers
        except InvalidInput as error:
            questions = {q["key"]: q for q in target.snapshot["life_event"]["questions"]}
            for field in error.fields:
                key = field.removeprefix("answers.")
                answers[key] = questions[key]["options"][0]["key"]
    raise AssertionError(answers)


def clerk_department(clerk) -> str:
    return Department.objects.get(pk=next(iter(principal_for_user(clerk).department_ids("case.accept")))).name


def upload(client, user, format_name):
    stream = io.BytesIO(formats.sample(format_name))
    stream.name = f"材料.{formats.EXTENSIONS[format_name]}"
    response = client.post("/api/v1/files", {"file": stream}, **bearer(user))
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_a_newborn_case_goes_from_zhangsan_through_the_window_and_departments_to_completion(client):
    call_command("demo", verbosity=0)
    zhangsan, clerk = User.objects.get(username="zhangsan"), User.objects.get(username="chuangkou")
    plan, answers = answered(target_live(life_event="LE-NEWBORN", item=None))
    application = {
        "life_event": "LE-NEWBORN",
        "answers": answers,
        "form": {f["key"]: value_for(f, zhangsan.applicant) for f in plan["form"]},
        "materials": {
            m["key"]: {"files": [upload(client, zhangsan, (m["formats"] or ["pdf"])[0])]}
            for m in plan["materials"]
            if m["need"] != OPTIONAL
        },
        "delivery": {"method": "electronic"},
    }
    response = client.post("/api/v1/cases", application, content_type="application/json", **bearer(zhangsan))
    assert response.status_code == 201, response.json()
    case_id = response.json()["id"]

    response = client.post(
        f"/api/v1/cases/{case_id}/accept", {"opinion": "材料齐全"}, content_type="application/json",
        **bearer(clerk),
    )  # fmt: skip
    assert response.status_code == 200, response.json()

    most_at_once = 0
    for _round in range(10):
        active = list(Task.objects.filter(case_id=case_id, status=Task.Status.ACTIVE).select_related("department"))
        if not active:
            break
        most_at_once = max(most_at_once, len(active))
        for task in active:
            approver = User.objects.get(username=f"shenpi-{task.department.code.removeprefix('zz-')}")
            assert principal_for_user(approver).department_ids("task.decide") >= {task.department_id}
            inbox = client.get("/api/v1/tasks", **bearer(approver)).json()["items"]
            assert str(task.pk) in {row["id"] for row in inbox}
            response = client.post(
                f"/api/v1/tasks/{task.pk}/decide", {"decision": "approve", "opinion": "同意"},
                content_type="application/json", **bearer(approver),
            )  # fmt: skip
            assert response.status_code == 200, response.json()

    case = Case.objects.get(pk=case_id)
    assert case.status == Case.Status.COMPLETED and case.outcome == Case.Outcome.APPROVED
    assert most_at_once >= 3  # after 出生医学证明, 接种证、出生登记、医保参保 run in parallel
    seen = client.get(f"/api/v1/cases/{case_id}", **bearer(zhangsan)).json()
    assert {t["status"] for t in seen["tasks"]} == {"approved"}
    actions = [e["action"] for e in client.get(f"/api/v1/cases/{case_id}/events", **bearer(zhangsan)).json()]
    assert actions[:3] == ["created", "submitted", "accepted"]
    assert actions.count("task_approved") == len(plan["items"]) and actions[-1] == "completed"

    # 张三 now holds the licenses the departments issued, each verifiable by anyone from its QR address.
    wallet = client.get("/api/v1/licenses", **bearer(zhangsan)).json()["items"]
    produced = {i["result"]["license_type"] for i in plan["items"] if i["result"]["license_type"]}
    # Besides the 居民身份证 every demo person holds from the start.
    assert {row["type_code"] for row in wallet} == produced | {ID_CARD} and len(wallet) == len(produced) + 1 >= 4
    assert actions.count("license_issued") == len(produced)
    page = client.get(f"/verify/{wallet[0]['identifier']}")
    assert page.status_code == 200 and "有效" in page.content.decode()

    # The PDF carries the QR code of that page; the second case that needs 出生医学证明 gets the e-license attached
    # instead of an upload, and 张三 sees the department that read it.
    birth = next(row for row in wallet if row["name"] == "出生医学证明")
    pdf = client.get(f"/api/v1/licenses/{birth['id']}/pdf", **bearer(zhangsan))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    insure = "1141010000000005184200050430000"  # 城乡居民基本医疗保险参保登记（新生儿）
    item_plan = target_live(life_event=None, item=insure).plan({})
    response = client.post(
        "/api/v1/cases",
        {
            "item": insure,
            "form": {f["key"]: value_for(f, zhangsan.applicant) for f in item_plan["form"]},
            "materials": {
                m["key"]: {"files": [upload(client, zhangsan, (m["formats"] or ["pdf"])[0])]}
                for m in item_plan["materials"]
                if m["need"] != OPTIONAL and m["key"] != "birth-medical-certificate"
            },
            "delivery": {"method": "electronic"},
        },
        content_type="application/json",
        **bearer(zhangsan),
    )
    assert response.status_code == 201, response.json()
    second = response.json()
    attached = next(m for m in second["materials"] if m["key"] == "birth-medical-certificate")
    assert attached["kind"] == "license" and attached["files"] == []
    client.post(
        f"/api/v1/cases/{second['id']}/accept", {}, content_type="application/json", **bearer(clerk)
    )  # fmt: skip
    task = Task.objects.select_related("department").get(case_id=second["id"])
    approver = User.objects.get(username=f"shenpi-{task.department.code.removeprefix('zz-')}")
    seen = client.get(f"/api/v1/cases/{second['id']}", **bearer(approver)).json()
    ref = next(m for m in seen["materials"] if m["key"] == "birth-medical-certificate")["license"]
    assert ref["result"] == "valid" and ref["identifier"] == birth["identifier"]
    trail = client.get("/api/v1/me/data-access", **bearer(zhangsan)).json()["items"]
    # The window that accepted the case read it too; both reads are for this case.
    assert {row["department"] for row in trail} == {task.department.name, clerk_department(clerk)}
    assert {row["case_number"] for row in trail} == {second["number"]}

    # Revoking it turns its verification page to "revoked".
    issuer = User.objects.get(username="shenpi-" + License.objects.get(pk=birth["id"]).issuer.code.removeprefix("zz-"))
    response = client.post(
        f"/api/v1/licenses/{birth['id']}/status", {"status": "03", "reason": "信息登记错误"},
        content_type="application/json", **bearer(issuer),
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    page = client.get(f"/verify/{birth['identifier']}").content.decode()
    assert "已撤销" in page and "信息登记错误" in page
