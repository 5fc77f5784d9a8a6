"""Issuing, sealing, status changes and verification: every answer a checker can get, and never an exception."""

import base64
import datetime
import json

import pytest
import time_machine
from cryptography.exceptions import InvalidTag
from django.test import override_settings

from yijianshi.accounts.tests.factories import DepartmentFactory, OrganizationFactory
from yijianshi.core.errors import Conflict, InvalidInput
from yijianshi.licenses import sm2
from yijianshi.licenses.models import License, LicenseVersion, Seal
from yijianshi.licenses.seals import _keys, seal_create, seal_private_key
from yijianshi.licenses.services import license_status_change, signed_bundle
from yijianshi.licenses.tests.factories import LicenseTypeFactory, issued
from yijianshi.licenses.verification import (
    EXPIRED,
    INVALID,
    REVOKED,
    VALID,
    verify_bundle,
    verify_identifier,
    verify_identifiers,
)

pytestmark = pytest.mark.django_db


def bundle_of(license: License) -> dict:
    return signed_bundle(license.versions.select_related("seal").get(version=license.version))


def test_an_issued_license_carries_a_checked_identifier_and_a_seal_signature():
    license = issued()
    version = license.versions.get()
    assert license.identifier.startswith(f"1.2.156.3005.2.{license.license_type.code}.{license.issuer_code}.1.001.")
    assert (license.version, license.status, license.sequence) == (1, "01", 1)
    document = json.loads(bytes(version.payload))
    assert document["identifier"] == license.identifier
    assert document["holder"]["id_number"] == license.holder_id_number
    assert document["data"] == {"child-name": "张小宝", "hospital": "郑州市妇幼保健院"}
    public = sm2.PublicKey.from_pem(version.seal.public_key_pem.encode())
    assert public.verify(bytes(version.payload), bytes(version.signature))
    assert verify_identifier(license.identifier).result == VALID


def test_sequences_count_per_type_and_issuer():
    license_type, issuer = LicenseTypeFactory(), DepartmentFactory()
    first, second = issued(license_type=license_type, issuer=issuer), issued(license_type=license_type, issuer=issuer)
    elsewhere = issued(license_type=license_type)
    assert (first.sequence, second.sequence, elsewhere.sequence) == (1, 2, 1)
    assert first.number != second.number


def test_validity_runs_from_the_issue_date():
    with time_machine.travel(datetime.datetime(2026, 1, 31, 10, tzinfo=datetime.UTC)):
        license = issued(license_type=LicenseTypeFactory(validity_months=1))
    assert (license.valid_from, license.valid_until) == (datetime.date(2026, 1, 31), datetime.date(2026, 2, 27))


def test_a_license_for_the_wrong_kind_of_holder_is_refused():
    with pytest.raises(InvalidInput) as error:
        issued(holder=OrganizationFactory())
    assert "holder" in error.value.fields
    assert not License.objects.exists()


def test_revoking_issues_a_new_signed_version_and_every_version_answers_revoked():
    license = issued()
    first = license.identifier
    license = license_status_change(license_id=license.pk, status="03", reason="以欺骗手段取得", by=None)
    assert license.version == 2 and license.identifier == first.replace(".001.", ".002.")[:-1] + license.identifier[-1]
    versions = list(license.versions.order_by("version"))
    assert [(v.version, v.status) for v in versions] == [(1, "01"), (2, "03")]
    assert json.loads(bytes(versions[1].payload))["status_reason"] == "以欺骗手段取得"
    for identifier in (first, license.identifier):
        verdict = verify_identifier(identifier)
        assert verdict.result == REVOKED and "以欺骗手段取得" in verdict.reason


def test_suspension_makes_a_license_invalid_until_lifted():
    license = issued()
    license_status_change(license_id=license.pk, status="02", reason="涉嫌违法经营，暂扣", by=None)
    assert verify_identifier(license.identifier).result == INVALID
    license = license_status_change(license_id=license.pk, status="01", reason="整改完成", by=None)
    verdict = verify_identifier(license.identifier)
    assert verdict.result == VALID and verdict.is_latest


@pytest.mark.parametrize(("start", "status"), [("03", "01"), ("03", "02"), ("01", "01")])
def test_status_changes_follow_the_rules(start, status):
    license = issued()
    if start != "01":
        license_status_change(license_id=license.pk, status=start, reason="撤销", by=None)
    with pytest.raises(Conflict):
        license_status_change(license_id=license.pk, status=status, reason="再变更", by=None)
    assert license.versions.count() == (1 if start == "01" else 2)


def test_a_status_change_needs_a_known_status_and_a_reason():
    license = issued()
    with pytest.raises(InvalidInput) as error:
        license_status_change(license_id=license.pk, status="42", reason=" ", by=None)
    assert set(error.value.fields) == {"status", "reason"}
    assert License.objects.get().version == 1


def test_an_expired_license_answers_expired():
    with time_machine.travel(datetime.datetime(2020, 3, 1, 10, tzinfo=datetime.UTC)):
        license = issued(license_type=LicenseTypeFactory(validity_months=12))
    verdict = verify_identifier(license.identifier)
    assert verdict.result == EXPIRED and "2021-02-28" in verdict.reason


@pytest.mark.parametrize("checked_before", [False, True])
def test_a_changed_byte_in_the_stored_license_is_caught(checked_before):
    license = issued()
    version = license.versions.get()
    if checked_before:  # the process remembers signature checks by the bytes checked, not by the license
        assert verify_identifier(license.identifier).result == VALID
    payload = bytearray(bytes(version.payload))
    payload[payload.index("张".encode())] ^= 1
    LicenseVersion.objects.filter(pk=version.pk).update(payload=bytes(payload))
    verdict = verify_identifier(license.identifier)
    assert verdict.result == INVALID and "篡改" in verdict.reason


@pytest.mark.parametrize(
    ("identifier", "reason"),
    [
        ("1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F", "查无此证"),
        ("1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.G", "校验位"),
        ("not an identifier", "格式"),
        ("\x00" * 500, "格式"),
    ],
)
def test_unknown_and_malformed_identifiers_are_invalid(identifier, reason):
    verdict = verify_identifier(identifier)
    assert verdict.result == INVALID and reason in verdict.reason


def test_a_bundle_verifies_and_any_changed_byte_fails():
    license = issued()
    bundle = bundle_of(license)
    assert verify_bundle(payload=bundle["payload"], signature=bundle["signature"]).result == VALID
    assert verify_bundle(**{k: bundle[k] for k in ("payload", "signature", "public_key", "signer_id")}).result == VALID
    raw = bytearray(base64.b64decode(bundle["payload"]))
    for index in (0, len(raw) // 2, len(raw) - 1):
        changed = bytearray(raw)
        changed[index] ^= 0x01
        verdict = verify_bundle(payload=base64.b64encode(changed).decode(), signature=bundle["signature"])
        assert verdict.result == INVALID, index


def test_bundles_a_caller_sends_are_not_remembered():
    from yijianshi.licenses import verification

    bundle = bundle_of(issued())
    raw = bytearray(base64.b64decode(bundle["payload"]))
    remembered = len(verification._checked)
    for index in range(20):  # each a new set of bytes, as a caller filling the memory would send
        raw[-1 - index] ^= 0x01
        verify_bundle(payload=base64.b64encode(raw).decode(), signature=bundle["signature"])
    assert len(verification._checked) == remembered


def test_a_bundle_with_another_key_or_signer_id_is_invalid():
    license = issued()
    bundle = bundle_of(license)
    stranger = sm2.PrivateKey.generate()
    forged = base64.b64encode(stranger.sign(base64.b64decode(bundle["payload"]))).decode()
    verdict = verify_bundle(
        payload=bundle["payload"], signature=forged, public_key=stranger.public_key().to_pem().decode()
    )
    assert verdict.result == INVALID and "公钥" in verdict.reason
    assert verify_bundle(payload=bundle["payload"], signature=forged).result == INVALID
    verdict = verify_bundle(payload=bundle["payload"], signature=bundle["signature"], signer_id="ALICE123@YAHOO.COM")
    assert verdict.result == INVALID and "签名者标识" in verdict.reason


@pytest.mark.parametrize(
    "bundle",
    [
        {"payload": "", "signature": ""},
        {"payload": "!!!", "signature": "AAAA"},
        {"payload": base64.b64encode(b"[1,2]").decode(), "signature": "AAAA"},
        {"payload": base64.b64encode(b'{"identifier": 1, "seal": []}').decode(), "signature": "AAAA"},
        {"payload": base64.b64encode(b"\xff\xfe").decode(), "signature": "AAAA"},
        {"payload": base64.b64encode(b'{"identifier": "x", "seal": "y"}').decode(), "signature": "AAAA"},
        {"payload": "A" * 100_000, "signature": "AAAA"},
    ],
)
def test_malformed_bundles_get_an_answer_not_an_exception(bundle):
    verdict = verify_bundle(**bundle)
    assert verdict.result == INVALID and verdict.reason


def test_after_rotation_old_licenses_still_verify_and_new_ones_use_the_new_seal():
    issuer = DepartmentFactory()
    old = issued(issuer=issuer)
    old_seal = Seal.objects.get(department=issuer)
    new_seal = seal_create(department=issuer)
    old_seal.refresh_from_db()
    assert old_seal.retired_at is not None and new_seal.is_current
    new = issued(issuer=issuer)
    assert new.versions.get().seal == new_seal
    assert verify_identifier(old.identifier).result == VALID
    assert verify_identifier(new.identifier).result == VALID


def test_the_private_key_is_encrypted_at_rest_and_bound_to_its_seal():
    license = issued()
    seal = license.versions.get().seal
    assert b"PRIVATE KEY" not in bytes(seal.private_key_encrypted)
    _keys.clear()
    assert seal_private_key(seal).public_key().fingerprint() == seal.fingerprint
    _keys.clear()
    with override_settings(YJS_SEAL_KEY="another key"), pytest.raises(InvalidTag):
        seal_private_key(seal)
    # Copied onto another seal's row, the encrypted key does not open: the fingerprint is its associated data.
    other = seal_create(department=DepartmentFactory())
    _keys.clear()
    other.private_key_encrypted = seal.private_key_encrypted
    with pytest.raises(InvalidTag):
        seal_private_key(other)


def test_verifying_an_identifier_costs_one_query(django_assert_num_queries):
    license = issued()
    with django_assert_num_queries(1):
        assert verify_identifier(license.identifier).result == VALID


def test_several_identifiers_are_verified_with_one_query(django_assert_num_queries):
    first, second = issued(), issued()
    second = license_status_change(license_id=second.pk, status="03", reason="以欺骗手段取得", by=None)
    unknown = "1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F"
    texts = [first.identifier, second.identifier, unknown, "not an identifier"]
    with django_assert_num_queries(1):
        verdicts = verify_identifiers(texts)
    assert [verdicts[t].result for t in texts] == [VALID, REVOKED, INVALID, INVALID]
    assert {t: verdicts[t] for t in texts} == {t: verify_identifier(t) for t in texts}
