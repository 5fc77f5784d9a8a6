"""What a signed-in applicant's plan adds (registered with `catalog.personal`): the licenses they hold that stand in
for materials (免提交, counted in the reductions), and form values from their profile where they consented."""

from yijianshi.accounts.models import Applicant
from yijianshi.licenses import profiles
from yijianshi.licenses.selectors import licenses_for_materials


def plan_for_applicant(plan: dict, principal) -> dict:
    user = getattr(principal, "user", None)
    if user is None or not user.is_applicant or principal.acting_applicant_id is None:
        return plan
    applicant = Applicant.objects.get(pk=principal.acting_applicant_id)
    held = licenses_for_materials(applicant.pk, plan["materials"])
    materials = []
    for material in plan["materials"]:
        license = held.get(material["key"])
        substitute = (
            {"identifier": license.identifier, "name": license.name, "number": license.number,
             "issuer_name": license.issuer_name}
            if license is not None else None
        )  # fmt: skip
        materials.append({**material, "substitute": substitute})
    substituted = sum(1 for m in materials if m["substitute"])
    values = profiles.prefill(applicant, plan["form"])
    counted = plan["reductions"]["materials"]
    return {
        **plan,
        "materials": materials,
        "form": [{**field, "prefilled": values.get(field["key"])} for field in plan["form"]],
        "reductions": {
            **plan["reductions"],
            "materials": {**counted, "after": counted["after"] - substituted, "substituted": substituted},
        },
    }
