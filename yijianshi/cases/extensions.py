"""Where a higher domain takes part in the case engine without the engine importing it.

Commitments (告知承诺, 容缺受理, 事后核查, 信用, 秒批) sit above cases in the dependency order. Its AppConfig.ready
registers one `CaseExtension`; the engine calls every registered one at these points, inside the transaction of the
step (the case and its tasks locked where the step locks them). The base class does nothing, so an extension
overrides only what it needs."""


class CaseExtension:
    def check_choices(
        self, *, applicant_id, plan: dict, choices: dict, given: dict, licensed: set
    ) -> tuple[dict, dict, object]:
        """Check the applicant's choices (commitments signed, materials deferred) against the plan, what they gave
        (material key → files) and the materials their e-licenses stand in for. Return (problems by field, waived
        material key → CaseMaterial kind, what to record after submission)."""
        return {}, {}, None

    def submitted(self, case, *, accepted, by, role: str) -> None:
        """After a (re)submission is written: record what `check_choices` accepted (not None). It may change the
        plan and append events with the head kept in memory: the caller saves both."""

    def after_submit(self, case, *, by) -> None:
        """After the submission's transaction part is done (the case is locked): e.g. decide it at once (秒批)."""

    def accepted(self, case, tasks, *, by, role: str, calendar, today) -> None:
        """After acceptance, before the case is saved (deadlines of deferred materials, the acceptance notice)."""

    def before_decision(self, case, task, *, decision: str) -> None:
        """Refuse a decision that may not be taken yet (raise Conflict)."""

    def decided(self, case, task, *, decision: str, by, role: str) -> None:
        """After a decision is written (post-checks to schedule, credit to repair)."""


_extensions: list[CaseExtension] = []


def extension_register(extension: CaseExtension) -> None:
    if not any(type(e) is type(extension) for e in _extensions):
        _extensions.append(extension)


def extensions() -> list[CaseExtension]:
    return list(_extensions)
