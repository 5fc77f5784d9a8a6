"""情形引导: one question at a time, back and forward, a personalised checklist, and an application started from it."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from yijianshi.accounts.models import User
from yijianshi.cases.models import Case
from yijianshi.catalog.wizard import wizard_answers

NEWBORN = "LE-NEWBORN"
WIZARD = reverse("portal:life-event-wizard", args=[NEWBORN])

QUESTIONS = [
    {"key": "a", "required": True, "multiple": False, "shown_when": [], "options": [{"key": "yes"}, {"key": "no"}]},
    {
        "key": "b",
        "required": True,
        "multiple": True,
        "shown_when": [{"question": "a", "options": ["no"]}],
        "options": [{"key": "x"}, {"key": "y"}],
    },
    {"key": "c", "required": False, "multiple": False, "shown_when": [], "options": [{"key": "p"}, {"key": "q"}]},
]


@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "c", "zz"]), st.lists(st.sampled_from(["yes", "no", "x", "y", "p", "q", "?"]))
    )
)
def test_only_answers_to_shown_questions_with_real_options_count(given_answers):
    answers, shown = wizard_answers(QUESTIONS, given_answers)
    shown_keys = [q["key"] for q in shown]
    assert set(answers) <= set(shown_keys)
    assert ("b" in shown_keys) == (answers.get("a") == ["no"])
    for question in shown:
        picked = answers.get(question["key"], [])
        assert set(picked) <= {o["key"] for o in question["options"]}
        assert question["multiple"] or len(picked) <= 1
        assert len(picked) == len(set(picked))


@pytest.fixture
def demo(db):
    call_command("demo", verbosity=0)


def page(client, **params):
    response = client.get(WIZARD, params)
    assert response.status_code == 200
    return response.content.decode()


def test_one_question_at_a_time_with_back_and_forward(client, demo):
    first = page(client)
    assert "第 1 题，共 2 题" in first and "父母是否为合法婚姻？" in first and 'value="back"' not in first
    # Forward without an answer: the same question, with the reason.
    assert "请选择一项后再继续" in page(client, step=0, go="next")
    # Not married: a question about where the child settles appears.
    second = page(client, **{"step": 0, "go": "next", "a-parents-married": "no"})
    assert "第 2 题，共 3 题" in second and "新生儿随哪一方落户？" in second and 'value="back"' in second
    assert 'name="a-parents-married" value="no"' in second  # carried along
    # Back keeps what was chosen.
    back = page(client, **{"step": 1, "go": "back", "a-parents-married": "no", "a-settle-with": "mother"})
    assert 'value="no" checked' in back
    # Changing the first answer drops the answer to the question that disappears.
    changed = page(client, **{"step": 0, "go": "next", "a-parents-married": "yes", "a-settle-with": "mother"})
    assert "是否现在为新生儿申领社会保障卡？" in changed and 'name="a-settle-with"' not in changed


def test_the_checklist_lists_what_to_prepare_and_skips_ahead_only_with_answers(client, demo):
    # Jumping to the end by address stops at the first unanswered required question.
    assert "父母是否为合法婚姻？" in page(client, step=9)
    checklist = page(client, **{"step": 1, "go": "next", "a-parents-married": "yes", "a-social-card": "yes"})
    assert "您的办事清单" in checklist and "需要准备的材料" in checklist
    assert "社会保障卡" in checklist  # the social card item is included for this answer
    assert "少交" in checklist and "登录后开始申请" in checklist
    without_card = page(client, **{"step": 1, "go": "next", "a-parents-married": "yes", "a-social-card": "no"})
    assert without_card.count("<li><strong>") < checklist.count("<li><strong>")


def test_a_signed_in_applicant_sees_what_licenses_spare_and_starts_with_these_answers(client, demo):
    zhangsan = User.objects.get(username="zhangsan")
    client.force_login(zhangsan)
    answers = {"a-parents-married": "yes", "a-social-card": "no"}
    checklist = page(client, step=2, **answers)
    assert "免提交" in checklist and "居民身份证" in checklist
    response = client.post(reverse("portal:apply", args=[NEWBORN]), answers)
    case = Case.objects.get(applicant=zhangsan.applicant)
    assert response["Location"] == reverse("portal:my-case-edit", args=[case.pk])
    assert case.answers == {"parents-married": ["yes"], "social-card": ["no"]}
    # A forged answer is dropped, not stored: the draft asks the question again.
    client.post(reverse("portal:apply", args=[NEWBORN]), {"a-parents-married": "maybe", "a-nonsense": "x"})
    assert Case.objects.filter(applicant=zhangsan.applicant).latest("created_at").answers == {}
