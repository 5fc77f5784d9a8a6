"""免提交 (license substitution): a material the plan asks for, whose license type the applicant holds as a valid
e-license, is satisfied by a verified reference to that license instead of an upload. An upload the applicant
makes anyway wins (they may prefer it); a license that is no longer valid at resubmission asks for an upload again.

Departments that handle the case read the license through the case; each such read is in the holder's
data-access trail (`licenses.trail`)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from yijianshi.accounts.models import Applicant, User
from yijianshi.cases.models import Case, CaseMaterial
from yijianshi.licenses import trail
from yijianshi.licenses.models import DataAccess, License
from yijianshi.licenses.selectors import license_fields, license_summary, licenses_for_materials
from yijianshi.licenses.verification import VALID, verify_identifiers


def verified_for(
    applicant_id: int | None, materials: list[dict], files: dict, *, form: dict, agent_id: int | None = None
) -> dict[str, License]:
    """The licenses to attach: for materials without files, held licenses whose signature and status verify. A
    material about a person the form names (the mother's ID card…) takes that person's license only when they are
    the applicant or the person acting for them (`agent_id`, a user)."""
    wanted = [m for m in materials if not files.get(m["key"])]
    owners = _owners(wanted, form, applicant_id=applicant_id, agent_id=agent_id)
    held = licenses_for_materials(applicant_id, wanted, owners=owners)
    verdicts = verify_identifiers({license.identifier for license in held.values()})
    return {key: license for key, license in held.items() if verdicts[license.identifier].result == VALID}


def acting_agent(case: Case, user_id: int | None) -> int | None:
    """The case's agent when the agent is the one filling it in: their own licenses are theirs to hand in, not the
    applicant's or another member's (who may write the agent's ID number into a holder field)."""
    return case.agent_id if user_id is not None and user_id == case.agent_id else None


def _owners(materials: list[dict], form: dict, *, applicant_id, agent_id) -> dict[str, int]:
    """Material key → the applicant whose license may stand in for a material that names its holder: the one whose
    ID number the holder field holds, if that is the applicant or the agent's own person."""
    named = {
        m["key"]: str(form.get(m["license_holder"]) or "").strip().upper()
        for m in materials
        if m.get("license_type") and m.get("license_holder")
    }
    if not any(named.values()) or applicant_id is None:
        return {}
    people = Q(pk=applicant_id)
    if agent_id is not None:
        people |= Q(pk__in=User.objects.filter(pk=agent_id, applicant__isnull=False).values("applicant_id"))
    by_number = {number.upper(): pk for number, pk in Applicant.objects.filter(people).values_list("id_number", "pk")}
    return {key: by_number[number] for key, number in named.items() if number in by_number}


def license_materials(case: Case, rows: list[CaseMaterial], principal, *, departments: dict) -> dict[str, dict]:
    """Material key → what a reader of the case sees of the license it references: the live verdict and the
    license's data. A reader other than the holder is recorded in the holder's trail, with the department they
    read for (`departments`: material key → Department)."""
    wanted = {m.key: m.license_identifier for m in rows if m.kind == CaseMaterial.Kind.LICENSE}
    if not wanted:
        return {}
    seen, verdicts = {}, verify_identifiers(set(wanted.values()))
    for key, identifier in wanted.items():
        verdict = verdicts[identifier]
        license = verdict.license
        view = {"identifier": identifier, "result": verdict.result, "reason": verdict.reason, "license": None}
        if license is not None:
            data = license_fields(license, public_only=False)
            view["license"] = {**license_summary(license), "data": data}
            trail.access_record(
                principal=principal, subject_id=license.holder_id, kind=DataAccess.Kind.LICENSE, license=license,
                purpose=_("办理办件 %(number)s：以电子证照“%(name)s”代替纸质材料") % {
                    "number": case.number or "", "name": license.name},
                fields=[row["label"] for row in data] or [license.name],
                department=departments.get(key), case_id=case.pk, case_number=case.number or "",
            )  # fmt: skip
        seen[key] = view
    return seen
