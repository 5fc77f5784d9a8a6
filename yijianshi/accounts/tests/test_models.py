import pytest
from django.core.exceptions import ValidationError

from yijianshi.accounts import services
from yijianshi.accounts.models import Applicant, Region, RoleAssignment
from yijianshi.accounts.tests.factories import (
    DepartmentFactory,
    PersonFactory,
    StaffFactory,
    UserFactory,
    city,
)
from yijianshi.core.errors import InvalidInput
from yijianshi.demo.identifiers import citizen_id

pytestmark = pytest.mark.django_db


def test_a_person_with_a_wrong_check_digit_is_refused_naming_the_field():
    valid = citizen_id("410105", "19900101", 15)
    wrong = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        services.applicant_create(kind=Applicant.Kind.PERSON, name="王五", id_number=wrong)
    assert "公民身份号码校验位不正确" in caught.value.message_dict["id_number"][0]
    assert not Applicant.objects.exists()


def test_an_organisation_needs_a_valid_credit_code_and_legal_representative():
    with pytest.raises(ValidationError) as caught:
        services.applicant_create(kind=Applicant.Kind.ORGANIZATION, name="某公司", id_number="91410105MA3XKT0Q0X")
    errors = caught.value.message_dict
    assert "统一社会信用代码" in errors["id_number"][0]
    assert "legal_representative_name" in errors
    assert "法定代表人公民身份号码" in errors["legal_representative_id_number"][0]
    assert not Applicant.objects.exists()


def test_the_id_type_follows_the_kind():
    person = services.applicant_create(
        kind=Applicant.Kind.PERSON, name="王五", id_number=citizen_id("410105", "19900101", 15).lower()
    )
    assert person.id_type == "111"
    assert person.id_number.isupper() or person.id_number.isdigit()


def test_the_same_person_cannot_be_registered_twice():
    existing = PersonFactory()
    with pytest.raises(ValidationError):
        services.applicant_create(kind=Applicant.Kind.PERSON, name="重复", id_number=existing.id_number)


def test_a_region_parent_must_contain_it():
    province = Region.objects.create(code="440000000000", name="广东省")
    region = Region(code="410105000000", name="金水区", parent=province)
    with pytest.raises(ValidationError) as caught:
        region.full_clean()
    assert "parent" in caught.value.message_dict


def test_a_region_knows_its_level_and_contains_its_children():
    zhengzhou = city()
    assert zhengzhou.level == 2
    assert zhengzhou.contains("410105001000")
    assert not zhengzhou.contains("410200000000")


def test_an_approver_must_belong_to_a_department():
    staff = StaffFactory()
    with pytest.raises(ValidationError) as caught:
        services.role_assign(user=staff, role_code="approver", region=city())
    assert "department" in caught.value.message_dict


def test_applicants_cannot_hold_staff_roles():
    person = UserFactory()
    with pytest.raises(ValidationError) as caught:
        services.role_assign(user=person, role_code="window_clerk", region=city())
    assert "user" in caught.value.message_dict


def test_assigning_the_same_role_twice_keeps_one_assignment():
    staff = StaffFactory()
    department = DepartmentFactory()
    services.role_assign(user=staff, role_code="approver", department=department)
    services.role_assign(user=staff, role_code="approver", department=department)
    services.role_assign(user=staff, role_code="supervisor", region=city())
    services.role_assign(user=staff, role_code="supervisor", region=city())
    assert RoleAssignment.objects.filter(user=staff).count() == 2


def test_an_unknown_role_is_named():
    with pytest.raises(InvalidInput) as caught:
        services.role_assign(user=StaffFactory(), role_code="nobody", region=city())
    assert caught.value.fields == {"role": "角色“nobody”不存在。"}


def test_a_weak_password_is_refused_with_the_field():
    with pytest.raises(InvalidInput) as caught:
        services.user_create_staff(username="weak", password="12345678", name="弱密码")
    assert "password" in caught.value.fields


def test_factories_make_valid_applicants():
    for applicant in (PersonFactory(), PersonFactory()):
        applicant.full_clean()
    from yijianshi.accounts.tests.factories import OrganizationFactory

    OrganizationFactory().full_clean()
