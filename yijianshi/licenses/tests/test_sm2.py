"""SM2 signatures: round trips, rejection of anything altered, and interoperability with the openssl command line."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yijianshi.licenses.sm2 import DEFAULT_SIGNER_ID, PrivateKey, PublicKey, Sm2Error

KEY = PrivateKey.generate()
PUBLIC = KEY.public_key()
PAYLOAD = b'{"license": "L-0001", "holder": "\xe5\xbc\xa0\xe4\xb8\x89"}' * 20  # about 1 KB, like a license's JSON

needs_openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="the openssl command line is not installed")


def openssl(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, check=False)  # noqa: S607


def openssl_verifies(tmp_path: Path, public: PublicKey, signature: bytes, signer_id: bytes = DEFAULT_SIGNER_ID):
    """Tell whether `openssl pkeyutl -verify` accepts `signature` of PAYLOAD by `public` for `signer_id`."""
    (tmp_path / "pub.pem").write_bytes(public.to_pem())
    (tmp_path / "payload").write_bytes(PAYLOAD)
    (tmp_path / "sig").write_bytes(signature)
    result = openssl(
        "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-digest", "sm3", "-in", "payload",
        "-sigfile", "sig", "-pkeyopt", f"distid:{signer_id.decode()}", cwd=tmp_path,
    )  # fmt: skip
    return result.returncode == 0 and b"Verified Successfully" in result.stdout


def openssl_sign(tmp_path: Path, private_pem: bytes, signer_id: bytes = DEFAULT_SIGNER_ID) -> bytes:
    (tmp_path / "priv.pem").write_bytes(private_pem)
    (tmp_path / "payload").write_bytes(PAYLOAD)
    openssl(
        "pkeyutl", "-sign", "-inkey", "priv.pem", "-rawin", "-digest", "sm3", "-in", "payload", "-out", "sig",
        "-pkeyopt", f"distid:{signer_id.decode()}", cwd=tmp_path,
    ).check_returncode()  # fmt: skip
    return (tmp_path / "sig").read_bytes()


def test_a_signature_verifies_with_the_public_key():
    assert PUBLIC.verify(PAYLOAD, KEY.sign(PAYLOAD))
    assert PUBLIC.verify(b"", KEY.sign(b""))


def test_a_changed_byte_of_the_data_fails():
    changed = bytearray(PAYLOAD)
    changed[10] ^= 0x01
    assert not PUBLIC.verify(bytes(changed), KEY.sign(PAYLOAD))


def test_a_changed_byte_of_the_signature_fails():
    signature = bytearray(KEY.sign(PAYLOAD))
    signature[-1] ^= 0x01
    assert not PUBLIC.verify(PAYLOAD, bytes(signature))


def test_another_key_fails():
    assert not PrivateKey.generate().public_key().verify(PAYLOAD, KEY.sign(PAYLOAD))


def test_another_signer_id_fails():
    assert not PUBLIC.verify(PAYLOAD, KEY.sign(PAYLOAD, b"alice@example.cn"))
    assert PUBLIC.verify(PAYLOAD, KEY.sign(PAYLOAD, b"alice@example.cn"), b"alice@example.cn")


@pytest.mark.parametrize(
    "garbage", [b"", b"\x00", b"\x30\x02\x02\x00", b"not a signature", b"\xff" * 72, b"\x30" * 500]
)
def test_empty_and_garbage_signatures_are_false_not_errors(garbage):
    assert PUBLIC.verify(PAYLOAD, garbage) is False
    assert PUBLIC.verify(PAYLOAD, KEY.sign(PAYLOAD)) is True  # no error left behind for the next call


def test_private_key_pem_round_trip():
    pem = KEY.to_pem()
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    again = PrivateKey.from_pem(pem)
    assert again.to_pem() == pem
    assert PUBLIC.verify(PAYLOAD, again.sign(PAYLOAD))


def test_public_key_pem_round_trip_and_fingerprint():
    pem = PUBLIC.to_pem()
    assert pem.startswith(b"-----BEGIN PUBLIC KEY-----")
    again = PublicKey.from_pem(pem)
    assert again.to_pem() == pem
    assert again.to_der() == PUBLIC.to_der()
    assert again.fingerprint() == PUBLIC.fingerprint() == KEY.public_key().fingerprint()
    assert re.fullmatch(r"[0-9a-f]{64}", PUBLIC.fingerprint())
    assert PUBLIC.fingerprint() != PrivateKey.generate().public_key().fingerprint()


@pytest.mark.parametrize("pem", [b"", b"garbage", b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"])
def test_malformed_pem_is_an_sm2_error(pem):
    with pytest.raises(Sm2Error):
        PrivateKey.from_pem(pem)
    with pytest.raises(Sm2Error):
        PublicKey.from_pem(pem)


def test_a_public_key_pem_is_not_a_private_key():
    with pytest.raises(Sm2Error):
        PrivateKey.from_pem(PUBLIC.to_pem())


@needs_openssl
def test_an_ec_p256_key_is_an_sm2_error(tmp_path):
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.pem", cwd=tmp_path)
    openssl("pkey", "-in", "ec.pem", "-pubout", "-out", "ec-pub.pem", cwd=tmp_path).check_returncode()
    with pytest.raises(Sm2Error, match="not an SM2 key"):
        PrivateKey.from_pem((tmp_path / "ec.pem").read_bytes())
    with pytest.raises(Sm2Error, match="not an SM2 key"):
        PublicKey.from_pem((tmp_path / "ec-pub.pem").read_bytes())


@needs_openssl
def test_an_encrypted_private_key_is_an_sm2_error_without_a_prompt(tmp_path):
    openssl(
        "genpkey", "-algorithm", "SM2", "-aes256", "-pass", "pass:secret", "-out", "enc.pem", cwd=tmp_path
    ).check_returncode()  # fmt: skip
    with pytest.raises(Sm2Error):
        PrivateKey.from_pem((tmp_path / "enc.pem").read_bytes())


@needs_openssl
def test_openssl_verifies_our_signature(tmp_path):
    assert openssl_verifies(tmp_path, PUBLIC, KEY.sign(PAYLOAD))
    assert not openssl_verifies(tmp_path, PrivateKey.generate().public_key(), KEY.sign(PAYLOAD))


@needs_openssl
def test_we_verify_an_openssl_signature(tmp_path):
    assert PUBLIC.verify(PAYLOAD, openssl_sign(tmp_path, KEY.to_pem()))


@needs_openssl
def test_a_key_generated_by_openssl_signs_for_openssl(tmp_path):
    openssl("genpkey", "-algorithm", "SM2", "-out", "generated.pem", cwd=tmp_path).check_returncode()
    key = PrivateKey.from_pem((tmp_path / "generated.pem").read_bytes())
    assert openssl_verifies(tmp_path, key.public_key(), key.sign(PAYLOAD))


@needs_openssl
def test_a_non_default_signer_id_matches_openssl_both_ways(tmp_path):
    signer_id = b"registry@yijianshi.example"
    assert openssl_verifies(tmp_path, PUBLIC, KEY.sign(PAYLOAD, signer_id), signer_id)
    assert not openssl_verifies(tmp_path, PUBLIC, KEY.sign(PAYLOAD, signer_id))
    assert PUBLIC.verify(PAYLOAD, openssl_sign(tmp_path, KEY.to_pem(), signer_id), signer_id)
    assert not PUBLIC.verify(PAYLOAD, openssl_sign(tmp_path, KEY.to_pem(), signer_id))


@needs_openssl
def test_openssl_3_0_without_distid_uses_an_empty_id_not_the_default(tmp_path):
    """Document why the CLI calls above pass distid: OpenSSL's own default id is empty, not GM/T 0009's."""
    (tmp_path / "priv.pem").write_bytes(KEY.to_pem())
    (tmp_path / "payload").write_bytes(PAYLOAD)
    openssl(
        "pkeyutl", "-sign", "-inkey", "priv.pem", "-rawin", "-digest", "sm3", "-in", "payload", "-out", "sig",
        cwd=tmp_path,
    ).check_returncode()  # fmt: skip
    signature = (tmp_path / "sig").read_bytes()
    if PUBLIC.verify(PAYLOAD, signature):
        pytest.skip("this OpenSSL defaults to GM/T 0009's id, as later releases may")
    assert PUBLIC.verify(PAYLOAD, signature, b"")


@settings(max_examples=50, deadline=None)
@given(
    data=st.binary(min_size=1, max_size=4096),
    signer_id=st.binary(min_size=1, max_size=64),
    bit=st.integers(min_value=0),
)
def test_any_data_and_signer_id_round_trip_and_any_flipped_bit_fails(data, signer_id, bit):
    signature = KEY.sign(data, signer_id)
    assert PUBLIC.verify(data, signature, signer_id)
    bit %= len(data) * 8
    flipped = bytearray(data)
    flipped[bit // 8] ^= 1 << (bit % 8)
    assert not PUBLIC.verify(bytes(flipped), signature, signer_id)
