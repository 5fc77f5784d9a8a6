"""Case numbers: region (6 digits) - date - sequence of the day, e.g. 410100-20261122-000017 (a gapless counter per
region and day, `core.sequences`)."""

import datetime

from yijianshi.cases.models import CaseSequence
from yijianshi.core.sequences import counter_next


def case_number_next(*, region_code: str, day: datetime.date) -> str:
    prefix = f"{region_code[:6]}-{day:%Y%m%d}"
    return f"{prefix}-{counter_next(CaseSequence, prefix):06d}"
