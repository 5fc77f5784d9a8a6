import pytest

from yijianshi.accounts.models import Applicant, User
from yijianshi.accounts.oidc import ProvincialIdentityBackend
from yijianshi.demo.identifiers import citizen_id

pytestmark = pytest.mark.django_db

CITIZEN = citizen_id("410105", "19880808", 88)


@pytest.fixture
def backend(settings):
    settings.OIDC_RP_CLIENT_ID = "yijianshi"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://idp.example/jwks"
    return ProvincialIdentityBackend()


def test_a_first_login_creates_the_person_and_a_later_one_finds_them(backend):
    claims = {"citizen_id": CITIZEN, "name": "刘统一", "phone_number": "13700000000"}
    assert backend.verify_claims(claims)
    user = backend.create_user(claims)
    assert user.kind == User.Kind.PERSON
    assert user.applicant.id_number == CITIZEN
    assert not user.has_usable_password()
    assert list(backend.filter_users_by_claims(claims)) == [user]


def test_an_existing_applicant_is_linked_not_duplicated(backend):
    Applicant.objects.create(kind="person", id_type="111", name="刘统一", id_number=CITIZEN)
    user = backend.create_user({"citizen_id": CITIZEN, "name": "刘统一"})
    assert Applicant.objects.count() == 1
    assert user.applicant.id_number == CITIZEN


@pytest.mark.parametrize(
    "claims",
    [
        {"name": "无证件"},
        {"citizen_id": CITIZEN[:-1] + "0" if CITIZEN[-1] != "0" else CITIZEN[:-1] + "1", "name": "错号"},
        {"citizen_id": CITIZEN},
    ],
)
def test_claims_without_a_valid_citizen_id_and_name_are_refused(backend, claims):
    assert not backend.verify_claims(claims)
    assert not backend.filter_users_by_claims(claims).exists()


def test_the_claim_names_are_configurable(backend, settings):
    settings.OIDC_CLAIM_CITIZEN_ID = "idcard"
    settings.OIDC_CLAIM_NAME = "realname"
    assert backend.verify_claims({"idcard": CITIZEN, "realname": "刘统一"})


def test_the_login_name_never_carries_the_citizen_id(backend):
    user = backend.create_user({"citizen_id": CITIZEN, "name": "刘统一", "sub": "idp-subject-42"})
    assert CITIZEN not in user.username
    assert CITIZEN[6:14] not in str(user)
    again = ProvincialIdentityBackend._username({"sub": "idp-subject-42"})
    assert again == user.username
