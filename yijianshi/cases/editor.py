"""The application form on pages (portal and window): what to show for a case's draft or correction, and how a
posted page turns into the changes the submission services take.

The services check everything; this module only translates between HTML form fields and their arguments, and
keeps uploads in the same transaction as the change that uses them.
"""

import copy
import re

from django.conf import settings
from django.db.models import F
from django.utils.translation import gettext as _

from yijianshi.cases import submission, substitution
from yijianshi.cases.catalog_target import Target, target_of
from yijianshi.cases.form_data import check_form
from yijianshi.cases.materials import MAX_FILES_PER_MATERIAL, materials_given
from yijianshi.cases.models import APPLICANT_CHANNELS, Case, CaseMaterial, CaseMaterialFile, DeliveryMethod
from yijianshi.cases.pages import attempt, stored_upload
from yijianshi.catalog.plan import OPTIONAL, is_shown
from yijianshi.catalog.selectors import plan_with_commitment_texts
from yijianshi.core.errors import InvalidInput
from yijianshi.files import formats
from yijianshi.files.models import StoredFile
from yijianshi.files.services import file_store
from yijianshi.licenses import profiles

ADDRESS_PARTS = ("recipient", "phone", "address")


def _chosen(answers: dict) -> dict[str, list[str]]:
    return {k: (v if isinstance(v, list) else [v]) for k, v in answers.items() if v not in (None, "", [])}


def visible_questions(target: Target, answers: dict) -> list[dict]:
    """The situation questions to show for these answers (a follow-up appears once its condition is met)."""
    chosen = _chosen(answers)
    return [
        {**q, "answer": chosen.get(q["key"], [])}
        for q in target.snapshot["life_event"]["questions"]
        if is_shown(q, chosen)
    ]


def current_plan(target: Target, answers: dict) -> tuple[dict | None, dict]:
    """The plan for the answers so far, or None with the questions still to answer."""
    try:
        return target.plan(answers), {}
    except InvalidInput as error:
        return None, error.fields


def _files_by_key(case: Case) -> dict[str, list[StoredFile]]:
    """The draft's uploaded files per material key, in order, in one statement."""
    links = (
        CaseMaterialFile.objects.filter(material__case=case, material__kind=CaseMaterial.Kind.FILES)
        .select_related("file")
        .annotate(key=F("material__key"))
        .order_by("material_id", "position")
    )
    files: dict[str, list[StoredFile]] = {}
    for link in links:
        files.setdefault(link.key, []).append(link.file)
    return files


def editor_context(
    case: Case, *, errors: dict | None = None, posted=None, only: set | None = None, user_id: int | None = None
) -> dict:
    """Everything the application form shows: questions, the plan's fields and materials with what the case
    holds (or what was just posted, when it was refused), and the delivery choice. `only` limits fields and
    materials to those keys (a correction asks for what the notice names). `user_id`: who is filling it in (the
    agent's own licenses count only for the agent)."""
    errors = errors or {}
    target = target_of(case)
    plan, question_errors = (case.plan, {}) if case.plan else current_plan(target, case.answers)
    files = _files_by_key(case)
    # What submission will attach instead of an upload: held licenses that verify (免提交).
    held = substitution.verified_for(
        case.applicant_id, (plan or {}).get("materials", []), files, form=case.form_data,
        agent_id=substitution.acting_agent(case, user_id),
    )  # fmt: skip
    # Consented profile values fill what the form does not hold yet; the applicant sees and may change them. Only
    # on the applicant's own channels: at a window, a clerk would be reading a walk-in's profile.
    suggested = (
        profiles.prefill(case.applicant, (plan or {}).get("form", []))
        if case.status == Case.Status.DRAFT and case.channel in APPLICANT_CHANNELS
        else {}
    )
    fields, materials = [], []
    for field in (plan or {}).get("form", []):
        if only is not None and ("field", field["key"]) not in only:
            continue
        value = case.form_data.get(field["key"])
        prefilled = value is None and posted is None and field["key"] in suggested
        if prefilled:
            value = suggested[field["key"]]["value"]
        if posted is not None and field["type"] != "checkbox":
            value = (
                posted.getlist(f"f-{field['key']}")
                if field["type"] == "multiselect"
                else posted.get(f"f-{field['key']}", value)
            )
        fields.append(
            {
                **field,
                "name": f"f-{field['key']}",
                "value": value,
                "values": value if isinstance(value, list) else [],
                "prefilled": suggested[field["key"]]["source"] if prefilled else None,
                "error": errors.get(f"form.{field['key']}"),
            }
        )
    for material in (plan or {}).get("materials", []):
        if only is not None and ("material", material["key"]) not in only:
            continue
        accepted = material["formats"] or list(formats.FORMATS)
        license = held.get(material["key"])
        materials.append(
            {
                **material,
                "name_attr": f"m-{material['key']}",
                "required": material["need"] != OPTIONAL and license is None,
                "license": license,
                "files": files.get(material["key"], []),
                "accept": ",".join(formats.CONTENT_TYPES[f] + ",." + formats.EXTENSIONS[f] for f in accepted),
                "accepted_label": formats.describe(accepted),
                "error": errors.get(f"materials.{material['key']}"),
            }
        )
    return {
        "case": case,
        "commitment_items": (
            commitment_choices(plan, posted, licensed=set(held)) if case.status == Case.Status.DRAFT and plan else []
        ),
        "questions": visible_questions(target, case.answers) if case.status == Case.Status.DRAFT else [],
        # What is still unanswered is said once the applicant has tried to go on, not on first sight.
        "question_errors": {
            k.removeprefix("answers."): v
            for k, v in {**(question_errors if posted is not None else {}), **errors}.items()
            if k.startswith("answers")
        },
        "plan": plan,
        "fields": fields,
        "materials": materials,
        "delivery_methods": DeliveryMethod.choices,
        "errors": errors,
        "upload_max_bytes": settings.YJS_UPLOAD_MAX_BYTES,
    }


MAX_CHOICES = 50


def commitment_choices(plan: dict, posted=None, *, licensed=frozenset()) -> list[dict]:
    """The items whose 告知承诺书 the applicant may sign here, with the text in force and the materials the promise
    replaces or lets be supplied later (each with whether the page just posted it chosen)."""
    plan = plan_with_commitment_texts(copy.deepcopy(plan))
    names = {m["key"]: m["name"] for m in plan["materials"]}
    signed = set(posted.getlist("commit")) if posted is not None else set()
    deferred = set(posted.getlist("defer")) if posted is not None else set()
    items = []
    for item in plan["items"]:
        commitment = item.get("commitment")
        if not commitment or not commitment.get("text_version"):
            continue
        value = f"{item['code']}:{commitment['text_version']}"
        items.append(
            {
                "code": item["code"], "name": item["name"], "value": value, "signed": value in signed,
                "version": commitment["text_version"], "conditions": commitment["conditions"],
                "content": commitment["content"], "liability": commitment["liability"],
                "replaces": [names[k] for k in commitment["replaces"] if k in names],
                "deferrable": [{"key": k, "name": names[k], "chosen": k in deferred}
                               for k in commitment["deferrable"] if k in names and k not in licensed],
                "deferral_days": commitment["deferral_days"],
            }
        )  # fmt: skip
    return items


def choices_from(post) -> dict:
    """告知承诺 signed (`commit` = "<item code>:<text version>", ticked after reading) and materials to supply later
    (`defer` = material key), as the submission services take them."""
    commitments = []
    for value in post.getlist("commit")[:MAX_CHOICES]:
        code, _sep, version = value.partition(":")
        number = int(version) if re.fullmatch(r"[0-9]{1,9}", version) else 0
        commitments.append({"item": code[:36], "version": number, "confirmed": True})
    return {"commitments": commitments, "deferred": list(dict.fromkeys(post.getlist("defer")))[:MAX_CHOICES]}


def answers_from(post, case: Case) -> dict:
    """The situation answers on a posted page (unanswered questions left out)."""
    answers = {}
    for question in target_of(case).snapshot["life_event"]["questions"]:
        values = [v for v in post.getlist(f"q-{question['key']}") if v]
        if values:
            answers[question["key"]] = values if question["multiple"] else values[0]
    return answers


def _value(field: dict, post):
    name = f"f-{field['key']}"
    if field["type"] == "checkbox":
        return post.get(name) == "on"
    if field["type"] == "multiselect":
        return [v for v in post.getlist(name) if v] or None
    raw = (post.get(name) or "").strip()
    if raw == "":
        return None
    if field["type"] == "number":
        for kind in (int, float):
            try:
                return kind(raw)
            except ValueError:
                continue
    return raw


def form_from(post, plan: dict, only: set | None = None) -> dict:
    """The joint-form values on a posted page, typed as the API takes them; an emptied field is removed."""
    return {
        field["key"]: _value(field, post)
        for field in plan["form"]
        if (only is None or ("field", field["key"]) in only)
        and (f"f-{field['key']}" in post or field["type"] in ("checkbox", "multiselect"))
    }


def materials_from(request, case: Case, plan: dict, *, by, only: set | None = None) -> dict:
    """Store the files uploaded for each material (checked by content against its formats) and return the new
    file lists: what the case holds, minus files ticked for removal, plus the new uploads. Call inside the
    transaction that applies the change, so a refused change keeps no upload."""
    refused = getattr(request, "refused_uploads", {})
    problems, changes = {}, {}
    held = materials_given(case)
    removed = set(request.POST.getlist("remove"))
    for material in plan["materials"]:
        key = material["key"]
        if only is not None and ("material", key) not in only:
            continue
        field = f"materials.{key}"
        if f"m-{key}" in refused:
            problems[field] = refused[f"m-{key}"]
            continue
        kept = [str(i) for i in held.get(key, []) if str(i) not in removed]
        uploads = request.FILES.getlist(f"m-{key}")
        if len(kept) + len(uploads) > MAX_FILES_PER_MATERIAL:
            problems[field] = _("每项材料最多 %(n)d 个文件") % {"n": MAX_FILES_PER_MATERIAL}
            continue
        added = []
        for upload in uploads:
            try:
                stored = file_store(
                    upload=upload,
                    name=upload.name or "",
                    user=by.user,
                    field=field,
                    allowed=material["formats"] or formats.FORMATS,
                )
            except InvalidInput as error:
                problems.update(error.fields)
                break
            stored_upload(request, stored)
            added.append(str(stored.pk))
        if added or len(kept) != len(held.get(key, [])):
            changes[key] = kept + added or None
    if problems:
        raise InvalidInput.for_fields(problems)
    return changes


def delivery_from(post) -> dict:
    method = post.get("delivery")
    if method not in DeliveryMethod.values:
        raise InvalidInput.for_field("delivery.method", _("请选择结果送达方式"))
    address = {part: (post.get(f"address-{part}") or "").strip() for part in ADDRESS_PARTS}
    return {"method": method, "address": address if method == DeliveryMethod.MAIL else None}


def draft_post(request, case: Case, by) -> tuple[bool, dict]:
    """Apply a posted application page to its draft: the answers alone (确定情形), or everything on the page, then
    submit it when the page asked to. Return (done, field errors)."""
    action = request.POST.get("action")

    def save():
        answers = answers_from(request.POST, case)
        changes = {"answers": answers}
        plan, _problems = current_plan(target_of(case), answers)
        if plan is not None and action != "answers":
            changes["form"] = form_from(request.POST, plan)
            changes["materials"] = materials_from(request, case, plan, by=by)
            changes["delivery"] = delivery_from(request.POST)
        submission.case_update_draft(case_id=case.pk, by=by, **changes)

    done, errors = attempt(request, save)
    if done and action == "submit":
        choices = choices_from(request.POST)
        done, errors = attempt(request, lambda: submission.case_submit(case_id=case.pk, by=by, choices=choices))
    return done, errors


# The page's inputs for the services' field paths (form.name → f-name), so its script can mark the right input.
INPUT_PREFIXES = (("form.", "f-"), ("answers.", "q-"), ("materials.", "m-"))


def input_errors(problems: dict) -> dict:
    named = {}
    for key, message in problems.items():
        prefix, name = next(((p, n) for p, n in INPUT_PREFIXES if key.startswith(p)), ("", ""))
        named[name + key.removeprefix(prefix) if prefix else key] = message
    return named


def draft_autosave(post, case: Case, by) -> tuple[bool, dict]:
    """Save what can be saved of a page being filled in (its script posts it when typing pauses): the answers, the
    form values that pass their checks and the delivery choice. A value that fails keeps its saved one and is
    reported, in the services' words. Nothing is written when nothing changed, so the trail records changes, not
    keystrokes. Return (saved, problems)."""
    answers = answers_from(post, case)
    changes, problems = {}, {}
    if answers != case.answers:
        changes["answers"] = answers
    plan, _unanswered = current_plan(target_of(case), answers)
    if plan is not None:
        given = form_from(post, plan)
        cleaned, problems = check_form(plan["form"], given, complete=False)
        form = {k: cleaned.get(k) for k, v in given.items() if f"form.{k}" not in problems}
        if submission.merged(case.form_data, form) != case.form_data:
            changes["form"] = form
        if post.get("delivery") in DeliveryMethod.values:
            delivery = delivery_from(post)
            if (delivery["method"], delivery["address"] or {}) != (case.delivery_method, case.delivery_address or {}):
                changes["delivery"] = delivery
    if not changes:
        return False, problems
    try:
        submission.case_update_draft(case_id=case.pk, by=by, **changes)
    except InvalidInput as error:
        return False, problems | error.fields
    return True, problems


def draft_upload(request, case: Case, by) -> dict[str, list[StoredFile]]:
    """Attach the files posted for one or more materials to a draft at once (the page uploads each as it is
    chosen, with progress); checked by content like any upload. Return the files each material now holds."""
    basis = target_of(case).everything()  # a draft may hold any material the bundle could ask for
    keys = {m["key"] for m in basis["materials"] if f"m-{m['key']}" in request.FILES}
    if not keys:
        raise InvalidInput.for_field("materials", _("请选择要上传的文件"))
    changes = materials_from(request, case, basis, by=by, only={("material", key) for key in keys})
    submission.case_update_draft(case_id=case.pk, by=by, materials=changes)
    files = _files_by_key(case)
    return {key: files.get(key, []) for key in keys}


def _shown_value(field: dict, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if field["type"] == "checkbox":
        return _("是") if value else _("否")
    labels = {o["value"]: o["label"] for o in field.get("options") or ()}
    if field["type"] == "multiselect":
        return "、".join(labels.get(v, v) for v in value)
    return str(labels.get(value, value))


def submission_summary(case: Case, content: submission.Content, posted) -> dict:
    """What the applicant is about to submit, in words (the page before 确认提交), from the submission's own
    check (`case_submit_check`): the situation, every form value, each material and how it is provided, the
    promises signed and the delivery."""
    plan, held, files = content.plan, content.licenses, content.files
    signed = [c for c in commitment_choices(plan, posted, licensed=set(held)) if c["signed"]]
    replaced = {name for c in signed for name in c["replaces"]}
    deferred = {m["key"]: c["deferral_days"] for c in signed for m in c["deferrable"] if m["chosen"]}
    materials = []
    for material in plan["materials"]:
        key, license = material["key"], held.get(material["key"])
        if files.get(key):
            how = _("已上传：%(names)s") % {"names": "、".join(f.name for f in files[key])}
        elif license is not None:
            how = _("免提交：引用电子证照“%(name)s”") % {"name": license.name}
        elif key in deferred:
            how = _("容缺后补：受理后 %(days)d 个工作日内补交") % {"days": deferred[key]}
        elif material["name"] in replaced:
            how = _("以告知承诺代替")
        else:
            how = _("未提交") + ("" if material["need"] != OPTIONAL else _("（非必要）"))
        materials.append({"name": material["name"], "how": how, "missing": how.startswith(_("未提交"))})
    questions = visible_questions(target_of(case), case.answers)
    return {
        "answers": [
            {"text": q["text"], "answer": "、".join(o["label"] for o in q["options"] if o["key"] in q["answer"])}
            for q in questions
        ],
        "fields": [{"label": f["label"], "value": _shown_value(f, case.form_data.get(f["key"]))} for f in plan["form"]],
        "materials": materials,
        "signed": signed,
        "items": plan["items"],
        "delivery": case.get_delivery_method_display(),
        "address": case.delivery_address if case.delivery_method == DeliveryMethod.MAIL else None,
    }
