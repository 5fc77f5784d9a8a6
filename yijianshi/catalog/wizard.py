"""The situation wizard's state: one question at a time, answers carried in the page address.

Whatever arrives is cleaned the way `resolve_answers` would judge it: unknown options and answers to questions that
are not (or no longer) shown are dropped, so going back and changing an earlier answer never leaves a stale answer to
a question that has disappeared.
"""

from collections.abc import Mapping

from yijianshi.catalog.plan import is_shown


def wizard_answers(questions: list[dict], given: Mapping[str, list[str]]) -> tuple[dict[str, list[str]], list[dict]]:
    """The answers that count, and the questions shown for them, in order."""
    answers: dict[str, list[str]] = {}
    shown = []
    for question in questions:
        if not is_shown(question, answers):
            continue
        shown.append(question)
        valid = [o["key"] for o in question["options"]]
        picked = [key for key in dict.fromkeys(given.get(question["key"], ())) if key in valid]
        if picked:
            answers[question["key"]] = picked if question["multiple"] else picked[:1]
    return answers, shown
