import pytest

from yijianshi.demo import accounts
from yijianshi.demo import catalog as demo_catalog_file


@pytest.fixture(scope="module")
def demo_catalog(django_db_setup, django_db_blocker):
    """The demo catalog, imported once for a module's tests (which roll back their own changes) and removed after."""
    from yijianshi.accounts.models import Department
    from yijianshi.catalog.models import (
        CatalogState,
        ItemVersion,
        LifeEvent,
        LifeEventVersion,
        SearchSynonym,
        ServiceItem,
    )

    with django_db_blocker.unblock():
        regions = accounts.load_regions()
        accounts.load_departments(regions[accounts.CITY])
        demo_catalog_file.load()
    yield
    with django_db_blocker.unblock():
        LifeEventVersion.objects.all().delete()
        LifeEvent.objects.all().delete()
        ItemVersion.objects.all().delete()
        ServiceItem.objects.all().delete()
        SearchSynonym.objects.all().delete()
        CatalogState.objects.all().delete()
        Department.objects.filter(items__isnull=True, led_life_events__isnull=True).delete()
