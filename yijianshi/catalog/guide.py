"""The public guide (办事指南): the 16 standard elements, for one item and for a whole life event.

Each element is a label with either lines of text or, for materials, table rows. Templates render them as a page and
as a printable PDF (`catalog.documents`).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CASE_KINDS = {1: gettext_lazy("即办件"), 2: gettext_lazy("承诺件")}
UNITS = {"working_days": gettext_lazy("个工作日"), "calendar_days": gettext_lazy("个自然日")}
CHANNEL_LABELS = [
    ("window", gettext_lazy("窗口办理")),
    ("online", gettext_lazy("网上办理")),
    ("express", gettext_lazy("快递收件和寄送")),
    ("appointment", gettext_lazy("网上预约")),
    ("pay_online", gettext_lazy("网上缴费")),
]
DELIVERY = {
    "window": gettext_lazy("综合窗口领取"),
    "mail": gettext_lazy("免费邮寄"),
    "electronic": gettext_lazy("电子证照/电子文书"),
}
RESULT_TYPES = {
    "approval": gettext_lazy("审批"),
    "certificate": gettext_lazy("证照"),
    "proof": gettext_lazy("证明"),
    "report": gettext_lazy("鉴定报告"),
    "other": gettext_lazy("其他"),
}
NEED = {1: gettext_lazy("必要"), 2: gettext_lazy("非必要"), 3: gettext_lazy("容缺后补")}
FORM = {1: gettext_lazy("纸质"), 2: gettext_lazy("电子"), 3: gettext_lazy("纸质或电子")}
SOURCE = {10: gettext_lazy("申请人自备"), 20: gettext_lazy("政府部门核发"), 99: gettext_lazy("其他")}
AREA = {"city": gettext_lazy("全市通办"), "province": gettext_lazy("全省通办"), "national": gettext_lazy("跨省通办")}
STEP_KINDS = {
    "accept": gettext_lazy("受理"),
    "review": gettext_lazy("审查"),
    "inspect": gettext_lazy("现场核查"),
    "decide": gettext_lazy("决定"),
    "deliver": gettext_lazy("送达"),
    "other": gettext_lazy("其他"),
}
SAMPLE_NOTICE = gettext_lazy("本指南为演示用样例数据，不作为办事依据；正式内容以当地政务服务中心公布的为准。")


def limit_text(limit: dict) -> str:
    return f"{limit['value']} {UNITS[limit['unit']]}"


def material_rows(materials: list[dict]) -> list[dict]:
    return [
        {
            "key": m["key"],
            "name": m["name"],
            "need": NEED[m["need"]],
            "form": FORM[m["form"]],
            "copies": _("原件 %(o)d 份，复印件 %(c)d 份") % {"o": m["originals"], "c": m["copies"]},
            "source": SOURCE[m["source"]] + (f"（{m['issuing_department']}）" if m["issuing_department"] else ""),
            "standard": m["acceptance_standard"],
            "license": bool(m["license_type"]),
        }
        for m in materials
    ]


def _element(label: str, *, lines: list[str] | None = None, table: list[dict] | None = None) -> dict:
    return {"label": label, "lines": [line for line in (lines or []) if line], "table": table}


def item_guide(item: dict, department_name: str) -> dict:
    """The 16 elements of one item's guide."""
    channels = [label for key, label in CHANNEL_LABELS if item["channels"][key]]
    service = item["service"]
    return {
        "code": item["code"],
        "name": item["name"],
        "department": department_name,
        "sample": item["sample"],
        "elements": [
            _element(_("适用范围"), lines=[item["applicable_to"], AREA[item["handle_area"]]]),
            _element(_("办件类型"), lines=[CASE_KINDS[item["case_kind"]]]),
            _element(
                _("办理方式"),
                lines=[
                    "、".join(map(str, channels)),
                    _("网办深度：%(d)s 级") % {"d": item["channels"]["online_depth"]},
                ],
            ),
            _element(_("现场办事次数"), lines=[_("%(n)d 次") % {"n": item["visits"]}]),
            _element(_("设定依据"), lines=item["legal_basis"].splitlines()),
            _element(_("办理条件"), lines=item["conditions"].splitlines()),
            _element(_("申办材料"), table=material_rows([m for m in item["materials"] if m["default"]])),
            _element(
                _("办理流程"),
                lines=[
                    f"{index}. {STEP_KINDS[s['kind']]}：{s['name']}（{limit_text(s['limit'])}）"
                    for index, s in enumerate(item["steps"], start=1)
                ],
            ),
            _element(
                _("办理时限"),
                lines=[
                    _("法定时限：%(t)s") % {"t": limit_text(item["statutory_limit"])},
                    _("承诺时限：%(t)s") % {"t": limit_text(item["promised_limit"])},
                    item["limit_note"],
                    *(
                        _("特别程序：%(n)s（%(t)s，不计入办理时限）") % {"n": p["name"], "t": limit_text(p["limit"])}
                        for p in item["special_procedures"]
                    ),
                ],
            ),
            _element(
                _("收费依据及标准"),
                lines=[f"{f['name']}：{f['standard']}（{f['basis']}）" for f in item["fees"]] or [_("不收费")],
            ),
            _element(_("审批结果"), lines=[f"{item['result']['name']}（{RESULT_TYPES[item['result']['type']]}）"]),
            _element(_("结果送达"), lines=["、".join(str(DELIVERY[d]) for d in item["result"]["delivery"])]),
            _element(_("办理地址和时间"), lines=[service["address"], service["office_hours"]]),
            _element(_("咨询方式"), lines=[service["consultation"]]),
            _element(
                _("进程和结果查询"),
                lines=[service["progress_query"] or _("登录办事大厅“我的办件”查询，或拨打咨询电话")],
            ),
            _element(_("监督投诉渠道"), lines=[service["complaint"] or _("12345 政务服务便民热线")]),
        ],
    }


def life_event_guide(snapshot: dict, plan: dict) -> dict:
    """The bundle's 16 elements (from its plan with answers that change nothing), then each item's guide."""
    event, items, departments = snapshot["life_event"], snapshot["items"], snapshot["departments"]
    codes = [i["code"] for i in plan["items"]]

    def union(lines):
        return list(dict.fromkeys(line for line in lines if line))

    lead = departments[event["lead_department"]]["name"]
    members = sorted({departments[items[c]["department"]]["name"] for c in codes} - {lead})
    reductions = plan["reductions"]
    return {
        "code": event["code"],
        "name": event["name"],
        "department": lead,
        "members": members,
        "sample": event["sample"],
        "reductions": reductions,
        "elements": [
            _element(_("适用范围"), lines=[event["description"]]),
            _element(_("办件类型"), lines=[_("联办件：%(n)d 个事项一次申请、并联办理") % {"n": len(codes)}]),
            _element(
                _("办理方式"),
                lines=union(
                    "、".join(str(label) for key, label in CHANNEL_LABELS if items[c]["channels"][key]) for c in codes
                ),
            ),
            _element(_("现场办事次数"), lines=[_("最多 %(n)d 次") % {"n": reductions["visits"]["after"]}]),
            _element(_("设定依据"), lines=union(f"{items[c]['name']}：{items[c]['legal_basis']}" for c in codes)),
            _element(_("办理条件"), lines=union(f"{items[c]['name']}：{items[c]['conditions']}" for c in codes)),
            _element(_("申办材料"), table=material_rows(plan["materials"])),
            _element(
                _("办理流程"),
                lines=[
                    _("综合窗口一次受理"),
                    *(
                        _("第 %(n)d 批并联办理：%(items)s")
                        % {"n": index, "items": "、".join(items[c]["name"] for c in lane)}
                        for index, lane in enumerate(plan["flow"]["lanes"], start=1)
                    ),
                    _("综合窗口统一出件"),
                ],
            ),
            _element(
                _("办理时限"),
                lines=[
                    _("%(days)d 个工作日（各事项分别办理共需 %(before)d 个工作日）")
                    % {"days": reductions["days"]["after"], "before": reductions["days"]["before"]}
                ],
            ),
            _element(
                _("收费依据及标准"),
                lines=union(f"{f['name']}：{f['standard']}" for c in codes for f in items[c]["fees"]) or [_("不收费")],
            ),
            _element(
                _("审批结果"),
                lines=[f"{items[c]['result']['name']}（{departments[items[c]['department']]['name']}）" for c in codes],
            ),
            _element(
                _("结果送达"),
                lines=union("、".join(str(DELIVERY[d]) for d in items[c]["result"]["delivery"]) for c in codes),
            ),
            _element(
                _("办理地址和时间"),
                lines=union(
                    line
                    for c in codes
                    for line in (items[c]["service"]["address"], items[c]["service"]["office_hours"])
                ),
            ),
            _element(_("咨询方式"), lines=union(items[c]["service"]["consultation"] for c in codes)),
            _element(_("进程和结果查询"), lines=[_("登录办事大厅“我的办件”查看每个部门的办理进度")]),
            _element(_("监督投诉渠道"), lines=[_("12345 政务服务便民热线")]),
        ],
        "items": [item_guide(items[c], departments[items[c]["department"]]["name"]) for c in codes],
    }
