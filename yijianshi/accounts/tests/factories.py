import datetime

import factory
from factory.django import DjangoModelFactory

from yijianshi.accounts.models import ApiClient, Applicant, Department, Region, User
from yijianshi.demo.identifiers import citizen_id, credit_code

PASSWORD = "Test-pass-2026"


def city() -> Region:
    province, _ = Region.objects.get_or_create(code="410000000000", defaults={"name": "河南省"})
    region, _ = Region.objects.get_or_create(code="410100000000", defaults={"name": "郑州市", "parent": province})
    return region


class RegionFactory(DjangoModelFactory):
    """A county-level region inside the test city."""

    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"4101{(n % 89) + 10:02d}000000")
    name = factory.Sequence(lambda n: f"测试区{n}")
    parent = factory.LazyFunction(city)


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"dept-{n}")
    credit_code = factory.Sequence(lambda n: credit_code("11", "410100", f"{n + 100:08d}"))
    name = factory.Sequence(lambda n: f"测试局{n}")
    region = factory.LazyFunction(city)


def _birth(n: int) -> str:
    return (datetime.date(1984, 1, 1) + datetime.timedelta(days=(n * 37) % 14000)).strftime("%Y%m%d")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Applicant

    kind = Applicant.Kind.PERSON
    id_type = "111"
    name = factory.Sequence(lambda n: f"测试人{n}")
    id_number = factory.Sequence(lambda n: citizen_id("410105", _birth(n), n % 1000))
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    region = factory.SubFactory(RegionFactory, code="410105000000", name="金水区")


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Applicant

    kind = Applicant.Kind.ORGANIZATION
    id_type = "001"
    name = factory.Sequence(lambda n: f"测试有限公司{n}")
    id_number = factory.Sequence(lambda n: credit_code("91", "410105", f"MA{n:06d}"))
    region = factory.SubFactory(RegionFactory, code="410105000000", name="金水区")
    legal_representative_name = "王法人"
    legal_representative_id_number = citizen_id("410105", "19850101", 11)


class UserFactory(DjangoModelFactory):
    """A person applicant's account by default; `organization=True` gives an organisation account."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        organization = factory.Trait(kind=User.Kind.ORGANIZATION, applicant=factory.SubFactory(OrganizationFactory))

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.LazyAttribute(lambda o: o.applicant.name if o.applicant else "测试")
    kind = User.Kind.PERSON
    applicant = factory.SubFactory(PersonFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    name = factory.Sequence(lambda n: f"工作人员{n}")
    kind = User.Kind.STAFF
    applicant = None


class ApiClientFactory(DjangoModelFactory):
    class Meta:
        model = ApiClient

    name = factory.Sequence(lambda n: f"部门系统{n}")
    department = factory.SubFactory(DepartmentFactory)
