import pytest

from yijianshi.accounts.tests.factories import PersonFactory, city

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_staff):
    admin = make_staff("system_admin", region=city(), is_superuser=True, is_staff=True)
    client.force_login(admin)
    return client


def test_applicant_lists_mask_personal_identifiers(admin_client):
    applicant = PersonFactory(name="张大山")
    page = admin_client.get("/admin/accounts/applicant/").content.decode()
    assert applicant.id_number not in page
    assert applicant.masked_id_number in page
    assert "张*山" in page


def test_api_clients_get_a_token_shown_once_from_admin(admin_client):
    from yijianshi.accounts.tests.factories import ApiClientFactory

    api_client = ApiClientFactory()
    response = admin_client.post(
        "/admin/accounts/apiclient/",
        {"action": "issue_token", "_selected_action": [api_client.pk]},
        follow=True,
    )
    assert "yjs_" in response.content.decode()
    assert api_client.tokens.count() == 1
