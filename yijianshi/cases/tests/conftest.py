"""A small 新生儿出生 bundle across four departments, its staff, an applicant, and helpers to drive a case."""

import io

import pytest
from huey.contrib.djhuey import HUEY

from yijianshi.accounts.models import Department
from yijianshi.accounts.tests.factories import city
from yijianshi.catalog.importer import catalog_import
from yijianshi.catalog.tests import builders as b
from yijianshi.conftest import staff_with_role
from yijianshi.files import formats
from yijianshi.files.services import file_store
from yijianshi.licenses.models import LicenseType
from yijianshi.notifications.sms import OutboxSmsGateway

BIRTH_CERT = "11100000000000019F001"


def newborn_catalog() -> dict:
    """BIRTH (卫健, 2 days) produces the birth certificate HUKOU (公安, 5 days) needs; INSURE (医保, 3 days) waits
    for HUKOU and only applies when asked for; VACCINE (疾控) is a 即办件 that waits for nothing."""
    departments = [
        b.department("wjw", "00000901", name="郑州市卫生健康委员会"),
        b.department("gaj", "00000902", name="郑州市公安局"),
        b.department("ybj", "00000903", name="郑州市医疗保障局"),
        b.department("jkzx", "00000904", name="郑州市疾病预防控制中心"),
    ]
    id_card = b.material("id-card", name="父母身份证", formats=["pdf", "jpeg", "png"])
    items = [
        b.item(
            "BIRTH",
            dept="wjw",
            days=2,
            result={"name": "出生医学证明", "type": "certificate", "material_key": "birth-cert",
                    "license_type": BIRTH_CERT},
            materials=[id_card, b.material("delivery-record", name="分娩记录", formats=["pdf"])],
            fields=[
                b.field("applicant-name", label="申请人姓名", prefill="person.name"),
                b.field("child-name", label="新生儿姓名", max_length=20),
                b.field("birth-date", label="出生日期", type="date"),
            ],
        ),
        b.item(
            "HUKOU",
            dept="gaj",
            days=5,
            materials=[id_card, b.material("birth-cert", name="出生医学证明", type=1, source=20,
                                           license_type=BIRTH_CERT), b.material("hukou-book", name="户口簿")],
            fields=[b.field("child-name", label="新生儿姓名", max_length=10), b.field("address", label="落户地址")],
        ),
        b.item("INSURE", dept="ybj", days=3, materials=[id_card],
               fields=[b.field("phone", label="联系电话", type="phone")]),
        b.item("VACCINE", dept="jkzx", days=1, case_kind=1, materials=[id_card], fields=[]),
    ]  # fmt: skip
    event = b.life_event(
        "NEWBORN",
        ["BIRTH", "HUKOU", {"item": "INSURE", "depends_on": ["HUKOU"], "default": False}, "VACCINE"],
        name="新生儿出生一件事",
        lead_department="wjw",
        questions=[
            {
                "key": "insure",
                "text": "是否同时办理城乡居民医保参保？",
                "options": [
                    {"key": "yes", "label": "是", "include_items": ["INSURE"]},
                    {"key": "no", "label": "否"},
                ],
            }
        ],
    )
    single = b.item("PERMIT", dept="gaj", days=10, materials=[b.material("id-card")], fields=[b.field("reason")])
    return b.catalog(departments=departments, items=[*items, single], life_events=[event])


@pytest.fixture
def bundle(db):
    city()
    catalog_import(text=b.as_yaml(newborn_catalog()))
    departments = {code: Department.objects.get(code=code) for code in ("wjw", "gaj", "ybj", "jkzx")}
    birth_cert = LicenseType.objects.create(
        code=BIRTH_CERT, name="出生医学证明", authority_name="国家卫生健康委员会", holder_kind="person",
        fields=[{"key": "child-name", "label": "新生儿姓名", "public": False},
                {"key": "birth-date", "label": "出生日期", "public": False}],
    )  # fmt: skip
    birth_cert.issuing_departments.add(departments["wjw"])
    return departments


@pytest.fixture
def clerk(bundle):
    return staff_with_role("window_clerk", region=city(), name="窗口小王")


@pytest.fixture
def approvers(bundle):
    return {
        code: staff_with_role("approver", region=city(), department=department, name=f"审批{code}")
        for code, department in bundle.items()
    }


@pytest.fixture
def supervisor(bundle):
    return staff_with_role("supervisor", region=city(), name="监察老李")


def upload(user, format_name: str = "pdf", name: str = "材料"):
    content = formats.sample(format_name)
    return file_store(upload=io.BytesIO(content), name=f"{name}.{formats.EXTENSIONS[format_name]}", user=user)


def complete_application(user, *, insure: bool = False) -> dict:
    """A complete 新生儿出生 application by `user` (materials uploaded as that user)."""
    materials = {
        "id-card": {"files": [str(upload(user, "jpeg", "身份证").pk)]},
        "delivery-record": {"files": [str(upload(user, "pdf", "分娩记录").pk)]},
        "hukou-book": {"files": [str(upload(user, "pdf", "户口簿").pk)]},
    }
    form = {"applicant-name": "张三", "child-name": "张小宝", "birth-date": "2026-11-20", "address": "金水路 1 号"}
    if insure:
        form["phone"] = "13800138000"
    return {
        "life_event": "NEWBORN",
        "answers": {"insure": "yes" if insure else "no"},
        "form": form,
        "materials": materials,
        "delivery": {"method": "electronic"},
    }


@pytest.fixture
def jobs(monkeypatch):
    """Run what the case engine queued, through Huey's own queue: `jobs()` executes every pending job.

    A consumer closes stale connections around each job; here the job shares the test's connection and transaction,
    which must stay open, so that one step is left out."""
    monkeypatch.setattr("huey.contrib.djhuey.close_old_connections", lambda: None)
    HUEY.flush()
    OutboxSmsGateway.outbox.clear()

    def run() -> int:
        count = 0
        while (task := HUEY.dequeue()) is not None:
            HUEY.execute(task)
            count += 1
        return count

    yield run
    HUEY.flush()


def principal(user):
    from yijianshi.accounts.selectors import principal_for_user

    return principal_for_user(user)


def submit_case(user, **overrides):
    """A submitted 新生儿出生 case, through the service (as the API would call it)."""
    from yijianshi.cases.submission import case_create

    application = {**complete_application(user, insure=overrides.pop("insure", False)), **overrides}
    delivery = application.pop("delivery")
    materials = {key: value["files"] for key, value in application.pop("materials").items()}
    case, _created = case_create(
        by=principal(user),
        applicant=user.applicant,
        materials=materials,
        delivery_method=delivery["method"],
        delivery_address=delivery.get("address"),
        **application,
    )
    return case


def accept_case(case, clerk, **options):
    from yijianshi.cases.front_desk import case_accept

    return case_accept(case_id=case.pk, by=principal(clerk), **options)


def task_of(case, code):
    from yijianshi.cases.models import Task

    return Task.objects.get(case=case, item_code=code)


def approve(case, code, approver, **options):
    from yijianshi.cases.approval import task_decide

    return task_decide(
        task_id=task_of(case, code).pk, by=principal(approver), role="approver", decision="approve",
        opinion="同意", **options,
    )  # fmt: skip
