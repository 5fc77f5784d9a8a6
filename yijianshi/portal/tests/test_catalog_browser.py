"""The public catalog pages in Chromium at phone and desktop width, checked by axe-core."""

import re

import pytest

from yijianshi.browser import screenshot
from yijianshi.demo import accounts
from yijianshi.demo import catalog as demo_catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalog_loaded():
    regions = accounts.load_regions()
    accounts.load_departments(regions[accounts.CITY])
    demo_catalog.load()


def test_search_as_people_speak_then_read_the_guide(page, catalog_loaded, accessible):
    page.goto(page.base_url + "/")
    accessible(page)
    page.get_by_label("搜索事项或一件事").fill("生孩子")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/search/\?q=.*"))
    accessible(page)
    screenshot(page, f"search-{page.width_name}")
    page.get_by_role("link", name=re.compile("新生儿出生")).first.click()
    page.wait_for_url(re.compile(r".*/life-events/LE-NEWBORN/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("新生儿出生")
    # The flow chart may scroll sideways inside its box; the page itself never does.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    accessible(page)
    screenshot(page, f"life-event-guide-{page.width_name}")


def test_the_joint_form_page(page, catalog_loaded, accessible):
    page.goto(page.base_url + "/life-events/LE-RESTAURANT/form/")
    assert "联办申请表" in page.get_by_role("heading", level=1).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    accessible(page)
    screenshot(page, f"joint-form-{page.width_name}")
