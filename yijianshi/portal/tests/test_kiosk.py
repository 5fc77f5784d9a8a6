"""自助终端 (/kiosk/): sign-in by citizen ID and a one-time SMS code, the kiosk session and its idle end."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from yijianshi.accounts.models import LoginCode, User
from yijianshi.accounts.tests.factories import PersonFactory, UserFactory
from yijianshi.cases.models import Case, Channel
from yijianshi.cases.tests.conftest import newborn_catalog
from yijianshi.catalog.importer import catalog_import
from yijianshi.catalog.tests import builders
from yijianshi.demo import accounts
from yijianshi.demo import catalog as demo_catalog
from yijianshi.demo.identifiers import citizen_id
from yijianshi.notifications.sms import OutboxSmsGateway

pytestmark = pytest.mark.django_db

NEUTRAL = "如该身份证号已在本平台注册并预留了手机号码，验证码已发送至该手机"
UNREGISTERED_ID = citizen_id("410105", "19850612", 421)


@pytest.fixture
def kiosk(client, monkeypatch, django_capture_on_commit_callbacks):
    """A terminal: `ask(id)` posts an ID and runs the queued SMS jobs, `codes()` reads the codes sent, `enter(code)`
    posts one."""
    # A consumer closes stale connections around each job; here the job shares the test's transaction.
    monkeypatch.setattr("huey.contrib.djhuey.close_old_connections", lambda: None)
    HUEY.flush()
    OutboxSmsGateway.outbox.clear()
    return Kiosk(client, django_capture_on_commit_callbacks)


class Kiosk:
    def __init__(self, client, capture):
        self.client = client
        self.capture = capture

    def _sending(self, path, data):
        with self.capture(execute=True):
            response = self.client.post(path, data)
        while (job := HUEY.dequeue()) is not None:
            HUEY.execute(job)
        return response

    def ask(self, citizen_id_typed):
        return self._sending("/kiosk/", {"citizen_id": citizen_id_typed})

    def resend(self):
        return self._sending("/kiosk/code/", {"action": "resend"})

    def enter(self, code):
        return self.client.post("/kiosk/code/", {"code": code})

    @staticmethod
    def sms():
        return list(OutboxSmsGateway.outbox)

    def last_code(self) -> str:
        return re.search(r"验证码 (\d{6})", self.sms()[-1][1]).group(1)

    def signed_in_as(self):
        return self.client.session.get("_auth_user_id")


@pytest.fixture
def applicant(db):
    user = UserFactory()
    user.phone = "13800138000"
    user.save()
    return user


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_the_code_in_the_sms_signs_the_applicant_in_for_a_kiosk_session(kiosk, applicant, settings):
    settings.YJS_KIOSK_IDLE_SECONDS = 90
    response = kiosk.ask(applicant.applicant.id_number)
    assert response.status_code == 302 and response["Location"] == "/kiosk/code/"
    [(phone, text)] = kiosk.sms()
    assert phone == "13800138000"
    assert "自助终端登录" in text and "5 分钟内有效" in text

    response = kiosk.enter(kiosk.last_code())
    assert response.status_code == 302 and response["Location"] == "/kiosk/home/"
    assert kiosk.signed_in_as() == str(applicant.pk)
    assert kiosk.client.session["kiosk"] is True
    assert kiosk.client.session.get_expiry_age() == 90
    assert response.cookies["sessionid"]["max-age"] == 90
    home = kiosk.client.get("/kiosk/home/").content.decode()
    for tile in ("办事", "我的办件", "我的证照", "退出"):
        assert tile in home
    assert 'href="/my/cases/"' in home and 'href="/my/licenses/"' in home


def test_only_a_digest_of_the_id_and_of_the_code_is_stored(kiosk, applicant):
    kiosk.ask(applicant.applicant.id_number)
    stored = LoginCode.objects.get()
    assert applicant.applicant.id_number not in (stored.id_digest, stored.code_digest)
    assert kiosk.last_code() not in stored.code_digest
    assert len(stored.code_digest) == 64


def test_a_full_width_id_with_a_small_x_is_understood(kiosk, db):
    number = next(n for s in range(1000) if (n := citizen_id("410105", "19900307", s)).endswith("X"))
    UserFactory(applicant=PersonFactory(id_number=number, phone="13900000001"))
    typed = number[:-1].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "x"
    assert kiosk.ask(typed).status_code == 302
    assert [phone for phone, _text in kiosk.sms()] == ["13900000001"]  # the applicant's phone when the account has none


def test_a_wrong_code_is_refused_and_says_how_many_tries_are_left(kiosk, applicant):
    kiosk.ask(applicant.applicant.id_number)
    response = kiosk.enter(wrong(kiosk.last_code()))
    assert response.status_code == 422
    page = response.content.decode()
    assert "验证码不正确" in page and "还可尝试 4 次" in page
    assert 'aria-invalid="true"' in page
    assert kiosk.signed_in_as() is None


def test_the_sixth_try_finds_the_code_spent_even_when_right(kiosk, applicant):
    kiosk.ask(applicant.applicant.id_number)
    code = kiosk.last_code()
    for _try in range(5):
        assert kiosk.enter(wrong(code)).status_code == 422
    response = kiosk.enter(code)
    assert response.status_code == 422
    assert "验证码错误次数过多，已失效" in response.content.decode()
    assert kiosk.signed_in_as() is None
    assert LoginCode.objects.get().failed_attempts == 5


def test_the_fifth_wrong_try_says_the_code_is_spent(kiosk, applicant):
    kiosk.ask(applicant.applicant.id_number)
    code = kiosk.last_code()
    for _try in range(4):
        kiosk.enter(wrong(code))
    assert "错误次数已达上限，该验证码已失效" in kiosk.enter(wrong(code)).content.decode()


def test_an_expired_code_is_refused(kiosk, applicant, settings):
    kiosk.ask(applicant.applicant.id_number)
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.YJS_LOGIN_CODE_TTL_SECONDS + 1)):
        response = kiosk.enter(kiosk.last_code())
    assert response.status_code == 422
    assert "验证码已过期" in response.content.decode()
    assert kiosk.signed_in_as() is None


def test_a_used_code_is_refused_at_another_terminal(kiosk, applicant):
    kiosk.ask(applicant.applicant.id_number)
    code = kiosk.last_code()
    kiosk.enter(code)
    assert kiosk.signed_in_as() == str(applicant.pk)

    other = Kiosk(Client(), kiosk.capture)
    assert other.ask(applicant.applicant.id_number).status_code == 429  # no new code so soon, the old one stands
    response = other.enter(code)
    assert response.status_code == 422
    assert "该验证码已使用过" in response.content.decode()
    assert other.signed_in_as() is None


def test_a_new_code_waits_a_minute_and_at_most_five_go_out_an_hour(kiosk, applicant, settings):
    kiosk.ask(applicant.applicant.id_number)
    response = kiosk.resend()
    assert response.status_code == 429
    assert 55 <= int(response["Retry-After"]) <= 60
    assert re.search(r"获取验证码过于频繁，请 \d+ 秒后再试", response.content.decode())
    assert len(kiosk.sms()) == 1

    now = timezone.now()
    for minute in range(1, 5):
        with time_machine.travel(now + timedelta(seconds=61 * minute)):
            assert kiosk.resend().status_code == 302
    assert len(kiosk.sms()) == settings.YJS_LOGIN_CODE_SENDS_PER_HOUR
    with time_machine.travel(now + timedelta(seconds=61 * 5)):
        response = kiosk.resend()
    assert response.status_code == 429
    assert re.search(r"获取验证码次数过多，请 5\d 分钟后再试", response.content.decode())
    assert len(kiosk.sms()) == 5


def test_only_the_newest_code_counts(kiosk, applicant):
    kiosk.ask(applicant.applicant.id_number)
    first = kiosk.last_code()
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        kiosk.resend()
        newest = kiosk.last_code()
        if first != newest:
            assert kiosk.enter(first).status_code == 422
        assert kiosk.enter(newest).status_code == 302
    assert kiosk.signed_in_as() == str(applicant.pk)


def test_an_unregistered_id_gets_the_same_answers_and_no_sms(kiosk, applicant):
    known = kiosk.ask(applicant.applicant.id_number)
    other = Kiosk(Client(), kiosk.capture)
    unknown = other.ask(UNREGISTERED_ID)
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert len(kiosk.sms()) == 1  # the registered one's only

    known_page = kiosk.client.get("/kiosk/code/").content.decode()
    unknown_page = other.client.get("/kiosk/code/").content.decode()
    assert NEUTRAL in known_page
    assert "138" not in known_page  # no phone, not even masked
    # The pages differ only in the masked ID shown and the CSRF tokens.
    varying = re.compile(r'\d{6}\*{8}\d{3}[\dX]|name="csrfmiddlewaretoken" value="\w+"')
    assert varying.sub("", known_page) == varying.sub("", unknown_page)

    assert other.resend().status_code == kiosk.resend().status_code == 429  # throttled alike
    assert other.enter("123456").content.decode().count("验证码不正确") == 1


def test_a_bad_checksum_is_an_error_naming_the_id_field(kiosk, applicant):
    good = applicant.applicant.id_number
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = kiosk.ask(bad)
    assert response.status_code == 422
    page = response.content.decode()
    assert "居民身份证号有误" in page and "校验位不正确" in page
    assert f'value="{bad}"' in page  # kept, to correct one digit
    assert kiosk.sms() == [] and not LoginCode.objects.exists()
    assert "请输入居民身份证号" in kiosk.ask("").content.decode()


@pytest.mark.parametrize("change", ["staff", "inactive"])
def test_only_an_active_applicant_account_signs_in(kiosk, applicant, change):
    if change == "staff":
        User.objects.filter(pk=applicant.pk).update(kind=User.Kind.STAFF)
    else:
        User.objects.filter(pk=applicant.pk).update(is_active=False)
    response = kiosk.ask(applicant.applicant.id_number)
    assert response["Location"] == "/kiosk/code/"  # the same answer as for anyone
    assert kiosk.sms() == []
    assert kiosk.signed_in_as() is None


def test_an_account_that_became_staff_after_the_code_went_out_is_not_signed_in(kiosk, applicant):
    kiosk.ask(applicant.applicant.id_number)
    User.objects.filter(pk=applicant.pk).update(kind=User.Kind.STAFF)
    assert kiosk.enter(kiosk.last_code()).status_code == 422
    assert kiosk.signed_in_as() is None


def test_staff_signed_in_elsewhere_find_no_kiosk_home(client, make_staff, test_city):
    staff = make_staff("window_clerk", region=test_city)
    client.force_login(staff)
    assert client.get("/kiosk/home/").status_code == 403


def signed_in(kiosk, applicant):
    kiosk.ask(applicant.applicant.id_number)
    kiosk.enter(kiosk.last_code())
    assert kiosk.signed_in_as() == str(applicant.pk)


def test_kiosk_logout_returns_to_the_kiosk(kiosk, applicant):
    signed_in(kiosk, applicant)
    cases = kiosk.client.get("/my/cases/").content.decode()
    assert 'action="/kiosk/logout/"' in cases and 'action="/accounts/logout/"' not in cases
    response = kiosk.client.post("/kiosk/logout/", follow=True)
    assert response.redirect_chain == [("/kiosk/", 302)]
    assert "已安全退出" in response.content.decode()
    assert kiosk.signed_in_as() is None
    assert kiosk.client.get("/kiosk/logout/").status_code == 405


def test_the_idle_sign_out_says_why(kiosk, applicant):
    signed_in(kiosk, applicant)
    response = kiosk.client.post("/kiosk/logout/", {"reason": "idle"}, follow=True)
    assert response.redirect_chain == [("/kiosk/", 302)]
    assert "因长时间无操作，已自动退出" in response.content.decode()


def test_the_session_ends_after_the_idle_time_and_each_page_renews_it(kiosk, applicant, settings):
    settings.YJS_KIOSK_IDLE_SECONDS = 120
    signed_in(kiosk, applicant)
    start = timezone.now()
    with time_machine.travel(start + timedelta(seconds=100)):
        assert kiosk.client.get("/my/cases/").status_code == 200
    with time_machine.travel(start + timedelta(seconds=200)):
        assert kiosk.client.get("/kiosk/alive/").status_code == 204  # 100 s after the last page: still there
    with time_machine.travel(start + timedelta(seconds=321)):
        assert kiosk.client.get("/kiosk/alive/").status_code == 401
        response = kiosk.client.get("/kiosk/home/")
        assert response.status_code == 302 and response["Location"] == "/kiosk/"


def test_kiosk_pages_and_sessions_load_the_kiosk_script_and_others_do_not(kiosk, applicant):
    plain = Client()
    assert "core/kiosk.js" not in plain.get("/").content.decode()
    plain.force_login(applicant)
    normal = plain.get("/my/cases/").content.decode()
    assert "core/kiosk.js" not in normal and "core/kiosk.css" not in normal

    signin = kiosk.client.get("/kiosk/").content.decode()
    assert "core/kiosk.js" in signin and "core/kiosk.css" in signin
    assert re.search(r'<body class="[^"]*\bkiosk\b', signin)
    assert 'data-armed="0"' in signin and 'inputmode="numeric"' in signin
    assert "用户名" not in signin and 'type="password"' not in signin
    signed_in(kiosk, applicant)
    cases = kiosk.client.get("/my/cases/").content.decode()
    assert "core/kiosk.js" in cases and 'data-session="1"' in cases and 'data-armed="1"' in cases
    assert "秒后自动退出" in cases


def test_a_kiosk_session_goes_straight_home_from_the_sign_in(kiosk, applicant):
    signed_in(kiosk, applicant)
    assert kiosk.client.get("/kiosk/")["Location"] == "/kiosk/home/"
    assert kiosk.client.get("/kiosk/code/")["Location"] == "/kiosk/"


def test_care_mode_works_on_the_kiosk(client):
    client.post("/care-mode/", {"next": "/kiosk/"})
    page = client.get("/kiosk/").content.decode()
    assert '<html lang="zh-Hans" class="care">' in page and "core/kiosk.css" in page


def test_the_kiosk_lists_the_life_events_as_tiles(client, db):
    regions = accounts.load_regions()
    accounts.load_departments(regions[accounts.CITY])
    demo_catalog.load()
    page = client.get("/kiosk/events/").content.decode()
    assert "个人办事" in page and "企业办事" in page
    assert re.search(
        r'<a class="kiosk-event" href="/life-events/LE-NEWBORN/"><span class="kiosk-event-name">新生儿出生', page
    )


def test_an_application_started_at_a_kiosk_records_the_kiosk_channel(kiosk, applicant):
    catalog_import(text=builders.as_yaml(newborn_catalog()))
    signed_in(kiosk, applicant)
    kiosk.client.post("/life-events/NEWBORN/apply/")
    assert Case.objects.get(applicant=applicant.applicant).channel == Channel.KIOSK
