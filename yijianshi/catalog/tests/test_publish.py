"""Publishing from admin: validated like an import, previewed before, frozen after."""

import pytest

from yijianshi.catalog import selectors, services
from yijianshi.catalog.importer import catalog_import
from yijianshi.catalog.models import LifeEvent, LifeEventVersion, ServiceItem, Status
from yijianshi.catalog.tests import builders as b
from yijianshi.demo.accounts import load_regions

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundle():
    load_regions()
    catalog_import(
        text=b.as_yaml(
            b.catalog(
                items=[
                    b.item("A", days=4, result={"name": "证", "type": "certificate", "material_key": "a-cert"}),
                    b.item("B", days=6, materials=[b.material("id-card"), b.material("a-cert")]),
                ],
                life_events=[b.life_event("LE", ["A", "B"])],
            )
        )
    )
    return LifeEvent.objects.get(code="LE")


@pytest.fixture
def catalog_admin(client, make_staff):
    from yijianshi.accounts.tests.factories import city

    client.force_login(make_staff("catalog_admin", region=city()))
    return client


def test_an_admin_changes_an_item_and_sees_the_preview_change_before_publishing(catalog_admin, bundle):
    page = catalog_admin.get(f"/admin/catalog/lifeevent/{bundle.pk}/preview/").content.decode()
    assert "10 → 10" in page  # days: A then B, waiting for A's certificate
    ServiceItem.objects.filter(code="B").update(promised_limit=2)
    page = catalog_admin.get(f"/admin/catalog/lifeevent/{bundle.pk}/preview/").content.decode()
    assert "6 → 6" in page
    # The published plan is unchanged until the life event is published again.
    assert selectors.plan_for_answers(code="LE", answers={})["reductions"]["days"]["after"] == 10


def test_publishing_from_the_preview_freezes_a_new_version_and_keeps_the_old(catalog_admin, bundle):
    ServiceItem.objects.filter(code="B").update(promised_limit=2)
    services.item_publish(item=ServiceItem.objects.get(code="B"))
    response = catalog_admin.post(f"/admin/catalog/lifeevent/{bundle.pk}/publish/", follow=True)
    assert "已发布第 2 版" in response.content.decode()
    assert selectors.plan_for_answers(code="LE", answers={})["reductions"]["days"]["after"] == 6
    first = LifeEventVersion.objects.get(life_event=bundle, version=1).snapshot
    assert first["items"]["B"]["promised_limit"]["value"] == 6


def test_publishing_twice_without_changes_adds_no_version(bundle):
    services.life_event_publish(life_event=bundle)
    services.life_event_publish(life_event=bundle)
    assert LifeEventVersion.objects.filter(life_event=bundle).count() == 1


def test_publishing_refuses_what_an_import_would_refuse(catalog_admin, bundle):
    ServiceItem.objects.filter(code="A").update(status=Status.WITHDRAWN)
    page = catalog_admin.get(f"/admin/catalog/lifeevent/{bundle.pk}/preview/").content.decode()
    assert "事项 A 尚未发布或已撤销" in page
    response = catalog_admin.post(f"/admin/catalog/lifeevent/{bundle.pk}/publish/", follow=True)
    assert "事项 A 尚未发布" in response.content.decode()
    assert LifeEventVersion.objects.filter(life_event=bundle).count() == 1


def test_a_dependency_cycle_is_refused_on_publish(bundle):
    a, b_member = bundle.members.order_by("order")
    a.depends_on.add(b_member)  # A waits for B, and B needs A's certificate
    with pytest.raises(services.PublishRefused) as caught:
        services.life_event_publish(life_event=bundle)
    assert "循环依赖" in caught.value.message


def test_an_item_with_a_promised_limit_beyond_the_statutory_one_is_refused(bundle):
    item = ServiceItem.objects.get(code="A")
    item.promised_limit = 99
    item.save()
    with pytest.raises(services.PublishRefused) as caught:
        services.item_publish(item=item)
    assert caught.value.fields == {"promised_limit": "承诺时限不能超过法定时限。"}


def test_the_preview_takes_chosen_answers(catalog_admin, bundle):
    response = catalog_admin.get(f"/admin/catalog/lifeevent/{bundle.pk}/preview/", {"unknown": "x"})
    assert response.status_code == 200
    assert "并联审批流程图" in response.content.decode()


def test_catalog_admins_see_only_their_regions_life_events(client, make_staff, bundle):
    from yijianshi.accounts.tests.factories import RegionFactory

    client.force_login(
        make_staff("catalog_admin", region=RegionFactory(code="440300000000", name="深圳市", parent=None))
    )
    assert client.get(f"/admin/catalog/lifeevent/{bundle.pk}/preview/").status_code == 404
    # Regression: this once searched the page for "LE", which a random CSRF token can contain.
    assert client.get("/admin/catalog/lifeevent/").context["cl"].result_count == 0


def test_the_preview_lists_a_cycle_instead_of_failing(catalog_admin, bundle):
    # Regression: a dependency cycle made the preview (and the redirect after a refused publish) a 500.
    a, b_member = bundle.members.order_by("order")
    a.depends_on.add(b_member)
    response = catalog_admin.get(f"/admin/catalog/lifeevent/{bundle.pk}/preview/")
    assert response.status_code == 200
    assert "循环依赖" in response.content.decode()
    refused = catalog_admin.post(f"/admin/catalog/lifeevent/{bundle.pk}/publish/", follow=True)
    assert "循环依赖" in refused.content.decode()


def test_published_versions_cannot_be_deleted(catalog_admin, bundle):
    # Regression: deleting a version let its number be reused for different content.
    version = LifeEventVersion.objects.get(life_event=bundle)
    catalog_admin.post(f"/admin/catalog/lifeeventversion/{version.pk}/delete/", {"post": "yes"})
    assert LifeEventVersion.objects.filter(pk=version.pk).exists()
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        bundle.delete()


def test_admin_refuses_json_that_an_import_would_refuse(catalog_admin, bundle):
    # Regression: malformed fees or shown_when saved in admin made preview, publish and export fail later.
    from django.core.exceptions import ValidationError

    from yijianshi.catalog.models import Question

    item = ServiceItem.objects.get(code="A")
    item.fees = [{"foo": 1}]
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert "不允许的键：foo" in str(caught.value.message_dict["fees"])
    question = Question(life_event=bundle, key="q", text="问题", shown_when=[{"question": "x"}])
    with pytest.raises(ValidationError) as caught:
        question.full_clean()
    assert "缺少必填项：options" in str(caught.value.message_dict["shown_when"])


def test_publishing_checks_the_schema_too(bundle):
    ServiceItem.objects.filter(code="A").update(fees=[{"foo": 1}])
    with pytest.raises(services.PublishRefused) as caught:
        services.item_publish(item=ServiceItem.objects.get(code="A"))
    assert "不允许的键：foo" in caught.value.message


def test_fragments_are_validated_offline():
    # Regression: jsonschema fetched the schema's $id over the network to resolve references.
    from yijianshi.catalog.format import fragment_problems

    assert fragment_problems({"item": "bad code!"}, "#/$defs/member") == [(("item",), "格式不正确：bad code!")]


def change_form_data(response) -> dict:
    """The POST an admin change form would send unchanged: its fields and every inline's rows."""
    import json

    from django import forms
    from django.db.models import Model

    def value(field, initial):
        if initial is None:
            return ""
        if isinstance(initial, Model):
            return initial.pk
        if hasattr(field, "prepare_value") and field.__class__.__name__ == "JSONField":
            return json.dumps(initial, ensure_ascii=False)
        if isinstance(initial, list | tuple):
            return [getattr(v, "pk", v) for v in initial]
        return initial

    def add(form, prefix=""):
        for name, field in form.fields.items():
            if isinstance(field, forms.FileField):
                continue  # a browser sends nothing for a file left unchanged
            initial = form.initial.get(name, field.initial)
            if isinstance(initial, bool):
                if initial:
                    data[f"{prefix}{name}"] = "on"
                continue
            data[f"{prefix}{name}"] = value(field, initial)

    data: dict = {}
    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{formset.prefix}-{key}"] = formset.management_form[key].value()
        for index, form in enumerate(formset.initial_forms):
            add(form, f"{formset.prefix}-{index}-")
    return data


def test_an_admin_edit_of_a_published_item_stays_private_until_published(catalog_admin, bundle):
    # Regression: edits to a published row reached the API lists, the search index and the next bundle publish.
    from django.test import Client

    from yijianshi.catalog.exporter import catalog_text

    item = ServiceItem.objects.get(code="B")
    url = f"/admin/catalog/serviceitem/{item.pk}/change/"
    data = change_form_data(catalog_admin.get(url))
    data["promised_limit"] = "2"
    response = catalog_admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert (item.promised_limit, item.status, item.version) == (2, Status.DRAFT, 1)

    public = Client()
    assert public.get("/api/v1/items/B").json()["promised_limit"]["value"] == 6
    listed = {i["code"]: i for i in public.get("/api/v1/items").json()["items"]}
    assert listed["B"]["promised_limit"]["value"] == 6

    # The bundle freezes its items' live versions, never rows being edited; the preview says so.
    preview = catalog_admin.get(f"/admin/catalog/lifeevent/{bundle.pk}/preview/").content.decode()
    assert "有未发布的修改" in preview and "事项B" in preview
    services.life_event_publish(life_event=bundle)
    assert LifeEventVersion.objects.filter(life_event=bundle).count() == 1
    assert selectors.plan_for_answers(code="LE", answers={})["reductions"]["days"]["after"] == 10

    exported = catalog_text()  # the pending edit travels as a draft and is not published by re-importing
    catalog_import(text=exported)
    assert catalog_text() == exported
    assert public.get("/api/v1/items/B").json()["promised_limit"]["value"] == 6

    services.item_publish(item=item)
    services.life_event_publish(life_event=bundle)
    assert public.get("/api/v1/items/B").json()["promised_limit"]["value"] == 2
    assert selectors.plan_for_answers(code="LE", answers={})["reductions"]["days"]["after"] == 6


def test_saving_without_changes_keeps_the_item_published(catalog_admin, bundle):
    item = ServiceItem.objects.get(code="B")
    url = f"/admin/catalog/serviceitem/{item.pk}/change/"
    assert catalog_admin.post(url, change_form_data(catalog_admin.get(url))).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED


def test_blank_forms_are_downloadable_from_the_guide_and_survive_a_reimport(client, bundle):
    # Regression: the model had blank forms and samples, but nothing offered them and every import blanked them.
    from django.core.files.base import ContentFile

    from yijianshi.catalog.exporter import catalog_text
    from yijianshi.catalog.models import Material

    material = Material.objects.get(item__code="B", key="id-card")
    material.blank_form.save("id-card-form.pdf", ContentFile(b"%PDF-1.4 blank form"))
    page = client.get("/items/B/").content.decode()
    url = "/items/B/materials/id-card/blank-form/"
    assert url in page and "下载空白表格" in page
    response = client.get(url)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 blank form"
    assert "attachment" in response["Content-Disposition"]
    catalog_import(text=catalog_text())
    assert Material.objects.get(item__code="B", key="id-card").blank_form.name == material.blank_form.name
    assert client.get("/items/B/materials/id-card/sample/").status_code == 404


def test_the_member_item_picker_offers_only_items_of_the_admins_regions(catalog_admin, bundle):
    # Regression: a region-scoped admin could add another region's item to a life event by posting its id.
    from yijianshi.accounts.tests.factories import DepartmentFactory, RegionFactory
    from yijianshi.catalog.admin import LifeEventItemInline
    from yijianshi.catalog.models import LifeEventItem

    kaifeng = DepartmentFactory(region=RegionFactory(code="410200000000", name="开封市", parent=None))
    foreign = ServiceItem.objects.create(
        **{**_item_fields(ServiceItem.objects.get(code="A")), "code": "KF", "department": kaifeng}
    )
    request = catalog_admin.get(f"/admin/catalog/lifeevent/{bundle.pk}/change/").wsgi_request
    inline = LifeEventItemInline(LifeEvent, admin_site())
    field = inline.formfield_for_foreignkey(LifeEventItem._meta.get_field("item"), request)
    assert foreign not in field.queryset
    assert ServiceItem.objects.get(code="A") in field.queryset


def _item_fields(item):
    from django.forms.models import model_to_dict

    fields = model_to_dict(item, exclude=["id", "department", "region"])
    return {**fields, "region": item.region}


def admin_site():
    from django.contrib import admin

    return admin.site
