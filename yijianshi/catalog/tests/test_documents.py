"""The "三个一" of a life event as people get them: guide and joint form as pages and PDFs, the flow chart SVG."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.django_db

NEWBORN = "LE-NEWBORN"
SIXTEEN_ELEMENTS = [
    "适用范围",
    "办件类型",
    "办理方式",
    "现场办事次数",
    "设定依据",
    "办理条件",
    "申办材料",
    "办理流程",
    "办理时限",
    "收费依据及标准",
    "审批结果",
    "结果送达",
    "办理地址和时间",
    "咨询方式",
    "进程和结果查询",
    "监督投诉渠道",
]


@pytest.fixture(autouse=True)
def _catalog(demo_catalog):
    return demo_catalog


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "".join(page.extract_text() for page in reader.pages)


def test_the_guide_page_shows_the_sixteen_elements_and_reductions(client):
    page = client.get(f"/life-events/{NEWBORN}/").content.decode()
    for label in SIXTEEN_ELEMENTS:
        assert label in page, label
    assert "样例数据" in page
    assert "<svg" in page


def test_the_guide_pdf_opens_and_shows_chinese_text(client):
    text = pdf_text(client.get(f"/life-events/{NEWBORN}/guide.pdf"))
    assert "新生儿出生" in text
    assert "办事指南" in text and "申办材料" in text
    assert "样例数据" in text


def test_the_joint_form_pdf_lists_every_field_once(client):
    page = client.get(f"/life-events/{NEWBORN}/form/").content.decode()
    assert "联办申请表" in page and "视情形填写" in page
    text = pdf_text(client.get(f"/life-events/{NEWBORN}/form.pdf"))
    assert "联办申请表" in text and "申请人（签名）" in text


def test_the_flow_chart_is_an_accessible_svg_with_every_item(client):
    detail = client.get(f"/api/v1/life-events/{NEWBORN}").json()
    response = client.get(f"/life-events/{NEWBORN}/flow.svg")
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)  # noqa: S314 (our own SVG)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert root.get("role") == "img"
    assert root.find("svg:title", ns).text == detail["name"]
    texts = "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for member in detail["items"]:
        if member["default"]:
            assert member["name"][:8] in texts, member["name"]
    assert "综合窗口受理" in texts and "综合窗口出件" in texts


def test_an_item_guide_is_a_page_and_a_pdf(client):
    code = client.get("/api/v1/items", {"limit": 1}).json()["items"][0]["code"]
    assert "设定依据" in client.get(f"/items/{code}/").content.decode()
    assert "办事指南" in pdf_text(client.get(f"/items/{code}/guide.pdf"))


def test_unknown_codes_are_404_pages(client):
    assert client.get("/life-events/LE-NOPE/").status_code == 404
    assert client.get("/life-events/LE-NOPE/guide.pdf").status_code == 404
    assert client.get("/items/NOPE/").status_code == 404


def test_the_search_page_finds_what_people_say(client):
    page = client.get("/search/", {"q": "开饭店"}).content.decode()
    assert "开办餐饮店" in re.sub(r"</?mark>", "", page)
    assert "<mark>" in page
    assert "没有找到" in client.get("/search/", {"q": "火星移民"}).content.decode()


def test_the_home_page_lists_life_events_by_stage(client):
    page = client.get("/").content.decode()
    assert "新生儿出生" in page and "开办餐饮店" in page
    assert page.index("个人办事") < page.index("企业办事")


def test_a_pdf_is_printed_once_for_the_same_content(client, monkeypatch):
    import weasyprint

    printed = []
    original = weasyprint.HTML.write_pdf

    def counting(self, *args, **kwargs):
        printed.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counting)
    code = client.get("/api/v1/items", {"limit": 1}).json()["items"][-1]["code"]
    first, second = client.get(f"/items/{code}/guide.pdf"), client.get(f"/items/{code}/guide.pdf")
    assert first.content == second.content
    assert len(printed) <= 1  # at most the first request prints (an earlier test may have printed it already)
