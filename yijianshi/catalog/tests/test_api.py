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


def test_suggestions_come_from_half_a_word_with_a_page_to_go_to(client):
    body = client.get("/api/v1/search/suggest", {"q": "开办"}).json()
    first = body["suggestions"][0]
    assert first["kind"] == "life_event" and first["name"].startswith("开办")
    assert first["highlight"].startswith("<mark>开办</mark>")
    assert first["url"] == f"/life-events/{first['code']}/"
    assert len(body["suggestions"]) <= 6


def test_suggestions_fill_up_with_what_people_say(client):
    # "生孩子" is in no name; the synonyms lead to the newborn bundle all the same.
    names = [s["name"] for s in client.get("/api/v1/search/suggest", {"q": "生孩子"}).json()["suggestions"]]
    assert any("出生" in name for name in names)
    assert client.get("/api/v1/search/suggest", {"q": "<b>"}).json()["suggestions"] == []
    assert client.get("/api/v1/search/suggest", {"q": ""}).status_code == 422


def test_search_needs_a_query(client):
    assert client.get("/api/v1/search", {"q": ""}).status_code == 422
    assert client.get("/api/v1/search").json()["fields"] == {"q": "此项为必填项"}


def test_a_program_without_cookies_posts_a_plan_without_a_csrf_token():
    # Regression: the session check demanded a CSRF token from callers that sent no session cookie at all.
    from django.test import Client

    program = Client(enforce_csrf_checks=True)
    response = program.post(f"/api/v1/life-events/{NEWBORN}/plan", {"answers": {}}, content_type="application/json")
    assert response.status_code == 422
    assert all(field.startswith("answers.") for field in response.json()["fields"])


def test_a_browser_session_still_needs_its_csrf_token_to_post(person):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)
    response = browser.post(f"/api/v1/life-events/{NEWBORN}/plan", {"answers": {}}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"


def test_highlights_match_the_text_not_its_escaping():
    # Regression: matching inside escaped text turned "A&B" into "A&<mark>amp</mark>;B".
    from yijianshi.catalog.search import _highlight

    assert _highlight("A&B 餐饮", ["amp", "餐饮"]) == "A&amp;B <mark>餐饮</mark>"
    assert _highlight("<b>出生</b>", ["出生"]) == "&lt;b&gt;<mark>出生</mark>&lt;/b&gt;"


@pytest.mark.parametrize("answer", [3, {"x": 1}, [1, 2], None, True])
def test_an_answer_of_the_wrong_type_is_named_once(client, answer):
    response = plan(client, {"parents-married": answer} if answer is not None else {"parents-married": None})
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert all(field.startswith("answers.") and field.count(".") == 1 for field in fields)


def test_too_many_answers_are_refused_in_one_line(client):
    response = plan(client, {f"q{i}": "x" for i in range(500)})
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["answers"]


def test_listing_life_events_reads_their_snapshots_in_one_query(django_assert_num_queries):
    # Regression: one query per life event on a cold cache.
    from yijianshi.catalog import selectors

    selectors.SNAPSHOTS.entries.clear()
    selectors._metrics_cache.clear()
    with django_assert_num_queries(2):  # the live versions, then their snapshots
        summaries = selectors.life_event_summaries()
    assert len(summaries) == 13


def test_a_page_of_items_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    from yijianshi.catalog import selectors

    selectors.SNAPSHOTS.entries.clear()
    with django_assert_num_queries(3):  # count, the page's versions, their snapshots
        body = client.get("/api/v1/items", {"limit": 50}).json()
    assert len(body["items"]) == 50


def test_the_snapshot_cache_answers_calls_larger_than_itself():
    # Regression: loading more snapshots than the cache holds evicted some before they were returned.
    from yijianshi.catalog.selectors import SnapshotCache, current_life_event_versions

    versions = list(current_life_event_versions().order_by("life_event__code"))
    snapshots = SnapshotCache(size=2).many(versions)
    assert [s["life_event"]["code"] for s in snapshots] == [v.life_event.code for v in versions]
