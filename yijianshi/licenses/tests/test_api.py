"""The license API: the wallet holds only one's own licenses, anyone can verify, OpenSSL can check the signed bytes
both ways, and only the issuing department changes a status."""

import base64
import shutil
import subprocess

import pytest

from yijianshi.accounts.tests.factories import DepartmentFactory
from yijianshi.conftest import staff_with_role
from yijianshi.licenses import sm2
from yijianshi.licenses.models import License
from yijianshi.licenses.tests.factories import issued

pytestmark = pytest.mark.django_db
OPENSSL = shutil.which("openssl")


def post(client, url, body, headers=None):
    return client.post(url, body, content_type="application/json", **(headers or {}))


@pytest.fixture
def mine(person):
    return issued(holder=person.applicant)


def test_the_wallet_lists_the_holders_licenses_only(client, auth, person, other_person, mine):
    issued(holder=other_person.applicant)
    rows = client.get("/api/v1/licenses", **auth(person)).json()
    assert [row["identifier"] for row in rows["items"]] == [mine.identifier]
    assert rows["items"][0]["status_name"] == "有效"
    assert client.get(f"/api/v1/licenses/{mine.pk}", **auth(other_person)).status_code == 404
    assert client.get(f"/api/v1/licenses/{mine.pk}/signed", **auth(other_person)).status_code == 404


def test_the_holder_sees_every_field_and_the_verification_address(client, auth, person, mine):
    body = client.get(f"/api/v1/licenses/{mine.pk}", **auth(person)).json()
    assert body["holder_id_number"] == person.applicant.id_number
    assert {row["key"]: row["value"] for row in body["data"]}["child-name"] == "张小宝"
    assert body["verify_url"].endswith(f"/verify/{mine.identifier}")
    assert [v["version"] for v in body["versions"]] == [1]


def test_anyone_verifies_an_identifier_and_sees_only_public_masked_fields(client, person, mine):
    body = post(client, "/api/v1/licenses/verify", {"identifier": mine.identifier}).json()
    assert body["result"] == "valid" and body["latest"] is True
    shown = body["license"]
    assert shown["holder_name"] != mine.holder_name and shown["holder_name"].startswith(mine.holder_name[0])
    assert "*" in shown["holder_id_number"]
    assert [row["key"] for row in shown["data"]] == ["hospital"]


def test_verification_without_an_identifier_or_a_bundle_names_the_field(client):
    response = post(client, "/api/v1/licenses/verify", {})
    assert response.status_code == 422 and "identifier" in response.json()["fields"]
    response = post(client, "/api/v1/licenses/verify", {"identifier": "x", "extra": 1})
    assert response.status_code == 422


@pytest.mark.skipif(OPENSSL is None, reason="needs the openssl command")
def test_openssl_verifies_the_signed_bytes_and_the_platform_verifies_openssls(client, auth, person, mine, tmp_path):
    signed = client.get(f"/api/v1/licenses/{mine.pk}/signed", **auth(person)).json()
    (tmp_path / "payload").write_bytes(base64.b64decode(signed["payload"]))
    (tmp_path / "sig").write_bytes(base64.b64decode(signed["signature"]))
    (tmp_path / "pub.pem").write_text(signed["public_key"])
    distid = f"distid:{signed['signer_id']}"
    check = [OPENSSL, "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-digest", "sm3",
             "-pkeyopt", distid, "-in", "payload", "-sigfile", "sig"]  # fmt: skip
    assert subprocess.run(check, cwd=tmp_path, capture_output=True, text=True).stdout.strip() == (
        "Signature Verified Successfully"
    )
    (tmp_path / "payload").write_bytes(base64.b64decode(signed["payload"]).replace(b"01", b"03", 1))
    assert subprocess.run(check, cwd=tmp_path, capture_output=True).returncode != 0

    # The other way: OpenSSL signs the same bytes with a key of its own; the platform's verifier accepts them.
    subprocess.run([OPENSSL, "genpkey", "-algorithm", "SM2", "-out", "key.pem"], cwd=tmp_path, check=True)
    (tmp_path / "payload").write_bytes(base64.b64decode(signed["payload"]))
    subprocess.run([OPENSSL, "pkeyutl", "-sign", "-inkey", "key.pem", "-rawin", "-digest", "sm3", "-pkeyopt", distid,
                    "-in", "payload", "-out", "theirs"], cwd=tmp_path, check=True)  # fmt: skip
    key = sm2.PrivateKey.from_pem((tmp_path / "key.pem").read_bytes())
    assert key.public_key().verify(base64.b64decode(signed["payload"]), (tmp_path / "theirs").read_bytes())


def test_the_issuing_department_revokes_and_verification_follows(client, auth, person, mine):
    approver = staff_with_role("approver", department=mine.issuer)
    stranger = staff_with_role("approver", department=DepartmentFactory())
    url = f"/api/v1/licenses/{mine.pk}/status"
    assert post(client, url, {"status": "03", "reason": "撤销"}, auth(stranger)).status_code == 404
    assert post(client, url, {"status": "03", "reason": "撤销"}, auth(person)).status_code == 404
    response = post(client, url, {"status": "03", "reason": "以欺骗手段取得许可"}, auth(approver))
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2 and response.json()["status_name"] == "撤销"
    verdict = post(client, "/api/v1/licenses/verify", {"identifier": mine.identifier}).json()
    assert verdict["result"] == "revoked" and verdict["latest"] is False
    assert post(client, url, {"status": "01", "reason": "恢复"}, auth(approver)).status_code == 409
    assert post(client, url, {"status": "99", "reason": "x"}, auth(approver)).status_code == 422
    assert License.objects.get().version == 2


def test_the_signed_bytes_of_an_earlier_version(client, auth, person, mine):
    approver = staff_with_role("approver", department=mine.issuer)
    post(client, f"/api/v1/licenses/{mine.pk}/status", {"status": "04", "reason": "持证人申请注销"}, auth(approver))
    first = client.get(f"/api/v1/licenses/{mine.pk}/signed?version=1", **auth(person)).json()
    assert base64.b64decode(first["payload"]) == bytes(mine.versions.get(version=1).payload)
    response = client.get(f"/api/v1/licenses/{mine.pk}/signed?version=7", **auth(person))
    assert response.status_code == 422 and "version" in response.json()["fields"]
