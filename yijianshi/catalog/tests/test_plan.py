"""The plan rules of docs/catalog-format.md, on snapshots built in memory (no database)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yijianshi.catalog.plan import complete_plan, compute_plan, full_bundle_answers, working_days
from yijianshi.catalog.tests import builders as b
from yijianshi.core.errors import InvalidInput

BIRTH_CERT = "11100000000000019F001"


def newborn():
    """A small 新生儿出生 bundle: the birth certificate feeds the household registration."""
    items = [
        b.item(
            "BIRTH",
            days=2,
            result={
                "name": "出生医学证明",
                "type": "certificate",
                "material_key": "birth-cert",
                "license_type": BIRTH_CERT,
            },
            materials=[b.material("id-card", originals=1), b.material("mother-record", need=3)],
            fields=[b.field("applicant-name", prefill="person.name"), b.field("child-name", max_length=20)],
        ),
        b.item(
            "HUKOU",
            days=5,
            materials=[
                b.material("id-card", copies=1),
                b.material("birth-cert", type=1, source=20, license_type=BIRTH_CERT),
                b.material("marriage", default=False),
            ],
            fields=[b.field("child-name", max_length=10, required=False), b.field("address")],
        ),
        b.item("INSURE", days=3, visits=0, materials=[b.material("id-card"), b.material("hukou-page")]),
        b.item("CARD", days=10, case_kind=1, visits=1, steps=b.steps("accept", "deliver")),
    ]
    event = b.life_event(
        "NEWBORN",
        ["BIRTH", "HUKOU", {"item": "INSURE", "depends_on": ["HUKOU"]}, {"item": "CARD", "default": False}],
        questions=[
            {
                "key": "card",
                "text": "是否现在办理社会保障卡？",
                "options": [{"key": "yes", "label": "是", "include_items": ["CARD"]}, {"key": "no", "label": "否"}],
            },
            {
                "key": "married",
                "text": "父母是否已婚？",
                "options": [
                    {"key": "yes", "label": "是", "include_materials": ["marriage"]},
                    {"key": "no", "label": "否", "exclude_materials": ["mother-record"]},
                ],
            },
            {
                "key": "photo",
                "text": "社保卡照片如何提供？",
                "required": True,
                "shown_when": [{"question": "card", "options": ["yes"]}],
                "options": [
                    {"key": "upload", "label": "上传"},
                    {"key": "window", "label": "现场拍照", "include_fields": ["address"]},
                ],
            },
        ],
    )
    return b.snapshot(event, items)


def test_answers_choose_the_items():
    without = compute_plan(newborn(), {"card": "no", "married": "yes"})
    with_card = compute_plan(newborn(), {"card": "yes", "married": "yes", "photo": "upload"})
    assert [i["code"] for i in without["items"]] == ["BIRTH", "HUKOU", "INSURE"]
    assert [i["code"] for i in with_card["items"]] == ["BIRTH", "HUKOU", "INSURE", "CARD"]


def test_materials_are_merged_by_key_and_what_the_plan_produces_is_not_asked_for():
    plan = compute_plan(newborn(), {"card": "no", "married": "yes"})
    keys = [m["key"] for m in plan["materials"]]
    assert keys == ["id-card", "mother-record", "marriage", "hukou-page"]
    id_card = plan["materials"][0]
    assert id_card["for_items"] == ["BIRTH", "HUKOU", "INSURE"]
    assert (id_card["originals"], id_card["copies"]) == (1, 1)
    assert plan["produced_in_plan"] == [
        {"key": "birth-cert", "name": "材料birth-cert", "produced_by": "BIRTH", "for_items": ["HUKOU"]}
    ]


def test_a_material_the_applicant_submits_anyway_is_not_also_produced():
    # Regression (found by the property test below): an item that both produces and asks for a key.
    items = [
        b.item("RENEW", result={"name": "新身份证", "type": "certificate", "material_key": "id-card"}),
        b.item("OTHER"),
    ]
    plan = compute_plan(b.snapshot(b.life_event("E", ["RENEW", "OTHER"]), items), {})
    assert [m["key"] for m in plan["materials"]] == ["id-card"]
    assert plan["materials"][0]["for_items"] == ["RENEW", "OTHER"]
    assert plan["produced_in_plan"] == []
    assert plan["flow"]["edges"] == []


def test_a_material_whose_producer_is_not_in_the_plan_is_asked_for_and_marked_substitutable():
    snapshot = newborn()
    snapshot["life_event"]["items"][0]["default"] = False  # the birth certificate is already issued
    plan = compute_plan(snapshot, {"card": "no", "married": "yes"})
    birth_cert = next(m for m in plan["materials"] if m["key"] == "birth-cert")
    assert birth_cert["license_substitutable"] is True
    assert plan["produced_in_plan"] == []


def test_a_merged_material_accepts_the_formats_every_item_accepts():
    snapshot = newborn()
    snapshot["items"]["BIRTH"]["materials"][0]["formats"] = ["pdf", "ofd", "jpeg"]
    snapshot["items"]["HUKOU"]["materials"][0]["formats"] = ["jpeg", "png", "pdf"]
    plan = compute_plan(snapshot, {"card": "no", "married": "yes"})
    id_card = next(m for m in plan["materials"] if m["key"] == "id-card")
    assert id_card["formats"] == ["pdf", "jpeg"]


def test_options_include_and_exclude_materials_and_fields():
    unmarried = compute_plan(newborn(), {"card": "yes", "married": "no", "photo": "window"})
    keys = {m["key"] for m in unmarried["materials"]}
    assert "marriage" not in keys and "mother-record" not in keys
    assert [f["key"] for f in unmarried["form"]] == ["applicant-name", "child-name", "address"]


def test_the_joint_form_merges_fields_by_key_with_the_tightest_rules():
    plan = compute_plan(newborn(), {"card": "no", "married": "yes"})
    child = next(f for f in plan["form"] if f["key"] == "child-name")
    assert child["for_items"] == ["BIRTH", "HUKOU"]
    assert child["required"] is True
    assert child["max_length"] == 10
    assert len({f["key"] for f in plan["form"]}) == len(plan["form"])


def test_the_flow_runs_independent_items_in_parallel_and_finds_the_critical_path():
    plan = compute_plan(newborn(), {"card": "yes", "married": "yes", "photo": "upload"})
    flow = plan["flow"]
    assert flow["lanes"] == [["BIRTH", "CARD"], ["HUKOU"], ["INSURE"]]
    assert {(e["from"], e["to"], e["implied"]) for e in flow["edges"]} == {
        ("BIRTH", "HUKOU", True),
        ("HUKOU", "INSURE", False),
    }
    assert flow["critical_path"] == ["BIRTH", "HUKOU", "INSURE"]
    assert flow["days"] == 2 + 5 + 3


def test_reductions_follow_the_documented_rules():
    plan = compute_plan(newborn(), {"card": "yes", "married": "yes", "photo": "upload"})
    reductions = plan["reductions"]
    # materials counted per item: 2 + 3 (incl. birth-cert and marriage) + 2 + 1 (CARD: the id card)
    assert reductions["materials"] == {"before": 8, "after": 4}
    # steps: 4 + 4 + 4 + 2 before; after 1 accept + 1 deliver + lanes (2, 2, 2)
    assert reductions["steps"] == {"before": 14, "after": 8}
    # CARD is 即办件: 0 days
    assert reductions["days"] == {"before": 10, "after": 10}
    assert reductions["visits"] == {"before": 3, "after": 1}


def test_inspections_of_the_same_place_merge_into_one_joint_inspection():
    inspect = {"required": True, "place": "premises", "joint": True}
    items = [
        b.item("A", inspection=inspect),
        b.item("B", inspection=inspect),
        b.item("C", inspection={"required": True, "place": "premises", "joint": False}),
        b.item("D", inspection={"required": True, "place": "warehouse", "joint": True}),
    ]
    plan = compute_plan(b.snapshot(b.life_event("SHOP", ["A", "B", "C", "D"]), items), {})
    assert plan["reductions"]["inspections"] == {"before": 4, "after": 3}
    assert {(g["place"], tuple(g["items"]), g["joint"]) for g in plan["inspections"]} == {
        ("premises", ("A", "B"), True),
        ("warehouse", ("D",), True),
        ("premises", ("C",), False),
    }


@pytest.mark.parametrize(
    ("answers", "errors"),
    [
        ({}, {"answers.card": "请回答：是否现在办理社会保障卡？", "answers.married": "请回答：父母是否已婚？"}),
        ({"card": "maybe", "married": "yes"}, {"answers.card": "没有这个选项：maybe（可选：yes、no）"}),
        ({"card": ["yes", "no"], "married": "yes", "photo": "upload"}, {"answers.card": "此问题只能选一项"}),
        ({"card": "yes", "married": "yes"}, {"answers.photo": "请回答：社保卡照片如何提供？"}),
        ({"card": "no", "married": "yes", "pets": "dog"}, {"answers.pets": "没有这个问题"}),
        ({"card": 3, "married": "yes"}, {"answers.card": "回答应为选项键或选项键列表"}),
    ],
)
def test_invalid_or_missing_answers_name_the_question(answers, errors):
    with pytest.raises(InvalidInput) as caught:
        compute_plan(newborn(), answers)
    assert caught.value.fields == errors


def test_answers_to_questions_not_shown_are_ignored_and_said_so():
    plan = compute_plan(newborn(), {"card": "no", "married": "yes", "photo": "window"})
    assert plan["ignored_answers"] == ["photo"]
    assert [q["key"] for q in plan["questions"]] == ["card", "married"]


def test_an_empty_answer_to_an_optional_shown_question_is_not_called_ignored():
    snapshot = newborn()
    snapshot["life_event"]["questions"][1]["required"] = False
    plan = compute_plan(snapshot, {"card": "no", "married": []})
    assert plan["ignored_answers"] == []


def test_a_repeated_option_counts_once():
    plan = compute_plan(newborn(), {"card": ["no", "no"], "married": "yes"})
    assert plan["answers"]["card"] == ["no"]


def test_calendar_days_count_as_five_sevenths_and_immediate_items_as_none():
    assert working_days({"value": 7, "unit": "calendar_days"}, 2) == 5
    assert working_days({"value": 10, "unit": "calendar_days"}, 2) == 8
    assert working_days({"value": 10, "unit": "working_days"}, 1) == 0


def test_neutral_answers_leave_the_bundle_as_defined():
    answers = full_bundle_answers(newborn()["life_event"]["questions"])
    assert answers == {"card": ["no"], "married": ["yes"]}


def test_the_complete_plan_offers_every_field_and_marks_situational_ones():
    plan = complete_plan(newborn())
    assert [i["code"] for i in plan["items"] if i["situational"]] == ["CARD"]
    assert {f["key"]: f["situational"] for f in plan["form"]} == {
        "applicant-name": False,
        "child-name": False,
        "address": False,
    }
    # Only some answers ask for the marriage certificate, and one answer waives the mother's record.
    assert {m["key"] for m in plan["materials"] if m["situational"]} == {"marriage", "mother-record"}


# Generated bundles: the invariants hold whatever the catalog says.

KEYS = ["id-card", "household", "photo", "contract", "license", "proof"]
FIELD_KEYS = ["name", "phone", "address", "date", "amount"]


@st.composite
def bundles(draw):
    count = draw(st.integers(1, 7))
    codes = [f"I{i}" for i in range(count)]
    items = []
    for code in codes:
        materials = [
            b.material(k, need=draw(st.sampled_from([1, 2, 3])), default=draw(st.booleans()))
            for k in draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=5))
        ]
        fields = [
            b.field(k, required=draw(st.booleans()), default=draw(st.booleans()))
            for k in draw(st.lists(st.sampled_from(FIELD_KEYS), unique=True, max_size=4))
        ]
        produces = draw(st.sampled_from(["", *KEYS]))
        items.append(
            b.item(
                code,
                days=draw(st.integers(0, 20)),
                visits=draw(st.integers(0, 2)),
                materials=materials,
                fields=fields,
                result={"name": "结果", "type": "approval", "material_key": produces},
                inspection={
                    "required": draw(st.booleans()),
                    "place": draw(st.sampled_from(["p1", "p2"])),
                    "joint": draw(st.booleans()),
                },
            )
        )
    members = []
    for index, code in enumerate(codes):
        earlier = codes[:index]
        depends = draw(st.lists(st.sampled_from(earlier), unique=True, max_size=2)) if earlier else []
        members.append({"item": code, "default": draw(st.booleans()), "depends_on": depends})
    # Keep producers before consumers, as publishing enforces (no cycles through implied dependencies).
    for index, item in enumerate(items):
        key = item["result"]["material_key"]
        if any(key in [m["key"] for m in other["materials"]] for other in items[:index]):
            item["result"]["material_key"] = ""
    options = [
        {
            "key": f"o{i}",
            "label": f"选项{i}",
            "include_items": draw(st.lists(st.sampled_from(codes), unique=True, max_size=2)),
            "exclude_items": draw(st.lists(st.sampled_from(codes), unique=True, max_size=1)),
            "include_materials": draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=2)),
            "exclude_fields": draw(st.lists(st.sampled_from(FIELD_KEYS), unique=True, max_size=1)),
        }
        for i in range(3)
    ]
    event = b.life_event("GEN", members, questions=[{"key": "q", "text": "问题", "multiple": True, "options": options}])
    answers = {"q": draw(st.lists(st.sampled_from(["o0", "o1", "o2"]), unique=True, min_size=1))}
    return b.snapshot(event, items), answers


@settings(max_examples=150, deadline=None)
@given(bundles())
def test_a_plan_never_repeats_a_material_or_field_and_keeps_its_flow_consistent(bundle):
    snapshot, answers = bundle
    plan = compute_plan(snapshot, answers)
    codes = [i["code"] for i in plan["items"]]
    material_keys = [m["key"] for m in plan["materials"]]
    assert len(material_keys) == len(set(material_keys))
    assert not set(material_keys) & {m["key"] for m in plan["produced_in_plan"]}
    assert len({f["key"] for f in plan["form"]}) == len(plan["form"])
    for entry in [*plan["materials"], *plan["form"]]:
        assert set(entry["for_items"]) <= set(codes)
    lanes = plan["flow"]["lanes"]
    assert sorted(c for lane in lanes for c in lane) == sorted(codes)
    lane_of = {c: i for i, lane in enumerate(lanes) for c in lane}
    assert all(lane_of[e["from"]] < lane_of[e["to"]] for e in plan["flow"]["edges"])
    for name in ("materials", "steps", "days", "visits", "inspections"):
        assert plan["reductions"][name]["after"] <= plan["reductions"][name]["before"], name


@settings(max_examples=100, deadline=None)
@given(bundles())
def test_the_complete_plan_contains_every_plan(bundle):
    snapshot, answers = bundle
    plan, complete = compute_plan(snapshot, answers), complete_plan(snapshot)
    assert {i["code"] for i in plan["items"]} <= {i["code"] for i in complete["items"]}
    assert {f["key"] for f in plan["form"]} <= {f["key"] for f in complete["form"]}


def test_steps_after_never_exceed_before_when_an_inspection_has_no_step():
    # Regression: an item requiring inspection but with no inspect step counted a merged inspection step anyway.
    items = [b.item("A", inspection={"required": True, "place": "p", "joint": True})]
    plan = compute_plan(b.snapshot(b.life_event("E", ["A"]), items), {})
    assert plan["reductions"]["steps"] == {"before": 4, "after": 4}


def test_the_first_of_several_producers_provides_the_material():
    # Regression: with two producers, the plan silently credited whichever came last.
    produce = {"name": "卡", "type": "certificate", "material_key": "card"}
    items = [
        b.item("APPLY", result=produce),
        b.item("REPLACE", result=produce),
        b.item("USE", materials=[b.material("card")]),
    ]
    plan = compute_plan(b.snapshot(b.life_event("E", ["APPLY", "REPLACE", "USE"]), items), {})
    assert plan["produced_in_plan"][0]["produced_by"] == "APPLY"
