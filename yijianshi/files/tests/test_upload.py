import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from yijianshi.core.crypto import sm3_hex
from yijianshi.files import formats
from yijianshi.files.models import StoredFile

pytestmark = pytest.mark.django_db
URL = "/api/v1/files"


def upload(client, headers, content: bytes, name="材料.pdf", content_type="application/pdf"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content, content_type=content_type)}, **headers)


@pytest.mark.parametrize("format_name", formats.FORMATS)
def test_each_accepted_format_is_stored_with_both_digests(client, person, auth, format_name):
    content = formats.sample(format_name)
    response = upload(client, auth(person), content, name=f"扫描件.{formats.EXTENSIONS[format_name]}")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["format"] == format_name
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["sm3"] == sm3_hex(content)
    stored = StoredFile.objects.get(pk=body["id"])
    assert stored.content.read() == content
    assert stored.uploaded_by == person


def test_the_format_comes_from_the_content_not_the_name_or_declared_type(client, person, auth):
    response = upload(client, auth(person), formats.sample("png"), name="身份证.pdf", content_type="application/pdf")
    assert response.status_code == 201
    assert response.json()["format"] == "png"
    assert response.json()["name"] == "身份证.png"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 this is a program", "不是 PDF、OFD、JPEG 或 PNG"),
        (b"%PDF-1.7\n garbage without a body", "PDF 文件已损坏"),
        (formats.sample("png")[:60], "图片文件已损坏"),
        (b"", "文件是空的"),
    ],
)
def test_bad_content_is_refused_naming_the_field_and_nothing_is_stored(client, person, auth, content, message):
    response = upload(client, auth(person), content)
    assert response.status_code == 422
    assert message in response.json()["fields"]["file"]
    assert not StoredFile.objects.exists()


def _zip(entries: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in entries.items():
            package.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"word/document.xml": "<w/>"}, "缺少 OFD.xml"),
        ({"OFD.xml": "<html/>"}, "根元素不正确"),
        ({"OFD.xml": "not xml <"}, "已损坏"),
        ({"OFD.xml": "<ofd:OFD xmlns:ofd='x'><ofd:DocBody/></ofd:OFD>", "../evil": "x"}, "不安全的路径"),
        ({"OFD.xml": "<ofd:OFD xmlns:ofd='x'><ofd:DocBody/></ofd:OFD>", "big": b"\0" * (201 * 1024 * 1024)}, "过大"),
    ],
)
def test_a_zip_is_not_an_ofd(client, person, auth, entries, message):
    response = upload(client, auth(person), _zip(entries), name="证明.ofd")
    assert response.status_code == 422
    assert message in response.json()["fields"]["file"]


def test_an_encrypted_pdf_is_refused(client, person, auth):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(formats.sample("pdf"))))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    response = upload(client, auth(person), out.getvalue())
    assert response.status_code == 422
    assert "加密" in response.json()["fields"]["file"]


def test_a_decompression_bomb_image_is_refused(client, person, auth):
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG")  # 100 megapixels, a few kilobytes
    response = upload(client, auth(person), out.getvalue(), name="bomb.png")
    assert response.status_code == 422
    assert "尺寸过大" in response.json()["fields"]["file"]


@override_settings(YJS_UPLOAD_MAX_BYTES=1000)
def test_a_file_over_the_limit_is_refused_with_the_limit_named(client, person, auth):
    response = upload(client, auth(person), b"%PDF-" + b"0" * 5000)
    assert response.status_code == 422
    assert "1000" in response.json()["fields"]["file"] or "KB" in response.json()["fields"]["file"]
    assert not StoredFile.objects.exists()


def test_a_request_without_a_file_names_the_field(client, person, auth):
    response = client.post(URL, {}, **auth(person))
    assert response.status_code == 422
    assert "file" in response.json()["fields"]


def test_the_name_loses_its_path_and_control_characters(client, person, auth):
    response = upload(client, auth(person), formats.sample("pdf"), name="..\\..\\etc/pass\x07wd.exe")
    assert response.json()["name"] == "passwd.pdf"


def test_only_the_uploader_reads_a_file_back(client, person, other_person, auth):
    file_id = upload(client, auth(person), formats.sample("pdf")).json()["id"]
    assert client.get(f"{URL}/{file_id}", **auth(person)).status_code == 200
    content = client.get(f"{URL}/{file_id}/content", **auth(person))
    assert content.status_code == 200
    assert content["Content-Type"] == "application/pdf"
    assert b"".join(content.streaming_content) == formats.sample("pdf")
    assert client.get(f"{URL}/{file_id}", **auth(other_person)).status_code == 404
    assert client.get(f"{URL}/{file_id}/content", **auth(other_person)).status_code == 404


def test_anonymous_callers_cannot_upload(client):
    assert upload(client, {}, formats.sample("pdf")).status_code == 401


def test_staff_without_a_case_role_cannot_upload(client, make_staff, auth, test_city):
    catalog_admin = make_staff("catalog_admin", region=test_city)
    assert upload(client, auth(catalog_admin), formats.sample("pdf")).status_code == 403
