"""The demo catalog: 郑州's sample implementation list with the 13 national first-batch life events.

Imported through the same path as any catalog file, so the demo exercises validation, versioning and search.
Importing again changes nothing unless the file changed.
"""

from pathlib import Path

from yijianshi.catalog.importer import ImportSummary, catalog_import

CATALOG_FILE = Path(__file__).with_name("catalog.yaml")


def load() -> ImportSummary:
    return catalog_import(text=CATALOG_FILE.read_text(encoding="utf-8"))
