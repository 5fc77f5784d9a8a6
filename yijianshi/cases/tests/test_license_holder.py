"""免提交 only with one's own license: a material about another person (the mother's ID card, the legal
representative's) names the form field with that person's ID number, and a license stands in for it only when that
person is the applicant or the one acting for them. Regression: the applicant's own 居民身份证 was attached for the
mother's and the father's ID cards alike."""

import pytest

from yijianshi.accounts.models import Department
from yijianshi.accounts.tests.factories import OrganizationFactory, PersonFactory, UserFactory, city
from yijianshi.cases.editor import editor_context
from yijianshi.cases.models import CaseMaterial
from yijianshi.cases.submission import case_create
from yijianshi.cases.tests.conftest import principal, upload
from yijianshi.catalog.importer import catalog_import
from yijianshi.catalog.tests import builders as b
from yijianshi.catalog.yaml_source import SourceError
from yijianshi.core.errors import InvalidInput
from yijianshi.licenses.models import LicenseType
from yijianshi.licenses.tests.factories import issued

pytestmark = pytest.mark.django_db

ID_CARD = "11100000000000027A002"


def holder_catalog() -> dict:
    """BIRTHREG asks for the applicant's ID card and the mother's; SHOP asks an organisation for its legal
    representative's."""
    own = b.material("applicant-id-card", name="申请人居民身份证", type=1, source=20, license_type=ID_CARD)
    mothers = b.material(
        "mother-id-card", name="母亲居民身份证", type=1, source=20, license_type=ID_CARD,
        license_holder="mother-citizen-id",
    )  # fmt: skip
    representatives = b.material(
        "legal-representative-id", name="法定代表人身份证明", type=1, source=20, license_type=ID_CARD,
        license_holder="legal-representative-citizen-id",
    )  # fmt: skip
    items = [
        b.item(
            "BIRTHREG", dept="hd-gaj", materials=[own, mothers],
            fields=[b.field("mother-citizen-id", label="母亲公民身份号码", type="citizen_id")],
        ),
        b.item(
            "SHOP", dept="hd-gaj", materials=[representatives],
            fields=[b.field("legal-representative-citizen-id", label="法定代表人公民身份号码", type="citizen_id")],
        ),
    ]  # fmt: skip
    return b.catalog(departments=[b.department("hd-gaj", "00000911")], items=items)


@pytest.fixture
def catalog(db):
    city()
    catalog_import(text=b.as_yaml(holder_catalog()))
    return LicenseType.objects.create(
        code=ID_CARD, name="居民身份证", authority_name="公安部", holder_kind="person", fields=[]
    )


def id_card_of(applicant, id_type):
    return issued(license_type=id_type, holder=applicant, issuer=Department.objects.get(code="hd-gaj"), data={})


def apply(user, *, item, form, applicant=None, agent=None, **materials):
    case, _created = case_create(
        by=principal(user), applicant=applicant or user.applicant, agent=agent, item=item, form=form,
        materials=materials,
    )  # fmt: skip
    return {m.key: (m.kind, m.license_identifier) for m in CaseMaterial.objects.filter(case=case)}


def test_the_mothers_id_card_is_not_spared_by_the_fathers_license(catalog):
    father, mother = UserFactory(), PersonFactory()
    mine = id_card_of(father.applicant, catalog)
    id_card_of(mother, catalog)  # hers exists, but she is not the one applying
    with pytest.raises(InvalidInput) as error:
        apply(father, item="BIRTHREG", form={"mother-citizen-id": mother.id_number})
    assert error.value.fields == {"materials.mother-id-card": "请提交：母亲居民身份证"}

    materials = apply(
        father, item="BIRTHREG", form={"mother-citizen-id": mother.id_number},
        **{"mother-id-card": [str(upload(father, "jpeg").pk)]},
    )  # fmt: skip
    assert materials == {"applicant-id-card": ("license", mine.identifier), "mother-id-card": ("files", "")}


def test_the_mother_applying_herself_hands_in_her_own_license_for_both(catalog):
    mother = UserFactory()
    hers = id_card_of(mother.applicant, catalog)
    materials = apply(mother, item="BIRTHREG", form={"mother-citizen-id": mother.applicant.id_number.lower()})
    assert materials == {
        "applicant-id-card": ("license", hers.identifier),
        "mother-id-card": ("license", hers.identifier),
    }


def test_the_legal_representative_acting_for_the_company_hands_in_their_own_license(catalog):
    company = OrganizationFactory()
    representative, clerk = UserFactory(), UserFactory()
    theirs = id_card_of(representative.applicant, catalog)
    id_card_of(clerk.applicant, catalog)
    form = {"legal-representative-citizen-id": representative.applicant.id_number}
    materials = apply(representative, item="SHOP", form=form, applicant=company, agent=representative)
    assert materials == {"legal-representative-id": ("license", theirs.identifier)}
    # A staff member acting for the company cannot hand in the representative's license, nor their own for it.
    with pytest.raises(InvalidInput) as error:
        apply(clerk, item="SHOP", form=form, applicant=company, agent=clerk)
    assert list(error.value.fields) == ["materials.legal-representative-id"]


def test_the_application_page_says_免提交_only_for_the_applicants_own(catalog):
    father, mother = UserFactory(), PersonFactory()
    id_card_of(father.applicant, catalog)
    case, _created = case_create(
        by=principal(father), applicant=father.applicant, item="BIRTHREG", submit=False,
        form={"mother-citizen-id": mother.id_number},
    )  # fmt: skip
    shown = {m["key"]: m["license"] for m in editor_context(case)["materials"]}
    assert shown["applicant-id-card"] is not None and shown["mother-id-card"] is None


def test_a_holder_field_must_be_an_id_number_field_of_the_item(db):
    city()
    broken = holder_catalog()
    broken["items"][0]["materials"][1]["license_holder"] = "no-such-field"
    broken["items"][1]["fields"][0]["type"] = "text"
    broken["items"][1]["materials"].append(b.material("photo", name="照片", license_holder="legal-representative-id"))
    with pytest.raises(SourceError) as error:
        catalog_import(text=b.as_yaml(broken))
    messages = {str(problem) for problem in error.value.problems}
    assert any("本事项没有这个字段：no-such-field" in m for m in messages), messages
    assert any("持证人字段应为公民身份号码或统一社会信用代码类型" in m for m in messages), messages
    assert any("只有可用电子证照代替的材料" in m for m in messages), messages


def test_the_agents_license_counts_only_when_the_agent_hands_it_in(catalog):
    """Regression: submitting a draft another member started for the company, with the agent's ID number in the
    holder field, attached the agent's license (shown to departments, read in the agent's trail) without the agent
    acting."""
    from yijianshi.accounts.services import organization_member_add
    from yijianshi.cases.submission import case_submit

    company = OrganizationFactory()
    representative, colleague = UserFactory(), UserFactory()
    for user in (representative, colleague):
        organization_member_add(organization=company, user=user, role="agent")
    id_card_of(representative.applicant, catalog)
    form = {"legal-representative-citizen-id": representative.applicant.id_number}
    draft, _created = case_create(
        by=principal(representative), applicant=company, agent=representative, item="SHOP", form=form, submit=False
    )
    shown = {m["key"]: m["license"] for m in editor_context(draft, user_id=colleague.pk)["materials"]}
    assert shown["legal-representative-id"] is None
    assert editor_context(draft, user_id=representative.pk)["materials"][0]["license"] is not None
    with pytest.raises(InvalidInput) as error:
        case_submit(case_id=draft.pk, by=principal(colleague))
    assert list(error.value.fields) == ["materials.legal-representative-id"]
    case_submit(case_id=draft.pk, by=principal(representative))
    assert CaseMaterial.objects.get(case=draft).kind == CaseMaterial.Kind.LICENSE
