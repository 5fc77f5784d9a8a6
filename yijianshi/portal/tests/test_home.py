"""The home page's popular services and notices (通知公告)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yijianshi.catalog.models import Announcement
from yijianshi.catalog.tests.conftest import demo_catalog  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_catalog")]


def test_home_offers_popular_services_and_current_notices(client):
    now = timezone.now()
    Announcement.objects.create(title="元旦假期窗口安排", body="1月1日休息。\n网上办事照常。", pinned=True)
    Announcement.objects.create(title="新增一件事：开办餐饮店", body="……", published_at=now - timedelta(days=3))
    Announcement.objects.create(title="已下线的通知", body="……", expires_at=now - timedelta(minutes=1))
    Announcement.objects.create(title="明天才发布", body="……", published_at=now + timedelta(days=1))
    page = client.get("/").content.decode()
    assert "热门服务" in page and "/life-events/LE-NEWBORN/" in page
    assert page.index("元旦假期窗口安排") < page.index("新增一件事：开办餐饮店")  # pinned first
    assert "已下线的通知" not in page and "明天才发布" not in page
    assert 'role="combobox"' in page and "/api/v1/search/suggest" in page


def test_a_notice_reads_on_its_own_page_and_gone_notices_are_404(client):
    shown = Announcement.objects.create(title="医保窗口调整", body="第一段。\n\n第二段。")
    gone = Announcement.objects.create(title="旧通知", body="……", expires_at=timezone.now() - timedelta(days=1))
    page = client.get(f"/notices/{shown.pk}/").content.decode()
    assert "<h1>医保窗口调整</h1>" in page and "<p>第二段。</p>" in page
    assert client.get(f"/notices/{gone.pk}/").status_code == 404
    listing = client.get("/notices/").content.decode()
    assert "医保窗口调整" in listing and "旧通知" not in listing
