"""The issue's journeys in Chromium, on the demo data, at phone and desktop width, one of them in 关怀版, with axe-core
on every page: find the life event by searching the way people speak, answer the situation one question at a time,
fill the one form (uploading with progress), check it, submit and get the receipt; answer the window's correction
notice; then, once the departments have decided, download the result and leave a review."""

import re

import pytest
from django.core.management import call_command

from yijianshi.accounts.models import User
from yijianshi.browser import screenshot
from yijianshi.cases.models import Case, Task
from yijianshi.conftest import bearer
from yijianshi.demo.accounts import DEMO_PASSWORD
from yijianshi.files import formats

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDER = """Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5)
  .map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40))"""
SAMPLE_VALUES = {"date": "2026-11-20", "tel": "13800000001", "email": "demo@example.com"}


@pytest.fixture
def demo():
    call_command("demo", verbosity=0)


def visit(page, accessible, name: str) -> None:
    """Every page on the way: nothing wider than the screen, no serious accessibility problem, a screenshot."""
    page.wait_for_load_state()
    # Nothing sideways: the elements sticking out are named when something does.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (name, page.evaluate(WIDER))
    accessible(page)
    screenshot(page, f"{name}-{page.width_name}")


def sign_in(page, username: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()


def answer_wizard(page, accessible, name: str, answers: list[str]) -> None:
    for number, label in enumerate(answers):
        page.get_by_text(re.compile(rf"第 {number + 1} 题，共 \d+ 题")).wait_for()
        if number == 0:
            visit(page, accessible, f"{name}-wizard")
        page.get_by_label(label, exact=True).check()
        page.get_by_role("button", name=re.compile("下一步|查看办事清单")).click()
    page.get_by_role("heading", name=re.compile("您的办事清单")).wait_for()


def fill_form(page, tmp_path, id_number: str, credit_code: str = "") -> None:
    """Type into every empty required field, and upload a file for every required material not spared."""
    for field in page.locator("form.application-form [aria-required=true]").all():
        if field.input_value():
            continue
        tag, kind = field.evaluate("e => e.tagName"), field.get_attribute("type")
        label = page.locator(f"label[for='{field.get_attribute('id')}']").inner_text()
        if tag == "SELECT":
            field.select_option(index=1)
        elif "身份证" in label or "公民身份号码" in label:
            field.fill(id_number)
        elif "信用代码" in label:
            field.fill(credit_code)
        elif field.get_attribute("inputmode") == "decimal":
            field.fill("100")
        else:
            field.fill(SAMPLE_VALUES.get(kind, "测试内容"))
    for checkbox in page.locator("form.application-form .field input[type=checkbox][name^='f-']").all():
        checkbox.check()
    pdf = tmp_path / "材料.pdf"
    pdf.write_bytes(formats.sample("pdf"))
    jpeg = tmp_path / "照片.jpg"
    jpeg.write_bytes(formats.sample("jpeg"))
    for zone in page.locator(".material-upload").all():
        required = zone.locator("label .required").count() > 0
        if not required or zone.locator(".substitute").count() or zone.locator(".file-list li").count():
            continue
        chooser = zone.locator("input[type=file]:not([capture])")
        chooser.set_input_files(str(pdf if "application/pdf" in chooser.get_attribute("accept") else jpeg))
        zone.get_by_text("已上传").wait_for()


def review_and_submit(page, accessible, name: str) -> Case:
    page.get_by_role("button", name="下一步：核对并提交").click()
    page.locator("h1:has-text('请核对申请内容'), #error-summary").first.wait_for()
    assert page.locator("#error-summary").count() == 0, page.locator("#error-summary").inner_text()
    visit(page, accessible, f"{name}-confirm")
    page.get_by_role("button", name="确认提交").click()
    page.get_by_role("heading", name="申请已提交").wait_for()
    number = page.locator(".case-number").inner_text()
    visit(page, accessible, f"{name}-receipt")
    return Case.objects.get(number=number)


def api(client, user, path, body=None):
    response = client.post(path, body or {}, content_type="application/json", **bearer(user))
    assert response.status_code in (200, 201), response.json()
    return response.json()


def approve_all(client, case) -> None:
    for _round in range(10):
        active = Task.objects.filter(case=case, status=Task.Status.ACTIVE).select_related("department")
        if not active:
            return
        for task in active:
            approver = User.objects.get(username=f"shenpi-{task.department.code.removeprefix('zz-')}")
            api(client, approver, f"/api/v1/tasks/{task.pk}/decide", {"decision": "approve", "opinion": "同意"})


def test_newborn_from_search_to_results_and_a_review(page, demo, accessible, client, tmp_path):
    zhangsan, clerk = User.objects.get(username="zhangsan"), User.objects.get(username="chuangkou")
    page.goto(page.base_url + "/")
    visit(page, accessible, "journey-home")
    page.get_by_role("combobox").fill("孩子出生")
    page.get_by_role("option", name=re.compile("新生儿出生")).first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/life-events/LE-NEWBORN/$"))
    assert "少交" in page.locator(".savings").inner_text()
    visit(page, accessible, "journey-newborn-guide")
    page.get_by_role("link", name="回答几个问题，看看要准备什么").click()
    answer_wizard(page, accessible, "journey-newborn", ["是", "否"])
    visit(page, accessible, "journey-newborn-checklist")
    page.get_by_role("link", name="登录后开始申请").click()
    sign_in(page, "zhangsan")
    page.get_by_role("heading", name=re.compile("您的办事清单")).wait_for()
    assert page.locator(".tag-ok", has_text="免提交").count() >= 1  # his 居民身份证 spares a copy
    page.get_by_role("button", name="按此清单开始申请").click()
    page.wait_for_url(re.compile(r".*/application/$"))
    visit(page, accessible, "journey-newborn-application")

    # Live check and autosave: a wrong date is named at once, a right one is saved without pressing anything.
    child = page.get_by_label(re.compile("子女姓名"))
    child.fill("张小宝")
    page.get_by_text(re.compile("草稿已自动保存")).wait_for()
    fill_form(page, tmp_path, zhangsan.applicant.id_number)
    visit(page, accessible, "journey-newborn-filled")
    case = review_and_submit(page, accessible, "journey-newborn")
    assert case.applicant == zhangsan.applicant and "张小宝" in case.form_data.values()

    # The window asks for one material again; he answers the notice on his phone.
    material = next(m for m in case.materials.all() if m.files.exists())
    api(
        client,
        clerk,
        f"/api/v1/cases/{case.pk}/request-correction",
        {"problems": [{"target": "material", "key": material.key, "message": "照片不清晰，请重新上传"}]},
    )
    page.get_by_role("link", name="查看办理进度").click()
    page.get_by_role("heading", name="一次性告知：请补正以下内容").wait_for()
    assert "照片不清晰" in page.locator("main").inner_text()
    visit(page, accessible, "journey-newborn-correction")
    pdf = tmp_path / "重新上传.pdf"
    pdf.write_bytes(formats.sample("pdf"))
    page.locator(f"input[type=file][name='m-{material.key}']:not([capture])").set_input_files(str(pdf))
    page.locator(".upload-row", has_text="重新上传.pdf").wait_for()  # previewed before sending
    page.get_by_role("button", name="提交补正").click()
    page.get_by_text("补正材料已提交").wait_for()

    api(client, clerk, f"/api/v1/cases/{case.pk}/accept", {"opinion": "材料齐全"})
    approve_all(client, case)
    case.refresh_from_db()
    assert case.status == Case.Status.COMPLETED

    # Results: the e-licenses are in 我的证照; he downloads one.
    page.goto(page.base_url + "/my/licenses/")
    visit(page, accessible, "journey-newborn-licenses")
    with page.expect_download() as download:
        page.locator("a", has_text=re.compile("PDF")).first.click()
    assert download.value.path().read_bytes().startswith(b"%PDF")

    # And rates the service.
    page.goto(page.base_url + f"/my/cases/{case.pk}/")
    page.get_by_label("非常满意").check()
    page.get_by_role("button", name=re.compile("提交评价")).click()
    page.get_by_text(re.compile("感谢您的评价")).wait_for()
    visit(page, accessible, "journey-newborn-reviewed")


def test_restaurant_in_care_mode_from_search_to_submitted(page, demo, accessible, tmp_path):
    hongtu = User.objects.get(username="hongtu")
    page.goto(page.base_url + "/")
    page.get_by_role("button", name="关怀版").click()
    page.wait_for_selector("html.care")
    page.get_by_role("combobox").fill("开饭店")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/search/\?q=.*"))
    visit(page, accessible, "journey-restaurant-search")
    page.get_by_role("link", name=re.compile("开办餐饮店")).first.click()
    page.get_by_role("link", name="回答几个问题，看看要准备什么").click()
    answer_wizard(page, accessible, "journey-restaurant", ["是", "否", "是"])
    # Change of mind on the way back: the checklist's 修改 returns to that question.
    page.get_by_role("link", name=re.compile("修改.*是否零售卷烟")).click()
    page.get_by_label("是", exact=True).check()
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="查看办事清单").click()
    visit(page, accessible, "journey-restaurant-checklist")
    assert "酒类" in page.locator("main").inner_text()
    page.get_by_role("link", name="登录后开始申请").click()
    sign_in(page, "hongtu")
    page.get_by_role("button", name="按此清单开始申请").click()
    page.wait_for_url(re.compile(r".*/application/$"))
    assert page.locator("html.care").count() == 1
    legal_representative = User.objects.get(username="lisi").applicant.id_number
    fill_form(page, tmp_path, legal_representative, hongtu.applicant.id_number)
    visit(page, accessible, "journey-restaurant-application")
    case = review_and_submit(page, accessible, "journey-restaurant")
    assert case.applicant == hongtu.applicant and case.status == Case.Status.SUBMITTED
    assert case.answers == {"sell-liquor": "yes", "sell-tobacco": "yes", "outdoor-sign": "yes"}
