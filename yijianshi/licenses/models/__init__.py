from yijianshi.licenses.models.licenses import (
    HOLDER_ID_KINDS,
    PDF_TEMPLATES,
    ExpiryReminder,
    License,
    LicenseSequence,
    LicenseType,
    LicenseVersion,
    Seal,
)
from yijianshi.licenses.models.profiles import Consent, DataAccess, Profile

__all__ = [
    "HOLDER_ID_KINDS",
    "PDF_TEMPLATES",
    "Consent",
    "DataAccess",
    "ExpiryReminder",
    "License",
    "LicenseSequence",
    "LicenseType",
    "LicenseVersion",
    "Profile",
    "Seal",
]
