"""The caller of a request, whoever it is: an applicant, a staff member or a department system.

A Principal is built once per request from the user's role assignments (or the client's scopes) and answers
two questions: may the caller do this kind of thing at all (`require`), and where (`grants`).
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from yijianshi.core.errors import Forbidden


@dataclass(frozen=True)
class Grant:
    """Scopes held through one role, limited to a region (by code prefix) and possibly a department."""

    role: str
    role_name: str
    scopes: frozenset[str]
    region_prefix: str = ""
    region_code: str | None = None
    department_id: int | None = None


@dataclass(frozen=True)
class Principal:
    user: object | None = None
    client: object | None = None
    token: object | None = None
    grants_held: tuple[Grant, ...] = ()
    applicant_ids: frozenset[int] = field(default_factory=frozenset)
    acting: int | None = None  # the applicant chosen for this session (a person acting for their organisation)

    @cached_property
    def scopes(self) -> frozenset[str]:
        return frozenset().union(*(grant.scopes for grant in self.grants_held))

    @property
    def is_staff(self) -> bool:
        return self.user is not None and not self.user.is_applicant

    @property
    def acting_applicant_id(self) -> int | None:
        """The applicant the user acts as: the one chosen for the session if they may act for it, else their own
        person (or the organisation account's organisation)."""
        if self.acting is not None and self.acting in self.applicant_ids:
            return self.acting
        return self.user.applicant_id if self.user is not None else None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def require(self, scope: str) -> None:
        """Raise Forbidden unless some role of the caller holds `scope`."""
        if scope not in self.scopes:
            raise Forbidden(_("您没有执行此操作的权限（需要 %(scope)s）。") % {"scope": scope})

    def grants(self, scope: str) -> list[Grant]:
        return [grant for grant in self.grants_held if scope in grant.scopes]

    def region_prefixes(self, scope: str) -> list[str]:
        """Code prefixes of the regions where the caller holds `scope`; "" means everywhere."""
        return [grant.region_prefix for grant in self.grants(scope)]

    def covers_region(self, scope: str, region_code: str | None) -> bool:
        if region_code is None:
            return any(prefix == "" for prefix in self.region_prefixes(scope))
        return any(region_code.startswith(prefix) for prefix in self.region_prefixes(scope))

    def department_ids(self, scope: str) -> set[int]:
        return {grant.department_id for grant in self.grants(scope) if grant.department_id is not None}


ANONYMOUS = Principal()
