"""Every failure under /api/ has the same shape and a Chinese message; bad input never gives a 500."""

import pytest

pytestmark = pytest.mark.django_db

SHAPE = {"code", "message", "fields"}


def post_token(client, body, content_type="application/json"):
    return client.post("/api/v1/auth/token", data=body, content_type=content_type)


def test_a_malformed_json_body_is_422_naming_the_body(client):
    response = post_token(client, "{bad json")
    assert response.status_code == 422
    body = response.json()
    assert set(body) == SHAPE
    assert body["code"] == "invalid"
    assert "JSON" in body["fields"]["body"]


def test_a_body_that_is_not_utf8_is_422(client):
    response = post_token(client, b"\xff\xfe\x00{")
    assert response.status_code == 422
    assert "body" in response.json()["fields"]


def test_missing_fields_are_named_in_chinese(client):
    response = post_token(client, {"username": "zhangsan"})
    assert response.status_code == 422
    body = response.json()
    assert body["fields"] == {"password": "此项为必填项"}
    assert "password" in body["message"]


def test_a_json_array_instead_of_an_object_is_422(client):
    response = post_token(client, "[1, 2]")
    assert response.status_code == 422
    assert set(response.json()) == SHAPE


def test_wrong_types_are_named(client):
    response = client.get("/api/v1/regions/410100000000", HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401
    response = post_token(client, {"username": 12, "password": ["x"]})
    assert response.status_code == 422
    assert response.json()["fields"] == {"username": "应为文本", "password": "应为文本"}


def test_unknown_paths_and_methods_keep_the_shape(client):
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    wrong_method = client.put("/api/v1/auth/token")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["code"] == "method_not_allowed"
    assert "POST" in wrong_method["Allow"]


def test_no_credentials_is_401_in_chinese(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthenticated"
    assert "登录" in body["message"]


def test_responses_carry_chinese_text_unescaped(client):
    response = client.get("/api/v1/me")
    assert "登录".encode() in response.content


def test_an_oversized_body_is_refused_with_the_shape(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = post_token(client, '{"username": "' + "x" * 500 + '", "password": "y"}')
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert set(response.json()) == SHAPE


def test_a_nul_character_in_the_body_is_422_naming_the_field(client):
    # Regression: PostgreSQL refuses NUL in text, which surfaced as a 500.
    response = post_token(client, '{"username": "a\\u0000b", "password": "x"}')
    assert response.status_code == 422
    assert response.json()["fields"] == {"username": "不能包含空字符（\\u0000）。"}


def test_a_nul_character_in_a_nested_key_is_named(client):
    response = post_token(client, '{"username": "a", "password": "x", "extra": [{"k\\u0000": 1}]}')
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["extra.0.k\x00"]


def test_a_nul_character_in_a_query_or_path_is_422(client):
    assert client.get("/api/v1/departments", {"region": "41\x00"}).json()["fields"] == {
        "region": "不能包含空字符（\\u0000）。"
    }
    response = client.get("/api/v1/regions/41%0001")
    assert response.status_code == 422
    assert "path" in response.json()["fields"]


def test_a_parameter_given_twice_is_refused_not_silently_truncated(client, person, auth):
    response = client.get("/api/v1/regions?parent=410000000000&parent=410100000000", **auth(person))
    assert response.status_code == 422
    assert response.json()["fields"] == {"parent": "只能提供一个值"}


@pytest.mark.parametrize("query", ["offset=229102455687526635323883782144", "offset=-1", "limit=0", "limit=101"])
def test_pagination_is_bounded(client, person, auth, query):
    # Regression: an offset past bigint reached PostgreSQL and gave a 500.
    response = client.get(f"/api/v1/departments?{query}", **auth(person))
    assert response.status_code == 422
    assert query.split("=")[0] in response.json()["fields"]


def test_an_unknown_field_is_refused_by_name(client):
    response = post_token(client, {"username": "a", "password": "b", "remember": True})
    assert response.status_code == 422
    assert response.json()["fields"] == {"remember": "不允许的字段"}


def test_json_nested_too_deep_to_parse_is_422(client):
    # Regression: RecursionError escaped the parser and gave a bare 400.
    response = post_token(client, "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 422
    assert "body" in response.json()["fields"]


def test_the_request_log_names_the_caller_of_a_bearer_call(client, person, auth, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="yijianshi.request"):
        client.get(f"/api/v1/applicants/{person.applicant_id}", **auth(person))
    record = next(r for r in caplog.records if r.name == "yijianshi.request")
    assert record.user_id == person.pk


@pytest.mark.django_db
def test_a_boolean_is_not_taken_for_a_number(client, person):
    """Regression (found by the API fuzz test): `{"applicant_id": false}` granted a consent as if it were absent."""
    from yijianshi.conftest import bearer

    response = client.post(
        "/api/v1/me/consents", {"applicant_id": False}, content_type="application/json", **bearer(person)
    )
    assert response.status_code == 422 and "applicant_id" in response.json()["fields"]
