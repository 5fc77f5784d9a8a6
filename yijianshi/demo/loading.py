"""`yjs demo`: everything the demo needs, in order. Loading twice changes nothing."""

from yijianshi.catalog.importer import ImportSummary
from yijianshi.demo import accounts, catalog
from yijianshi.demo.announcements import load_announcements
from yijianshi.demo.licenses import issue_identity_cards, load_license_types


def load_demo() -> tuple[list[accounts.DemoLogin], ImportSummary]:
    logins = accounts.load()
    summary = catalog.load()
    logins += accounts.load_approvers()  # after the catalog: every department with items gets one
    load_license_types()  # after the catalog: issuers are the departments of the items producing each license
    issue_identity_cards()
    load_announcements()
    return logins, summary
