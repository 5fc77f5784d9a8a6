"""免提交: a license the applicant holds stands in for the material that names its type, verified, sealed into the
trail, shown to the approver as verified, and each read by a department lands in the holder's data-access list."""

import pytest

from yijianshi.accounts.principal import ANONYMOUS
from yijianshi.cases.catalog_target import target_live
from yijianshi.cases.editor import editor_context
from yijianshi.cases.events import chain_problems
from yijianshi.cases.models import CaseMaterial
from yijianshi.cases.submission import case_create, case_update_draft
from yijianshi.cases.tests.conftest import (
    BIRTH_CERT,
    accept_case,
    approve,
    principal,
    submit_case,
    upload,
)
from yijianshi.catalog.personal import plan_personalize
from yijianshi.core.errors import InvalidInput
from yijianshi.licenses.models import DataAccess, License
from yijianshi.licenses.profiles import consent_grant
from yijianshi.licenses.services import license_status_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def birth_cert(person, clerk, approvers):
    """The applicant's 出生医学证明, issued by approving the BIRTH task of a first case."""
    first = submit_case(person)
    accept_case(first, clerk)
    approve(first, "BIRTH", approvers["wjw"])
    return License.objects.get(license_type__code=BIRTH_CERT)


def hukou_case(user, **materials):
    """A single-item 出生登记 (HUKOU) case: it asks for the birth certificate, which the applicant may not upload."""
    given = {"id-card": [str(upload(user, "jpeg").pk)], "hukou-book": [str(upload(user).pk)], **materials}
    case, _created = case_create(
        by=principal(user), applicant=user.applicant, item="HUKOU",
        form={"child-name": "张小宝", "address": "金水路 1 号"}, materials=given,
    )  # fmt: skip
    return case


def test_a_held_license_is_attached_instead_of_an_upload(person, birth_cert):
    case = hukou_case(person)
    material = CaseMaterial.objects.get(case=case, key="birth-cert")
    assert (material.kind, material.license_identifier) == (CaseMaterial.Kind.LICENSE, birth_cert.identifier)
    assert not material.files.exists()
    # The reference is sealed with the rest of the submission: the trail checks out, and changing it breaks it.
    assert list(chain_problems(case_numbers=[case.number])) == []
    CaseMaterial.objects.filter(pk=material.pk).update(license_identifier="1.2.156.3005.2.x")
    assert [p.link.reason for p in chain_problems(case_numbers=[case.number])] == ["materials"]


def test_without_a_license_the_material_must_be_uploaded(person, bundle):
    with pytest.raises(InvalidInput) as error:
        hukou_case(person)
    assert error.value.fields == {"materials.birth-cert": "请提交：出生医学证明"}


def test_an_upload_the_applicant_makes_anyway_wins(person, birth_cert):
    case = hukou_case(person, **{"birth-cert": [str(upload(person).pk)]})
    material = CaseMaterial.objects.get(case=case, key="birth-cert")
    assert (material.kind, material.license_identifier, material.files.count()) == ("files", "", 1)


def test_a_revoked_or_someone_elses_license_stands_in_for_nothing(person, other_person, birth_cert, approvers):
    license_status_change(license_id=birth_cert.pk, status="03", reason="信息有误", by=principal(approvers["wjw"]))
    with pytest.raises(InvalidInput):
        hukou_case(person)
    License.objects.filter(pk=birth_cert.pk).update(status="01", holder=other_person.applicant)
    with pytest.raises(InvalidInput):
        hukou_case(person)


def test_the_approver_sees_the_license_verified_and_the_holder_sees_that_departments_read(
    client, auth, person, birth_cert, clerk, approvers, bundle
):
    case = hukou_case(person)
    accept_case(case, clerk)
    body = client.get(f"/api/v1/cases/{case.pk}", **auth(approvers["gaj"])).json()
    ref = next(m for m in body["materials"] if m["key"] == "birth-cert")
    assert ref["kind"] == "license" and ref["files"] == []
    assert ref["license"]["result"] == "valid" and ref["license"]["identifier"] == birth_cert.identifier
    assert {row["label"]: row["value"] for row in ref["license"]["license"]["data"]}["新生儿姓名"] == "张小宝"

    client.get(f"/api/v1/cases/{case.pk}", **auth(approvers["gaj"]))  # a reload is the same read
    client.get(f"/api/v1/cases/{case.pk}", **auth(person))  # the holder's own read is not recorded
    record = DataAccess.objects.get()
    assert (record.department, record.accessor, record.case_number) == (bundle["gaj"], approvers["gaj"], case.number)

    trail = client.get("/api/v1/me/data-access", **auth(person)).json()
    assert trail["count"] == 1
    row = trail["items"][0]
    assert row["department"] == "郑州市公安局" and row["case_number"] == case.number
    assert row["license_identifier"] == birth_cert.identifier and "新生儿姓名" in row["fields"]
    assert "出生医学证明" in row["purpose"]


def test_a_license_revoked_after_submission_shows_as_revoked_to_the_approver(
    client, auth, person, birth_cert, clerk, approvers
):
    case = hukou_case(person)
    accept_case(case, clerk)
    license_status_change(license_id=birth_cert.pk, status="03", reason="信息有误", by=principal(approvers["wjw"]))
    body = client.get(f"/api/v1/cases/{case.pk}", **auth(approvers["gaj"])).json()
    ref = next(m for m in body["materials"] if m["key"] == "birth-cert")["license"]
    assert ref["result"] == "revoked" and "信息有误" in ref["reason"]


def test_the_plan_marks_held_licenses_and_counts_them_for_the_signed_in_applicant(person, other_person, birth_cert):
    plan = target_live(life_event=None, item="HUKOU").plan({})
    mine = plan_personalize(plan, principal(person))
    marked = {m["key"]: m["substitute"] for m in mine["materials"]}
    assert marked["birth-cert"]["identifier"] == birth_cert.identifier and marked["hukou-book"] is None
    counted = mine["reductions"]["materials"]
    assert (counted["substituted"], counted["after"]) == (1, plan["reductions"]["materials"]["after"] - 1)
    theirs = plan_personalize(plan, principal(other_person))
    assert theirs["reductions"]["materials"]["substituted"] == 0
    assert plan_personalize(plan, ANONYMOUS) is plan  # anonymous callers get the catalog's plan as it is


def test_the_plan_api_personalises_for_a_signed_in_applicant_only(client, auth, person, bundle):
    url, body = "/api/v1/life-events/NEWBORN/plan", {"answers": {"insure": "no"}}
    anonymous = client.post(url, body, content_type="application/json").json()
    assert "substituted" in anonymous["reductions"]["materials"]
    assert all(f["prefilled"] is None for f in anonymous["form"])
    consent_grant(applicant=person.applicant, by=principal(person), scope=["person.name"])
    signed_in = client.post(url, body, content_type="application/json", **auth(person)).json()
    prefilled = {f["key"]: f["prefilled"] for f in signed_in["form"] if f["prefilled"]}
    assert prefilled == {
        "applicant-name": {"value": person.applicant.name, "attribute": "person.name", "source": "实名注册信息"}
    }


def test_downloading_a_file_of_the_case_records_no_read_of_its_licenses(client, auth, person, birth_cert, clerk):
    """Regression: serving a file rebuilt the case view, which recorded a read of every referenced license."""
    case = hukou_case(person)
    photo = CaseMaterial.objects.get(case=case, key="id-card").files.get()
    response = client.get(f"/api/v1/cases/{case.pk}/files/{photo.pk}", **auth(clerk))
    assert response.status_code == 200
    assert not DataAccess.objects.exists()


def test_a_window_draft_is_not_prefilled_from_the_walk_ins_profile(person, clerk, birth_cert):
    """Regression: the window's application page showed a walk-in's consented profile values to the clerk."""
    consent_grant(applicant=person.applicant, by=principal(person), scope=["person.name"])
    online, _created = case_create(by=principal(person), applicant=person.applicant, life_event="NEWBORN", submit=False)
    window, _created = case_create(
        by=principal(clerk), applicant=person.applicant, life_event="NEWBORN", channel="window", submit=False,
        answers={"insure": "no"},
    )  # fmt: skip
    online = case_update_draft(case_id=online.pk, by=principal(person), answers={"insure": "no"})
    shown = {f["key"]: f["value"] for f in editor_context(online)["fields"]}
    assert shown["applicant-name"] == person.applicant.name
    shown = {f["key"]: f["value"] for f in editor_context(window)["fields"]}
    assert shown["applicant-name"] is None
