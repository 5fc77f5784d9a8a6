"""The application page's script endpoints (autosave with the server's checks, upload as chosen) and the two pages
around submission: 核对 (everything in words, then 确认提交) and the receipt with the case number."""

import io

import pytest
from django.urls import reverse

from yijianshi.cases.models import Case, CaseEvent
from yijianshi.cases.tests.conftest import bundle, submit_case  # noqa: F401  (bundle is a fixture)
from yijianshi.files import formats
from yijianshi.files.models import StoredFile

pytestmark = pytest.mark.django_db


def pdf(name="材料.pdf"):
    stream = io.BytesIO(formats.sample("pdf"))
    stream.name = name
    return stream


@pytest.fixture
def draft(request, client, person):
    request.getfixturevalue("bundle")
    client.force_login(person)
    client.post(reverse("portal:apply", args=["NEWBORN"]))
    case = Case.objects.get()
    client.post(reverse("portal:my-case-edit", args=[case.pk]), {"action": "answers", "q-insure": "no"})
    return case


def autosave(client, case, data):
    response = client.post(reverse("portal:my-case-autosave", args=[case.pk]), data)
    assert response.status_code == 200
    return response.json()


def test_autosave_keeps_what_passes_reports_what_does_not_and_writes_only_changes(client, draft):
    page = {"q-insure": "no", "f-child-name": "张小宝", "f-birth-date": "2026-13-45", "delivery": "electronic"}
    answer = autosave(client, draft, page)
    assert answer["saved"] is True
    assert set(answer["errors"]) == {"f-birth-date"}  # named by the page's input, in the server's words
    draft.refresh_from_db()
    assert draft.form_data["child-name"] == "张小宝" and "birth-date" not in draft.form_data
    events = CaseEvent.objects.filter(case=draft).count()
    # The same page again: nothing new to write, the trail does not grow with keystrokes.
    assert autosave(client, draft, page)["saved"] is False
    assert CaseEvent.objects.filter(case=draft).count() == events
    page["f-birth-date"] = "2026-11-20"
    answer = autosave(client, draft, page)
    assert answer["saved"] is True and answer["errors"] == {}
    draft.refresh_from_db()
    assert draft.form_data["birth-date"] == "2026-11-20"


def test_autosave_and_upload_are_for_the_applicants_own_drafts_only(client, draft, other_person):
    client.force_login(other_person)
    assert client.post(reverse("portal:my-case-autosave", args=[draft.pk]), {"f-child-name": "x"}).status_code == 404
    assert client.post(reverse("portal:my-case-upload", args=[draft.pk]), {"m-id-card": pdf()}).status_code == 404
    draft.refresh_from_db()
    assert "child-name" not in draft.form_data


def test_a_file_uploads_as_soon_as_it_is_chosen_and_a_fake_one_is_refused_by_content(client, draft):
    url = reverse("portal:my-case-upload", args=[draft.pk])
    response = client.post(url, {"m-id-card": pdf("身份证.pdf")})
    assert response.status_code == 200
    [held] = response.json()["materials"]["m-id-card".removeprefix("m-")]
    assert held["name"] == "身份证.pdf" and held["format"] == "pdf"
    files = StoredFile.objects.count()
    fake = io.BytesIO(b"MZ\x90\x00 not a document")
    fake.name = "户口簿.pdf"
    response = client.post(url, {"m-hukou-book": fake})
    assert response.status_code == 422
    assert "请勿只修改扩展名" in response.json()["errors"]["m-hukou-book"]
    assert StoredFile.objects.count() == files  # nothing of the refused upload is kept
    assert client.post(url, {}).status_code == 422


def complete(client, case):
    edit = reverse("portal:my-case-edit", args=[case.pk])
    return client.post(
        edit,
        {
            "action": "review",
            "q-insure": "no",
            "f-applicant-name": "张三",
            "f-child-name": "张小宝",
            "f-birth-date": "2026-11-20",
            "f-address": "金水路 1 号",
            "m-id-card": pdf("身份证.pdf"),
            "m-delivery-record": pdf("分娩记录.pdf"),
            "m-hukou-book": pdf("户口簿.pdf"),
            "delivery": "mail",
            "address-recipient": "张三",
            "address-phone": "13800138000",
            "address-address": "郑州市金水路 1 号",
        },
    )


def test_review_shows_everything_in_words_then_submits_and_gives_a_receipt(client, draft):
    response = complete(client, draft)
    confirm = reverse("portal:my-case-confirm", args=[draft.pk])
    assert response.status_code == 302 and response["Location"] == confirm
    draft.refresh_from_db()
    assert draft.status == Case.Status.DRAFT  # not submitted yet
    page = client.get(confirm).content.decode()
    for words in ("请核对申请内容", "张小宝", "已上传：身份证.pdf", "邮寄送达", "郑州市金水路 1 号", "确认提交"):
        assert words in page, words
    response = client.post(confirm)
    assert response["Location"] == reverse("portal:my-case-receipt", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Case.Status.SUBMITTED
    receipt = client.get(response["Location"]).content.decode()
    assert "申请已提交" in receipt and draft.number in receipt
    # Submitted: the confirm page and the draft's endpoints step aside.
    assert client.get(confirm)["Location"] == reverse("portal:my-case", args=[draft.pk])
    assert client.post(reverse("portal:my-case-autosave", args=[draft.pk]), {}).status_code == 409


def test_review_of_an_incomplete_draft_lists_every_missing_part_on_the_form(client, draft):
    edit = reverse("portal:my-case-edit", args=[draft.pk])
    response = client.post(edit, {"action": "review", "q-insure": "no", "delivery": "electronic"})
    assert response.status_code == 200
    page = response.content.decode()
    for field in ("f-child-name-error", "m-id-card-error"):
        assert f'id="{field}"' in page
    # Arriving at the confirm page by address with an incomplete draft gives the same form with its problems.
    page = client.get(reverse("portal:my-case-confirm", args=[draft.pk])).content.decode()
    assert 'id="f-child-name-error"' in page and "确认提交" not in page


@pytest.mark.usefixtures("bundle")
def test_the_receipt_belongs_to_the_applicant(client, person, other_person):
    case = submit_case(person)
    client.force_login(other_person)
    assert client.get(reverse("portal:my-case-receipt", args=[case.pk])).status_code == 404
    client.force_login(person)
    assert case.number in client.get(reverse("portal:my-case-receipt", args=[case.pk])).content.decode()
