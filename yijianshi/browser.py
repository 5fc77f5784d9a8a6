"""Browser-test support: Debian's Chromium through Playwright, and axe-core on every page visited.

Used by the `browser` fixtures in yijianshi/conftest.py. Not imported by the platform itself.
"""

import os
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

CHROMIUM = os.environ.get("YJS_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium keeps calling home on a machine with no internet and slows every test.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = {"phone": 360, "desktop": 1280}
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()


def accessibility_problems(page) -> list[str]:
    """Run axe-core on the page; describe every serious or critical violation."""
    results = _axe.run(page)
    problems = []
    for violation in results.response["violations"]:
        if violation.get("impact") in BLOCKING_IMPACTS:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            problems.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return problems


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot when YJS_SCREENSHOT_DIR names a folder (docs/screenshots for the docs)."""
    folder = os.environ.get("YJS_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
