"""The catalog API as an applicant's app would use it, on the demo catalog."""

import pytest

pytestmark = pytest.mark.django_db

NEWBORN = "LE-NEWBORN"


@pytest.fixture(autouse=True)
def _catalog(demo_catalog):
    return demo_catalog


def plan(client, answers, code=NEWBORN):
    return client.post(f"/api/v1/life-events/{code}/plan", {"answers": answers}, content_type="application/json")


def newborn_answers(client, **choices):
    """Answer every question shown, taking the given choices and otherwise the first option."""
    answers = {}
    for _round in range(5):
        response = plan(client, answers)
        if response.status_code == 200:
            return answers
        for field in response.json()["fields"]:
            key = field.split(".", 1)[1]
            question = next(
                q for q in client.get(f"/api/v1/life-events/{NEWBORN}").json()["questions"] if q["key"] == key
            )
            answers[key] = choices.get(key, question["options"][0]["key"])
    raise AssertionError("could not answer the questions")


def test_the_catalog_is_public_and_lists_the_first_batch(client):
    events = client.get("/api/v1/life-events").json()
    assert len(events) == 13
    names = {e["name"] for e in events}
    assert "开办餐饮店" in names
    assert all(e["sample"] for e in events)
    restaurant = next(e for e in events if e["name"] == "开办餐饮店")
    assert restaurant["metrics"]["inspections"] == {"before": 4, "after": 1}
    assert restaurant["metrics"]["visits"]["after"] <= 1


def test_life_events_filter_by_audience_and_stage(client):
    business = client.get("/api/v1/life-events", {"audience": "business"}).json()
    assert business and all(e["audience"] == "business" for e in business)
    births = client.get("/api/v1/life-events", {"life_stage": "birth"}).json()
    assert [e["code"] for e in births] == [NEWBORN]
    assert client.get("/api/v1/life-events", {"audience": "alien"}).status_code == 422


def test_newborn_answers_change_the_items_and_nothing_is_asked_twice(client):
    detail = client.get(f"/api/v1/life-events/{NEWBORN}").json()
    assert detail["questions"] and detail["items"]
    plans = []
    for question in detail["questions"]:
        for option in question["options"]:
            answers = newborn_answers(client, **{question["key"]: option["key"]})
            body = plan(client, answers).json()
            plans.append(body)
            keys = [m["key"] for m in body["materials"]]
            fields = [f["key"] for f in body["form"]]
            assert len(keys) == len(set(keys)), answers
            assert len(fields) == len(set(fields)), answers
    item_sets = {tuple(i["code"] for i in p["items"]) for p in plans}
    assert len(item_sets) > 1


def test_the_birth_certificate_is_produced_within_the_plan(client):
    body = plan(client, newborn_answers(client)).json()
    produced = {m["key"]: m["produced_by"] for m in body["produced_in_plan"]}
    assert "birth-medical-certificate" in produced
    assert "birth-medical-certificate" not in {m["key"] for m in body["materials"]}
    assert body["reductions"]["days"]["after"] <= body["reductions"]["days"]["before"]


def test_missing_or_invalid_answers_are_422_naming_the_question(client):
    response = plan(client, {})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert all(field.startswith("answers.") for field in body["fields"])
    assert all(message.startswith("请回答") for message in body["fields"].values())
    wrong = plan(client, {"not-a-question": "x"})
    assert wrong.json()["fields"]["answers.not-a-question"] == "没有这个问题"


def test_an_unknown_or_unpublished_life_event_is_404(client):
    assert client.get("/api/v1/life-events/LE-NOPE").status_code == 404
    assert plan(client, {}, code="LE-NOPE").status_code == 404


def test_items_are_listed_paged_and_shown_with_their_elements(client):
    page = client.get("/api/v1/items", {"limit": 10}).json()
    assert page["count"] >= 60
    assert len(page["items"]) == 10
    code = page["items"][0]["code"]
    item = client.get(f"/api/v1/items/{code}").json()
    assert item["materials"] and item["steps"]
    assert item["department"]["name"]
    assert set(item) >= {"legal_basis", "conditions", "statutory_limit", "promised_limit", "result", "channels"}


@pytest.mark.parametrize("query", ["生孩子", "孩子出生", "上户口"])
def test_colloquial_words_find_the_newborn_life_event(client, query):
    results = client.get("/api/v1/search", {"q": query}).json()["results"]
    assert results[0]["code"] == NEWBORN, [r["name"] for r in results[:3]]


def test_opening_a_restaurant_is_found_as_people_say_it(client):
    results = client.get("/api/v1/search", {"q": "开饭店"}).json()["results"]
    assert results[0]["name"] == "开办餐饮店"
    assert "<mark>" in results[0]["highlight"] or results[0]["kind"] == "life_event"


def test_search_results_mix_life_events_and_items_with_highlights(client):
    body = client.get("/api/v1/search", {"q": "营业执照"}).json()
    kinds = {r["kind"] for r in body["results"]}
    assert kinds == {"life_event", "item"}
    assert any("<mark>" in r["highlight"] for r in body["results"])


def test_search_escapes_what_it_highlights(client):
    body = client.get("/api/v1/search", {"q": "<script>出生"}).json()
    assert all("<script>" not in r["highlight"] + r["snippet"] for r in body["results"])


def test_search_needs_a_query(client):
    assert client.get("/api/v1/search", {"q": ""}).status_code == 422
    assert client.get("/api/v1/search").json()["fields"] == {"q": "此项为必填项"}
