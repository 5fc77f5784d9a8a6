"""The scopes code checks. Which role holds which scope is data (Role.scopes), seeded by migrations.

A test keeps this list and the seeded Scope rows equal, so a check can never name a scope nobody holds.
"""

APPLICANT_OWN = "applicant.own"  # act as oneself or an organisation one represents
APPLICANT_READ = "applicant.read"  # staff: read applicants of their region
CASE_SUBMIT = "case.submit"
CASE_READ = "case.read"  # staff: read cases of their region
CASE_ACCEPT = "case.accept"  # comprehensive window: accept, correct, refuse, hand out results
TASK_DECIDE = "task.decide"  # department approver
CATALOG_MANAGE = "catalog.manage"
SUPERVISION_READ = "supervision.read"
ACCOUNTS_MANAGE = "accounts.manage"
CALENDAR_MANAGE = "calendar.manage"  # holidays and swapped working days
LICENSE_MANAGE = "license.manage"  # change the status of licenses one's department issued
CREDIT_MANAGE = "credit.manage"  # import serious-dishonesty marks, repair marks by hand (a national grant only)

ALL = frozenset(
    {
        APPLICANT_OWN,
        APPLICANT_READ,
        CASE_SUBMIT,
        CASE_READ,
        CASE_ACCEPT,
        TASK_DECIDE,
        CATALOG_MANAGE,
        SUPERVISION_READ,
        ACCOUNTS_MANAGE,
        CALENDAR_MANAGE,
        LICENSE_MANAGE,
        CREDIT_MANAGE,
    }
)
