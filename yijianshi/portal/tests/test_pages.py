import pytest

from yijianshi.core.care_mode import CARE_MODE_COOKIE

pytestmark = pytest.mark.django_db


def test_the_portal_home_is_in_chinese(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-Hans"' in page
    assert "高效办成一件事" in page
    assert "个人办事" in page and "企业办事" in page


def test_care_mode_is_switched_on_remembered_and_switched_off(client):
    response = client.post("/care-mode/", {"next": "/"})
    assert response.status_code == 302
    assert response.cookies[CARE_MODE_COOKIE].value == "1"
    page = client.get("/").content.decode()
    assert '<html lang="zh-Hans" class="care">' in page
    assert "退出关怀版" in page
    client.post("/care-mode/", {"next": "/"})
    assert 'class="care"' not in client.get("/").content.decode()


def test_care_mode_does_not_redirect_off_site(client):
    response = client.post("/care-mode/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_unknown_pages_get_a_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_an_applicant_logs_in_and_lands_on_the_portal(client, person):
    from yijianshi.accounts.tests.factories import PASSWORD

    response = client.post("/accounts/login/", {"username": person.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert person.name in response.content.decode()
