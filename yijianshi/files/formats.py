"""The document formats the platform accepts, recognised by content: never by the name or the declared type.

Each upload is sniffed by its first bytes and then opened by a parser of its format, so a renamed executable, a
truncated scan, an encrypted PDF or a decompression bomb is refused with a reason the applicant can act on.
"""

import io
import warnings
import xml.etree.ElementTree as ET
import zipfile

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PDF, OFD, JPEG, PNG = "pdf", "ofd", "jpeg", "png"
FORMATS = (PDF, OFD, JPEG, PNG)
LABELS = {PDF: "PDF", OFD: "OFD", JPEG: "JPEG", PNG: "PNG"}
CONTENT_TYPES = {PDF: "application/pdf", OFD: "application/ofd", JPEG: "image/jpeg", PNG: "image/png"}
EXTENSIONS = {PDF: "pdf", OFD: "ofd", JPEG: "jpg", PNG: "png"}

SIGNATURES = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG), (b"PK\x03\x04", OFD))
MAX_PIXELS = 60_000_000  # a 60-megapixel image is larger than any scan a department needs
MAX_OFD_UNPACKED = 200 * 1024 * 1024
MAX_OFD_ENTRIES = 10_000
UNKNOWN_FORMAT = gettext_lazy("文件内容不是 PDF、OFD、JPEG 或 PNG 格式（请勿只修改扩展名）。")


class Refused(ValueError):
    """The content is not an acceptable document; the message says why, in Chinese."""


def sniff(head: bytes) -> str | None:
    """The format the first bytes announce, or None."""
    for signature, name in SIGNATURES:
        if head.startswith(signature):
            return name
    return None


def describe(formats) -> str:
    return "、".join(LABELS[f] for f in FORMATS if f in formats)


def inspect(stream, name: str) -> dict:
    """Open `stream` as format `name`; return what was learnt (pages, size in pixels) or raise Refused."""
    stream.seek(0)
    try:
        return INSPECTORS[name](stream)
    finally:
        stream.seek(0)


def _pdf(stream) -> dict:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(stream, strict=False)
            if reader.is_encrypted:
                raise Refused(_("PDF 文件已加密或设有打开密码，请上传未加密的文件。"))
            pages = len(reader.pages)
    except Refused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
        raise Refused(_("PDF 文件已损坏或不完整，无法打开。")) from error
    if pages == 0:
        raise Refused(_("PDF 文件没有任何页面。"))
    return {"pages": pages}


def _image(expected: str):
    def inspect_image(stream) -> dict:
        from PIL import Image, UnidentifiedImageError

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(stream) as image:
                    width, height = image.size
                    if width * height > MAX_PIXELS:
                        raise Refused(_("图片尺寸过大（超过 6000 万像素），请缩小后上传。"))
                    actual = (image.format or "").lower()
                    image.verify()
        except Refused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise Refused(_("图片尺寸过大（超过 6000 万像素），请缩小后上传。")) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise Refused(_("图片文件已损坏或不完整，无法打开。")) from error
        if actual != expected:
            raise Refused(UNKNOWN_FORMAT)
        return {"pages": 1, "width": width, "height": height}

    return inspect_image


def _ofd(stream) -> dict:
    """An OFD (GB/T 33190) package: a ZIP whose root holds OFD.xml with an ofd:OFD root element."""
    try:
        with zipfile.ZipFile(stream) as package:
            entries = package.infolist()
            if len(entries) > MAX_OFD_ENTRIES or sum(e.file_size for e in entries) > MAX_OFD_UNPACKED:
                raise Refused(_("OFD 文件解压后过大。"))
            for entry in entries:
                if entry.filename.startswith(("/", "\\")) or ".." in entry.filename.replace("\\", "/").split("/"):
                    raise Refused(_("OFD 文件包含不安全的路径。"))
            if "OFD.xml" not in package.namelist():
                raise Refused(_("不是有效的 OFD 文件（缺少 OFD.xml），可能是普通压缩包。"))
            root = ET.fromstring(package.read("OFD.xml"))  # noqa: S314 - expat refuses entity expansion bombs
            if root.tag.rsplit("}", 1)[-1] != "OFD":
                raise Refused(_("不是有效的 OFD 文件（OFD.xml 的根元素不正确）。"))
            documents = root.findall(".//{*}DocBody")
            bad = package.testzip()
    except Refused:
        raise
    except (zipfile.BadZipFile, ET.ParseError, OSError, ValueError, KeyError, EOFError) as error:
        raise Refused(_("OFD 文件已损坏或不完整，无法打开。")) from error
    if bad is not None:
        raise Refused(_("OFD 文件已损坏或不完整，无法打开。"))
    if not documents:
        raise Refused(_("OFD 文件不包含任何文档。"))
    return {"pages": None}


INSPECTORS = {PDF: _pdf, JPEG: _image("jpeg"), PNG: _image("png"), OFD: _ofd}


def sample(name: str) -> bytes:
    """A minimal valid document of a format, for demo data, tests and benchmarks."""
    if name == PDF:
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    if name in (JPEG, PNG):
        from PIL import Image

        out = io.BytesIO()
        Image.new("RGB", (64, 48), (200, 220, 240)).save(out, format=name.upper())
        return out.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr(
            "OFD.xml",
            '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.1" '
            'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID></ofd:DocInfo>'
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        package.writestr(
            "Doc_0/Document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016">'
            "<ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
            "</ofd:CommonData><ofd:Pages/></ofd:Document>",
        )
    return out.getvalue()
