"""`yjs catalog_import` / `yjs catalog_export`: all or nothing, every problem at once, byte-stable round trips."""

import io

import pytest
from django.core.management import CommandError, call_command
from hypothesis import example, given, settings
from hypothesis import strategies as st

from yijianshi.accounts.models import Department
from yijianshi.catalog.exporter import catalog_text
from yijianshi.catalog.importer import catalog_import
from yijianshi.catalog.models import FormField, ItemVersion, LifeEvent, LifeEventVersion, Material, ServiceItem
from yijianshi.catalog.tests import builders as b
from yijianshi.catalog.yaml_source import SourceError
from yijianshi.catalog.yaml_writer import dumps
from yijianshi.demo.accounts import load_regions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def regions():
    load_regions()


def small_catalog() -> dict:
    return b.catalog(
        items=[
            b.item("A", result={"name": "证", "type": "certificate", "material_key": "a-cert"}),
            b.item("B", materials=[b.material("id-card"), b.material("a-cert")]),
        ],
        life_events=[b.life_event("LE", ["A", {"item": "B", "depends_on": ["A"]}], aliases=["小事"])],
        synonyms=[{"term": "办小事", "expansions": ["小事"]}],
    )


def counts():
    return (
        ServiceItem.objects.count(),
        Material.objects.count(),
        LifeEvent.objects.count(),
        Department.objects.count(),
    )


def test_export_import_export_is_byte_identical():
    catalog_import(text=b.as_yaml(small_catalog()))
    first = catalog_text()
    catalog_import(text=first)
    second = catalog_text()
    assert first == second
    assert "小事" in first  # Chinese written as itself


def test_reimporting_the_same_content_publishes_no_new_version_and_a_change_does():
    text = b.as_yaml(small_catalog())
    catalog_import(text=text)
    catalog_import(text=text)
    assert ItemVersion.objects.filter(item__code="A").count() == 1
    assert LifeEventVersion.objects.filter(life_event__code="LE").count() == 1
    changed = small_catalog()
    changed["items"][0]["promised_limit"] = {"value": 3}
    catalog_import(text=b.as_yaml(changed))
    assert list(ItemVersion.objects.filter(item__code="A").values_list("version", flat=True)) == [2, 1]
    assert LifeEvent.objects.get(code="LE").version == 2
    old = LifeEventVersion.objects.get(life_event__code="LE", version=1).snapshot
    assert old["items"]["A"]["promised_limit"]["value"] == 5  # what cases under version 1 keep


def test_a_broken_file_reports_every_problem_with_its_place_and_writes_nothing():
    catalog_import(text=b.as_yaml(small_catalog()))
    before = counts()
    broken = """format: yijianshi-catalog/1
departments:
  - code: bad-dept
    credit_code: 91410100MA00000000
    name: 错误部门
    region: "410100000000"
items:
  - code: X
    basic_code: "000000000001"
    name: 新事项
    item_type: "01"
    use_level: 3
    department: no-such-dept
    region: "410100000000"
    legal_basis: 依据
    conditions: 条件
    statutory_limit: {value: 5}
    promised_limit: {value: 10}
    case_kind: 2
    visits: 1
    result: {name: 结果, type: approval}
  - code: X
    basic_code: "000000000002"
    name: 重复编码
    item_type: "99"
life_events:
  - code: LE2
    name: 循环
    audience: person
    life_stage: birth
    lead_department: t-dept
    items:
      - {item: A, depends_on: [B]}
      - {item: B, depends_on: [A]}
      - {item: GHOST}
    questions:
      - key: q
        text: 问题
        shown_when: [{question: later, options: [x]}]
        options: [{key: o, label: 选项, include_materials: [nothing]}]
"""
    with pytest.raises(SourceError) as caught:
        catalog_import(text=broken)
    messages = [str(p) for p in caught.value.problems]
    text = "\n".join(messages)
    assert "第 4 行" in text and "统一社会信用代码校验位不正确" in text
    assert "未知的部门：no-such-dept" in text
    assert "承诺时限不能超过法定时限" in text
    assert "取值应为以下之一" in text and "缺少必填项" in text  # the second X: bad type, missing keys
    assert "循环依赖" in text
    assert "未知的事项：GHOST" in text
    assert "显示条件只能引用此前的问题：later" in text
    assert "本一件事中没有这个材料：nothing" in text
    assert all(message.startswith("items") or "第" in message for message in messages)
    assert counts() == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("format: yijianshi-catalog/1\nitems: [\n", "YAML 格式错误"),
        ("format: yijianshi-catalog/1\nitems: []\nitems: []\n", "键重复：items"),
        ("format: something-else\n", "取值应为：yijianshi-catalog/1"),
        ("- just a list\n", "类型应为对象"),
        ("", "类型应为对象"),
    ],
)
def test_a_file_that_is_not_a_catalog_says_why(text, expected):
    with pytest.raises(SourceError) as caught:
        catalog_import(text=text)
    assert expected in "\n".join(str(p) for p in caught.value.problems)


def test_a_field_key_with_two_meanings_is_refused():
    data = small_catalog()
    data["items"][1]["fields"] = [b.field("applicant-name", type="date")]
    with pytest.raises(SourceError) as caught:
        catalog_import(text=b.as_yaml(data))
    assert "字段 applicant-name 在事项 A 与 B 中的类型或选项不同" in str(caught.value)


def test_items_sharing_a_material_must_share_a_file_format():
    data = small_catalog()
    data["items"][0]["materials"] = [b.material("id-card", formats=["pdf"])]
    data["items"][1]["materials"] = [b.material("id-card", formats=["jpeg", "png"]), b.material("a-cert")]
    with pytest.raises(SourceError) as caught:
        catalog_import(text=b.as_yaml(data))
    assert "材料 id-card 在事项 A 与 B 中允许的文件格式没有交集" in str(caught.value)


def test_a_published_life_event_needs_published_items():
    data = small_catalog()
    data["items"][0]["status"] = "draft"
    with pytest.raises(SourceError) as caught:
        catalog_import(text=b.as_yaml(data))
    assert "事项 A 尚未发布" in str(caught.value)


def test_a_life_event_may_name_items_already_in_the_database():
    catalog_import(text=b.as_yaml(small_catalog()))
    later = b.catalog(departments=[], life_events=[b.life_event("LE3", ["A", "B"])])
    catalog_import(text=b.as_yaml(later))
    assert LifeEvent.objects.get(code="LE3").members.count() == 2


def test_import_replaces_an_items_children():
    catalog_import(text=b.as_yaml(small_catalog()))
    data = small_catalog()
    data["items"][1]["fields"] = []
    catalog_import(text=b.as_yaml(data))
    assert not FormField.objects.filter(item__code="B").exists()


def test_the_commands_import_and_export(tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text(b.as_yaml(small_catalog()), encoding="utf-8")
    out = io.StringIO()
    call_command("catalog_import", str(path), "--no-progress", stdout=out)
    assert "事项 2 项" in out.getvalue()
    exported = tmp_path / "export.yaml"
    call_command("catalog_export", str(exported), "--no-progress", stderr=io.StringIO())
    assert exported.read_text(encoding="utf-8") == catalog_text()


def test_the_import_command_lists_problems_and_fails(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("format: yijianshi-catalog/1\nitems:\n  - code: A\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="未写入任何内容"):
        call_command("catalog_import", str(path), stderr=err)
    assert "第 3 行" in err.getvalue()
    assert "缺少必填项" in err.getvalue()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="无法读取"):
        call_command("catalog_import", str(tmp_path / "none.yaml"))


def test_each_problem_is_reported_once_and_a_missing_format_does_not_hide_the_rest():
    data = small_catalog()
    del data["format"], data["items"][0]["legal_basis"], data["items"][0]["conditions"]
    with pytest.raises(SourceError) as caught:
        catalog_import(text=b.as_yaml(data))
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == len(set(messages))
    assert any("format" in m for m in messages)
    assert sum("legal_basis" in m for m in messages) == 1


def test_publishing_an_imported_life_event_from_admin_adds_no_version():
    # The import builds snapshots from the file, admin from rows: the two must agree, or every admin publish of
    # an imported bundle would freeze a spurious new version.
    data = small_catalog()
    data["life_events"][0]["items"][1]["depends_on"] = ["A"]
    data["life_events"][0]["questions"] = [
        {"key": "q", "text": "问题", "options": [{"key": "x", "label": "是", "exclude_items": ["B"]}]}
    ]
    catalog_import(text=b.as_yaml(data))
    from yijianshi.catalog.services import item_publish, life_event_publish

    item_publish(item=ServiceItem.objects.get(code="A"))
    life_event_publish(life_event=LifeEvent.objects.get(code="LE"))
    assert ItemVersion.objects.filter(item__code="A").count() == 1
    assert LifeEventVersion.objects.filter(life_event__code="LE").count() == 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30))
@example("_0")  # regression: yaml-rs read the bare key as the integer 0
@example("_\n")  # regression: "$" matched before the newline, so the key was written bare across two lines
def test_any_text_survives_export_and_import(value):
    # Regression: PyYAML wrote YAML 1.1 and the importer reads YAML 1.2, which takes e.g. 1e3 or 0o17 as numbers.
    # Both readers must get every string back: yaml-rs imports, PyYAML locates problems.
    import yaml
    import yaml_rs

    document = {"name": value, "aliases": [value, ""], "nested": {"list": [[value]], "empty": {}, value: 1}}
    text = dumps(document)
    assert yaml_rs.loads(text) == document
    assert yaml.safe_load(text) == document


def test_search_index_builds_for_a_large_catalog():
    # Regression: prefetching the members of 1,000 life events failed on SQLite (expression tree too large).
    from bench.catalog_generate import generate
    from yijianshi.catalog.search import build_index

    catalog_import(text=dumps(generate(1200)))
    index = build_index(generation=-1)
    assert sum(d.kind == "life_event" for d in index.documents) == 120


def test_a_new_department_may_not_take_an_existing_credit_code():
    # Regression: the database refused it with a bare IntegrityError and no position.
    catalog_import(text=b.as_yaml(small_catalog()))
    taken = Department.objects.get(code="t-dept").credit_code
    data = b.catalog(departments=[b.department("t-other", credit_code=taken)])
    with pytest.raises(SourceError) as caught:
        catalog_import(text=b.as_yaml(data))
    assert "统一社会信用代码已属于部门 t-dept" in str(caught.value)
