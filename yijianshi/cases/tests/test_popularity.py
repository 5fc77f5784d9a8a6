from django.core.cache import cache

from yijianshi.cases.popularity import CACHE_KEY, popular_services
from yijianshi.cases.tests.conftest import submit_case


def test_what_people_applied_for_comes_first_and_is_counted_once_per_cache_period(
    bundle, person, django_assert_num_queries
):
    cache.delete(CACHE_KEY)
    before = popular_services()
    assert before and all(s["applications"] == 0 for s in before)  # a new platform lists its life events
    submit_case(person)
    # The count is cached: a new case shows up when the period is over, not on every page view.
    assert popular_services()[0]["applications"] == 0
    cache.delete(CACHE_KEY)
    first = popular_services()[0]
    assert (first["kind"], first["applications"]) == ("life_event", 1)
    with django_assert_num_queries(1):  # the catalog generation only; the counts come from the cache
        popular_services()


def test_the_list_is_as_long_as_asked_and_never_repeats(bundle, person):
    cache.delete(CACHE_KEY)
    submit_case(person)
    services = popular_services(limit=3)
    assert len(services) <= 3
    assert len({(s["kind"], s["code"]) for s in services}) == len(services)
