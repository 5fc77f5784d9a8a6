"""Public catalog pages: the "三个一" of each life event (guide, joint form, flow chart), item guides, search."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yijianshi.catalog import selectors
from yijianshi.catalog.documents import pdf_from_template
from yijianshi.catalog.flowchart import flow_svg
from yijianshi.catalog.guide import SAMPLE_NOTICE, item_guide, life_event_guide
from yijianshi.catalog.plan import complete_plan, compute_plan, full_bundle_answers
from yijianshi.catalog.search import search as catalog_search
from yijianshi.core.errors import NotFound
from yijianshi.portal.reductions import reduction_words


def published_or_404(load, code: str) -> dict:
    try:
        return load(code)
    except NotFound as error:
        raise Http404 from error


def _bundle(code: str) -> tuple[dict, dict]:
    snapshot = published_or_404(selectors.life_event_snapshot, code)
    return snapshot, compute_plan(snapshot, full_bundle_answers(snapshot["life_event"]["questions"]))


def _pdf(request, template: str, context: dict, filename: str) -> HttpResponse:
    pdf = pdf_from_template(template, context, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{filename}"
    return response


def _with_files(guides: list[dict], item_codes) -> None:
    """Link each material row to its blank form and sample where an administrator uploaded them."""
    files = selectors.material_files(item_codes)
    for guide in guides:
        for element in guide["elements"]:
            for row in element["table"] or ():
                for kind, item_code in files.get(row["key"], {}).items():
                    row.setdefault("files", []).append(
                        {
                            "label": _("空白表格") if kind == "blank-form" else _("示例样表"),
                            "url": reverse("portal:material-file", args=[item_code, row["key"], kind]),
                        }
                    )


def _guide_context(code: str) -> dict:
    snapshot, plan = _bundle(code)
    guide = life_event_guide(snapshot, plan)
    _with_files([guide, *guide["items"]], snapshot["items"])
    return {
        "guide": guide,
        "plan": plan,
        "flow_svg": flow_svg(plan["flow"], title=snapshot["life_event"]["name"]),
        "savings": reduction_words(plan["reductions"]),
        "sample_notice": SAMPLE_NOTICE,
    }


@require_GET
def life_event_guide_page(request, code):
    return render(request, "portal/life_event_guide.html", _guide_context(code))


@require_GET
def life_event_guide_pdf(request, code):
    context = _guide_context(code)
    return _pdf(request, "portal/print/guide.html", context, f"{code}-guide.pdf")


def _form_context(code: str) -> dict:
    snapshot = published_or_404(selectors.life_event_snapshot, code)
    return {"event": snapshot["life_event"], "plan": complete_plan(snapshot), "sample_notice": SAMPLE_NOTICE}


@require_GET
def life_event_form_page(request, code):
    return render(request, "portal/life_event_form.html", _form_context(code))


@require_GET
def life_event_form_pdf(request, code):
    return _pdf(request, "portal/print/form.html", _form_context(code), f"{code}-form.pdf")


@require_GET
def life_event_flow(request, code):
    snapshot, plan = _bundle(code)
    return HttpResponse(flow_svg(plan["flow"], title=snapshot["life_event"]["name"]), content_type="image/svg+xml")


def _item_context(code: str) -> dict:
    snapshot = published_or_404(selectors.item_snapshot, code)
    item = snapshot["items"][code]
    guide = item_guide(item, snapshot["departments"][item["department"]]["name"])
    _with_files([guide], [code])
    return {"guide": guide, "sample_notice": SAMPLE_NOTICE}


@require_GET
def material_file(request, code, key, kind):
    """A material's blank form or sample, as uploaded in admin, for download."""
    try:
        stored = selectors.material_file(item_code=code, key=key, kind=kind)
    except NotFound as error:
        raise Http404 from error
    return FileResponse(stored.open("rb"), as_attachment=True, filename=stored.name.rsplit("/", 1)[-1])


@require_GET
def item_guide_page(request, code):
    return render(request, "portal/item_guide.html", _item_context(code))


@require_GET
def item_guide_pdf(request, code):
    return _pdf(request, "portal/print/item_guide.html", _item_context(code), f"{code}-guide.pdf")


@require_GET
def search_page(request):
    query = request.GET.get("q", "").strip()[:50].replace("\x00", "")
    results = catalog_search(query, limit=20) if query else {"query": "", "terms": [], "results": []}
    return render(
        request,
        "portal/search.html",
        {
            "query": query,
            "results": results["results"],
            "hint": _("可以用日常说法搜索，例如“生孩子”“开饭店”“办退休”。"),
        },
    )
