"""No portal page ships more than 300 KB of JavaScript (issue 7), anonymous or signed in.

A page's JavaScript is every executable `<script>` it holds: the static file each `src` names (found through the
staticfiles finders, so hashed names from the manifest count too) plus the inline scripts; data blocks
(`type="application/json"` and the like) are not code. A script that cannot be weighed (another host, a path outside
STATIC_URL, a file no finder has) fails the check rather than counting as nothing. Modules a script imports are not
followed. `bench/bench_portal.py` weighs the demo pages with the same function.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import reverse

from yijianshi.cases.tests.conftest import BIRTH_CERT, bundle, submit_case  # noqa: F401  (shared fixtures)
from yijianshi.licenses.models import LicenseType
from yijianshi.licenses.tests.factories import issued

BUDGET = 300 * 1024
EXECUTABLE_TYPES = {"", "module", "text/javascript", "application/javascript", "application/ecmascript"}


@dataclass
class ScriptWeight:
    files: dict[str, int] = field(default_factory=dict)  # src → bytes
    inline: int = 0
    unresolved: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.files.values()) + self.inline

    def __str__(self) -> str:
        parts = [f"{src} {size:,} B" for src, size in self.files.items()] + [f"inline {self.inline:,} B"]
        parts += [f"{src} (cannot be weighed)" for src in self.unresolved]
        return f"{self.total / 1024:.1f} KB: " + ", ".join(parts)


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []
        self.inline: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        if tag != "script":
            return
        attributes = dict(attrs)
        self._inside = (attributes.get("type") or "").strip().lower() in EXECUTABLE_TYPES
        if self._inside and attributes.get("src"):
            self.sources.append(attributes["src"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._inside = False

    def handle_data(self, data):
        if self._inside:  # a script with src has no body, or one browsers ignore: counted all the same
            self.inline.append(data)


def static_file(src: str) -> Path | None:
    """The file a script's src serves, or None when it is not one of our static files."""
    url = urlsplit(src)
    if url.scheme or url.netloc or not url.path.startswith(settings.STATIC_URL):
        return None
    name = unquote(url.path).removeprefix(settings.STATIC_URL)
    # CompressedManifestStaticFilesStorage links hashed names (core/progress.3f2a….js); the finders know the originals.
    originals = {hashed: original for original, hashed in getattr(staticfiles_storage, "hashed_files", {}).items()}
    found = finders.find(originals.get(name, name))
    return Path(found) if found else None


def script_weight(html: str) -> ScriptWeight:
    """The JavaScript a page ships: the bytes of each linked static script and of its inline scripts."""
    parser = _Scripts()
    parser.feed(html)
    parser.close()
    weight = ScriptWeight(inline=sum(len(text.encode()) for text in parser.inline))
    for src in parser.sources:
        path = static_file(src)
        if path is None:
            weight.unresolved.append(src)
        else:
            weight.files[src] = path.stat().st_size
    return weight


def assert_within_budget(path: str, response) -> ScriptWeight:
    assert response.status_code == 200, (path, response.status_code)
    weight = script_weight(response.content.decode())
    assert not weight.unresolved, f"{path}: {weight}"
    assert 0 < weight.total <= BUDGET, f"{path}: {weight}"  # every page extends base.html, which has a script
    return weight


# --- the weighing itself ---------------------------------------------------------------------------------------------


def test_linked_and_inline_scripts_are_weighed_and_data_blocks_are_not():
    progress = Path(finders.find("core/progress.js")).stat().st_size
    html = (
        f'<script src="{settings.STATIC_URL}core/progress.js" defer></script>'
        "<script>var a = 1;</script>"
        '<script type="application/json">{"big": "' + "x" * 1000 + '"}</script>'
    )
    weight = script_weight(html)
    assert weight.files == {f"{settings.STATIC_URL}core/progress.js": progress}
    assert weight.total == progress + len("var a = 1;")
    assert not weight.unresolved


def test_a_script_that_cannot_be_weighed_or_is_too_heavy_fails_the_check():
    assert script_weight('<script src="https://cdn.example/lib.js"></script>').unresolved == [
        "https://cdn.example/lib.js"
    ]
    assert script_weight(f'<script src="{settings.STATIC_URL}core/nothing.js"></script>').unresolved
    heavy = script_weight("<script>" + "/" * (BUDGET + 1) + "</script>")
    assert heavy.total > BUDGET


# --- the pages -------------------------------------------------------------------------------------------------------

PUBLIC = [
    "/",
    "/search/?q=孩子出生",
    "/life-events/NEWBORN/",
    "/life-events/NEWBORN/form/",
    "/life-events/NEWBORN/wizard/",
    "/items/BIRTH/",
    "/verify/",
    "/kiosk/",
]
SIGNED_IN = [
    "/my/cases/",
    "/my/cases/{submitted}/",
    "/my/cases/{submitted}/receipt/",
    "/my/cases/{draft}/application/",
    "/my/cases/{draft}/confirm/",
    "/my/licenses/",
    "/my/data/",
    "/my/messages/",
]


@pytest.fixture
def applicant_pages(client, person, bundle):  # noqa: F811
    """zhangsan's situation in small: a submitted case, a draft and a license of his own; signed in."""
    from yijianshi.accounts.selectors import principal_for_user
    from yijianshi.cases.submission import case_create

    submitted = submit_case(person)
    draft, _created = case_create(
        by=principal_for_user(person), applicant=person.applicant, life_event="NEWBORN", submit=False
    )
    license = issued(
        license_type=LicenseType.objects.get(code=BIRTH_CERT), holder=person.applicant, issuer=bundle["wjw"],
        data={"child-name": "张小宝", "birth-date": "2026-11-20"},
    )  # fmt: skip
    client.force_login(person)
    return {"submitted": submitted.pk, "draft": draft.pk, "license": license.identifier}


def test_public_pages_ship_at_most_300_kb_of_javascript(client, bundle):  # noqa: F811
    for path in PUBLIC:
        assert_within_budget(path, client.get(path))


def test_applicant_pages_ship_at_most_300_kb_of_javascript(client, applicant_pages):
    for path in [*PUBLIC, *SIGNED_IN]:
        path = path.format(**applicant_pages)
        assert_within_budget(path, client.get(path))
    client.logout()
    verify = reverse("portal:verify", args=[applicant_pages["license"]])
    assert_within_budget(verify, client.get(verify))
