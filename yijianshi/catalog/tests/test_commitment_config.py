"""告知承诺, 容缺, 事后核查, 秒批 and 信用修复 in the catalog: only where 42号文 allows them, versioned texts, and
what they change in a plan."""

import pytest
from django.core.exceptions import ValidationError

from yijianshi.catalog.commitment_texts import latest_texts
from yijianshi.catalog.importer import catalog_import
from yijianshi.catalog.models import CommitmentText, ServiceItem
from yijianshi.catalog.plan import compute_plan
from yijianshi.catalog.selectors import plan_with_commitment_texts
from yijianshi.catalog.tests import builders as b
from yijianshi.catalog.yaml_source import SourceError
from yijianshi.demo.accounts import load_regions

pytestmark = pytest.mark.django_db

TEXT = {"conditions": "有固定场所", "content": "我承诺场所合法", "liability": "不实的撤销许可"}


@pytest.fixture(autouse=True)
def regions():
    load_regions()


def committing(code="C", *, text=TEXT, **commitment) -> dict:
    return b.item(
        code,
        commitment_allowed=True,
        commitment={"text": dict(text), **commitment},
        materials=[b.material("id-card"), b.material("lease"), b.material("rules", need=3)],
        fields=[b.field("applicant-name"), b.field("area", type="number")],
    )


def problems_of(items) -> str:
    with pytest.raises(SourceError) as caught:
        catalog_import(text=b.as_yaml(b.catalog(items=items)))
    return "\n".join(str(p) for p in caught.value.problems)


def test_items_in_excluded_areas_cannot_take_commitments():
    found = problems_of([committing(area="public_safety")])
    assert "“公共安全”领域的事项不得实行告知承诺" in found
    assert ServiceItem.objects.count() == 0


def test_a_commitment_needs_its_whole_text_and_deadlines_within_the_promise():
    found = problems_of(
        [committing(text={"conditions": "有场所", "content": "", "liability": ""}, deferral_days=9, replaces=["x"])]
    )
    assert "告知承诺书须写明承诺内容" in found
    assert "告知承诺书须写明违诺责任" in found
    assert "容缺补交期限不能超过承诺办结时限" in found  # the item promises 5 working days
    assert "本事项没有这项材料：x" in found


def test_deferrable_materials_and_replacements_need_commitments_allowed():
    found = problems_of([b.item("D", materials=[b.material("rules", need=3)])])
    assert "以承诺代替材料或容缺后补，须先允许告知承诺" in found


def test_instant_rules_name_fields_of_the_item_and_values_of_the_right_kind():
    item = b.item(
        "I",
        instant_approval={
            "allowed": True,
            "checks": [{"field": "nope", "op": "filled"}, {"field": "applicant-name", "op": "at_least", "value": "x"}],
        },
    )
    found = problems_of([item])
    assert "本事项没有这个字段：nope" in found
    assert "须给出数值" in found


def test_admin_refuses_commitments_in_an_excluded_area():
    catalog_import(text=b.as_yaml(b.catalog(items=[b.item("A")])))
    item = ServiceItem.objects.get(code="A")
    item.commitment_allowed, item.regulated_area = True, "ecology"
    with pytest.raises(ValidationError) as caught:
        item.clean()
    assert "生态环境保护" in str(caught.value)


def test_a_new_text_version_only_when_the_published_text_changes():
    catalog_import(text=b.as_yaml(b.catalog(items=[committing()])))
    catalog_import(text=b.as_yaml(b.catalog(items=[committing(deferral_days=2)])))  # other content, same text
    assert list(CommitmentText.objects.values_list("version", flat=True)) == [1]
    catalog_import(text=b.as_yaml(b.catalog(items=[committing(text={**TEXT, "liability": "撤销并记入信用记录"})])))
    latest = latest_texts(["C"])["C"]
    assert (latest.version, latest.liability) == (2, "撤销并记入信用记录")
    assert CommitmentText.objects.get(version=1).liability == TEXT["liability"]  # the old one stays as signed


def test_a_draft_text_is_not_offered_until_published():
    catalog_import(text=b.as_yaml(b.catalog(items=[{**committing(), "status": "draft"}])))
    assert CommitmentText.objects.count() == 0


def test_the_plan_says_what_a_commitment_waives_and_which_text_to_sign():
    catalog_import(text=b.as_yaml(b.catalog(items=[committing(replaces=["lease"], deferral_days=3)])))
    plan = compute_plan(b.snapshot(b.life_event("LE", ["C"]), [committing(replaces=["lease"], deferral_days=3)]), {})
    plan = plan_with_commitment_texts(plan)
    commitment = plan["items"][0]["commitment"]
    assert commitment["replaces"] == ["lease"]
    assert commitment["deferrable"] == ["rules"]
    assert commitment["deferral_days"] == 3
    assert commitment["text_version"] == 1 and commitment["content"] == TEXT["content"]


def test_without_a_deferral_rule_the_promised_limit_bounds_it():
    plan = compute_plan(b.snapshot(b.life_event("LE", ["C"]), [committing()]), {})
    assert plan["items"][0]["commitment"]["deferral_days"] == 5
    assert plan["items"][0]["instant_approval"] is False
