"""License types and issued licenses for tests, made through the services as the platform makes them."""

import factory
from factory.django import DjangoModelFactory

from yijianshi.accounts.tests.factories import DepartmentFactory, PersonFactory
from yijianshi.licenses.models import LicenseType
from yijianshi.licenses.services import license_issue


class LicenseTypeFactory(DjangoModelFactory):
    class Meta:
        model = LicenseType

    code = factory.Sequence(lambda n: f"11100000000000019F{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"测试证照{n}")
    authority_name = "国家卫生健康委员会"
    holder_kind = LicenseType.HolderKind.PERSON
    fields = factory.LazyFunction(
        lambda: [
            {"key": "child-name", "label": "新生儿姓名", "public": False},
            {"key": "hospital", "label": "签发机构", "public": True},
        ]
    )


def issued(*, license_type=None, holder=None, issuer=None, data=None, by=None):
    """A license issued and sealed as approving a task would."""
    license, _created = license_issue(
        license_type=license_type or LicenseTypeFactory(),
        holder=holder or PersonFactory(),
        issuer=issuer or DepartmentFactory(),
        data={"child-name": "张小宝", "hospital": "郑州市妇幼保健院"} if data is None else data,
        by=by,
    )
    return license
