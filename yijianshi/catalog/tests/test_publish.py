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
    ServiceItem.objects.filter(code="A").update(status=Status.DRAFT)
    page = catalog_admin.get(f"/admin/catalog/lifeevent/{bundle.pk}/preview/").content.decode()
    assert "事项 A 尚未发布" in page
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
    LifeEvent.objects.filter(pk=bundle.pk)  # no questions: the preview works with none
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
