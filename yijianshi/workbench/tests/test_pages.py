import pytest

from yijianshi.accounts.tests.factories import PASSWORD, DepartmentFactory, city

pytestmark = pytest.mark.django_db


def test_the_workbench_sends_visitors_to_log_in(client):
    response = client.get("/workbench/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/workbench/")


def test_the_workbench_is_not_for_applicants(client, person):
    client.force_login(person)
    response = client.get("/workbench/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_staff_land_on_the_workbench_and_see_their_posts(client, make_staff):
    department = DepartmentFactory(name="郑州市测试局")
    approver = make_staff("approver", department=department)
    response = client.post("/accounts/login/", {"username": approver.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/workbench/"
    page = response.content.decode()
    assert "部门审批人员" in page and "郑州市测试局" in page
    assert "部门审批" in page
    assert "综合窗口" not in page.split("我的岗位")[1]


def test_a_system_admin_is_offered_administration_that_works(client, make_staff):
    admin = make_staff("system_admin", region=city())
    client.force_login(admin)
    page = client.get("/workbench/").content.decode()
    assert "账户与权限" in page and 'href="/admin/"' in page
    admin_page = client.get("/admin/").content.decode()
    assert "账户与组织" in admin_page
    assert "/admin/accounts/department/" in admin_page
