"""一人一档 and consent: attributes come from registration and accepted cases, prefill uses only what a consent in
force covers, consents can be withdrawn, and the API keeps each applicant to their own."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from yijianshi.accounts.selectors import principal_for_user
from yijianshi.accounts.tests.factories import DepartmentFactory, UserFactory
from yijianshi.core.errors import InvalidInput
from yijianshi.licenses import profiles
from yijianshi.licenses.models import Profile

pytestmark = pytest.mark.django_db
FORM = [
    {"key": "name", "prefill": "person.name"},
    {"key": "phone", "prefill": "person.phone"},
    {"key": "home", "prefill": "person.address"},
    {"key": "reason", "prefill": ""},
]


def post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", **headers)


def grant(user, **options):
    return profiles.consent_grant(applicant=user.applicant, by=principal_for_user(user), **options)


def test_registration_gives_identity_and_accepted_cases_the_rest(person):
    changed = profiles.profile_update_from_case(
        applicant=person.applicant, form=FORM,
        data={"name": "别人的名字", "phone": "13700000001", "home": "金水路 1 号", "reason": "x"}, case_number="N1",
    )  # fmt: skip
    assert sorted(changed) == ["person.address", "person.phone"]  # a form never rewrites who someone is
    values = profiles.profile_values(person.applicant)
    assert values["person.name"]["value"] == person.applicant.name
    assert values["person.phone"] == {
        "value": "13700000001", "source": "办件 N1", "updated_at": values["person.phone"]["updated_at"]
    }  # fmt: skip
    # The same values again change nothing.
    assert (
        profiles.profile_update_from_case(
            applicant=person.applicant, form=FORM, data={"phone": "13700000001"}, case_number="N2"
        )
        == []
    )


def test_prefill_uses_only_consented_attributes_while_the_consent_holds(person):
    Profile.objects.create(
        applicant=person.applicant, attributes={"person.address": {"value": "金水路 1 号", "source": "办件 N1"}}
    )
    assert profiles.prefill(person.applicant, FORM) == {}
    consent = grant(person, scope=["person.address"], days=30)
    assert {k: v["value"] for k, v in profiles.prefill(person.applicant, FORM).items()} == {"home": "金水路 1 号"}
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert profiles.prefill(person.applicant, FORM) == {}
    profiles.consent_withdraw(consent_id=consent.pk, by=principal_for_user(person))
    assert profiles.prefill(person.applicant, FORM) == {}


def test_a_consent_names_what_is_wrong_with_it_and_writes_nothing(person):
    with pytest.raises(InvalidInput) as error:
        grant(person, scope=["person.phone", "org.name"], days=5000, purpose="marketing")
    assert set(error.value.fields) == {"scope", "days", "purpose"}
    assert "org.name" in error.value.fields["scope"]
    assert not person.applicant.consents.exists()


def test_the_api_grants_lists_and_withdraws_ones_own_consents(client, auth, person, other_person):
    created = post(client, "/api/v1/me/consents", {"scope": ["person.phone"], "days": 90}, auth(person))
    assert created.status_code == 201
    consent = created.json()
    assert consent["scope_labels"] == ["联系电话"] and consent["active"] is True
    assert [c["id"] for c in client.get("/api/v1/me/consents", **auth(person)).json()] == [consent["id"]]
    assert client.get("/api/v1/me/consents", **auth(other_person)).json() == []
    url = f"/api/v1/me/consents/{consent['id']}/withdraw"
    assert post(client, url, {}, auth(other_person)).status_code == 404
    withdrawn = post(client, url, {}, auth(person))
    assert withdrawn.status_code == 200 and withdrawn.json()["active"] is False
    assert post(client, url, {}, auth(person)).json()["code"] == "consent_withdrawn"
    refused = post(client, "/api/v1/me/consents", {"scope": ["person.x"]}, auth(person))
    assert refused.status_code == 422 and "scope" in refused.json()["fields"]


def test_the_profile_api_shows_values_sources_and_consent(client, auth, person, make_staff):
    grant(person, scope=["person.phone"])
    body = client.get("/api/v1/me/profile", **auth(person)).json()
    rows = {row["key"]: row for row in body["attributes"]}
    assert rows["person.phone"]["value"] == person.applicant.phone and rows["person.phone"]["consented"] is True
    assert rows["person.address"]["value"] is None and rows["person.address"]["consented"] is False
    stranger = UserFactory()
    assert client.get(f"/api/v1/me/profile?applicant_id={stranger.applicant_id}", **auth(person)).status_code == 404
    staff = make_staff("approver", department=DepartmentFactory())
    assert client.get("/api/v1/me/profile", **auth(staff)).status_code == 404


def test_an_organisation_profile_keeps_organisation_attributes(db):
    company = UserFactory(organization=True)
    body = profiles.profile_view(company.applicant)
    rows = {row["key"]: row["value"] for row in body["attributes"]}
    assert rows["org.credit_code"] == company.applicant.id_number
    assert rows["org.legal_representative"] == "王法人"
    assert not any(key.startswith("person.") for key in rows)


@pytest.mark.parametrize("days", ["²", "-1", "abc", "99999999"])
def test_an_odd_consent_period_on_the_page_is_an_error_on_the_field(client, person, days):
    """Regression: a digit-like character such as "²" passed isdigit() and int() raised a 500."""
    client.force_login(person)
    response = client.post("/my/data/", {"action": "grant", "scope": ["person.phone"], "days": days})
    assert response.status_code == 422
    assert "授权期限" in response.content.decode()
    assert not person.applicant.consents.exists()
