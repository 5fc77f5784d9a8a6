"""The 自助终端 in Chromium at phone and desktop width: keypad sign-in with the SMS code, the tiles, the idle
sign-out; axe-core on every state."""

import re

import pytest
from huey.contrib.djhuey import HUEY

from yijianshi.accounts.tests.factories import UserFactory
from yijianshi.browser import screenshot
from yijianshi.demo import accounts
from yijianshi.demo import catalog as demo_catalog
from yijianshi.notifications.sms import OutboxSmsGateway

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def applicant(db):
    user = UserFactory(name="王小明")
    user.phone = "13800138000"
    user.save()
    return user


@pytest.fixture
def sms_code(monkeypatch):
    """`sms_code()` runs the SMS jobs the live server queued (same process, same Huey) and returns the last code."""
    monkeypatch.setattr("huey.contrib.djhuey.close_old_connections", lambda: None)
    HUEY.flush()
    OutboxSmsGateway.outbox.clear()

    def read() -> str:
        while (job := HUEY.dequeue()) is not None:
            HUEY.execute(job)
        phone, text = OutboxSmsGateway.outbox[-1]
        assert phone == "13800138000"
        return re.search(r"验证码 (\d{6})", text).group(1)

    yield read
    HUEY.flush()


def key(page, name):
    return page.get_by_role("group", name="屏幕数字键盘").get_by_role("button", name=name, exact=True)


def tap(page, digits: str) -> None:
    for digit in digits:
        key(page, digit).click()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def sign_in(page, applicant, sms_code) -> None:
    page.goto(page.base_url + "/kiosk/")
    tap(page, applicant.applicant.id_number)
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_url(page.base_url + "/kiosk/code/")
    tap(page, sms_code())
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(page.base_url + "/kiosk/home/")


def test_sign_in_on_the_keypad_with_the_sms_code_and_find_the_tiles(page, applicant, sms_code, accessible):
    citizen_id = applicant.applicant.id_number
    page.goto(page.base_url + "/kiosk/")
    field = page.get_by_label("居民身份证号", exact=True)
    assert field.get_attribute("inputmode") == "numeric"
    assert page.get_by_label("用户名").count() == 0 and page.locator("input[type=password]").count() == 0
    box = key(page, "5").bounding_box()
    assert box["height"] >= 64 and box["width"] >= 64
    assert fits(page)
    accessible(page)
    screenshot(page, f"kiosk-signin-{page.width_name}")

    tap(page, citizen_id[:10] + "9")
    key(page, "删除").click()
    assert field.input_value() == citizen_id[:10]
    # A physical keyboard: on a key of the keypad, then in the field itself.
    key(page, "0").focus()
    page.keyboard.type(citizen_id[10:14])
    field.focus()
    page.keyboard.type(citizen_id[14:])
    assert field.input_value() == citizen_id
    assert "已输入 18 / 18 位" in page.locator(".keypad-count").inner_text()

    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_url(page.base_url + "/kiosk/code/")
    assert "验证码已发送至该手机" in page.locator("main").inner_text()
    assert "138" not in page.locator("main").inner_text()
    accessible(page)
    screenshot(page, f"kiosk-code-{page.width_name}")

    code = sms_code()
    tap(page, f"{(int(code) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="登录", exact=True).click()
    assert "验证码不正确" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("短信验证码", exact=True).get_attribute("aria-invalid") == "true"
    accessible(page)
    screenshot(page, f"kiosk-code-wrong-{page.width_name}")

    tap(page, code)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(page.base_url + "/kiosk/home/")
    main = page.locator("main")
    tiles = {
        "办事": main.get_by_role("link", name=re.compile("^办事 ")),
        "我的办件": main.get_by_role("link", name=re.compile("^我的办件 ")),
        "我的证照": main.get_by_role("link", name=re.compile("^我的证照 ")),
        "退出": main.get_by_role("button", name=re.compile("^退出 ")),
    }
    for tile in tiles.values():
        assert tile.bounding_box()["height"] >= 64
    assert "秒后自动退出" in page.get_by_role("complementary", name="自助终端").inner_text()
    assert fits(page)
    accessible(page)
    screenshot(page, f"kiosk-home-{page.width_name}")

    tiles["我的办件"].click()
    page.wait_for_url(page.base_url + "/my/cases/")
    assert page.locator("body.kiosk").count() == 1
    assert fits(page)
    accessible(page)
    screenshot(page, f"kiosk-my-cases-{page.width_name}")
    page.get_by_role("link", name="自助终端首页").click()
    page.wait_for_url(page.base_url + "/kiosk/home/")
    tiles["退出"].click()
    page.wait_for_url(page.base_url + "/kiosk/")
    assert "已安全退出" in page.locator("main").inner_text()


def test_the_life_events_as_big_tiles_in_care_mode(page, applicant, sms_code, accessible):
    regions = accounts.load_regions()
    accounts.load_departments(regions[accounts.CITY])
    demo_catalog.load()
    sign_in(page, applicant, sms_code)
    page.get_by_role("button", name="关怀版").click()
    page.wait_for_selector("html.care")
    accessible(page)
    screenshot(page, f"kiosk-home-care-{page.width_name}")
    page.locator("main").get_by_role("link", name=re.compile("^办事 ")).click()
    page.wait_for_url(page.base_url + "/kiosk/events/")
    newborn = page.get_by_role("link", name=re.compile("^新生儿出生"))
    assert newborn.bounding_box()["height"] >= 64
    assert fits(page)
    accessible(page)
    screenshot(page, f"kiosk-events-care-{page.width_name}")
    newborn.click()
    page.wait_for_url(page.base_url + "/life-events/LE-NEWBORN/")
    assert page.locator("html.care body.kiosk").count() == 1
    assert fits(page)


def test_an_idle_kiosk_warns_then_signs_out(page, applicant, sms_code, settings, accessible):
    settings.YJS_KIOSK_IDLE_SECONDS = 6  # the warning comes after 3 s
    sign_in(page, applicant, sms_code)
    page.locator("main").get_by_role("link", name=re.compile("^我的办件 ")).click()
    page.wait_for_url(page.base_url + "/my/cases/")
    warning = page.get_by_role("alertdialog")
    warning.wait_for(state="visible", timeout=8_000)
    assert "即将自动退出，点击任意位置继续" in warning.inner_text()
    assert page.evaluate("document.activeElement.textContent.trim()") == "继续使用"
    accessible(page)
    screenshot(page, f"kiosk-warning-{page.width_name}")

    page.mouse.click(5, 5)  # anywhere continues, and does nothing else
    warning.wait_for(state="hidden")
    assert page.url == page.base_url + "/my/cases/"

    page.wait_for_url(page.base_url + "/kiosk/", timeout=15_000)
    assert "因长时间无操作，已自动退出" in page.locator("main").inner_text()
    # Back does not show the previous person's page again.
    page.go_back()
    page.wait_for_load_state()
    assert applicant.name not in page.content()
