"""Login through a province's unified identity platform (统一身份认证) over OpenID Connect.

Off unless OIDC_ENABLED is set. The platform vouches for a natural person by citizen ID; the person's account
here is found by that ID or created on first login. The claim names are configurable (OIDC_CLAIM_*).
"""

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from yijianshi.accounts.models import Applicant, User
from yijianshi.accounts.services import applicant_create, user_create_applicant
from yijianshi.core.identifiers import CITIZEN_ID_TYPE, validate_citizen_id

logger = logging.getLogger(__name__)


class ProvincialIdentityBackend(OIDCAuthenticationBackend):
    def _citizen_id(self, claims) -> str | None:
        try:
            return validate_citizen_id(str(claims.get(settings.OIDC_CLAIM_CITIZEN_ID, "")))
        except ValidationError:
            return None

    def verify_claims(self, claims) -> bool:
        """Accept only identities carrying a valid citizen ID and a name."""
        return self._citizen_id(claims) is not None and bool(claims.get(settings.OIDC_CLAIM_NAME))

    def filter_users_by_claims(self, claims):
        citizen_id = self._citizen_id(claims)
        if citizen_id is None:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(
            kind=User.Kind.PERSON, applicant__id_type=CITIZEN_ID_TYPE, applicant__id_number=citizen_id
        )

    @transaction.atomic
    def create_user(self, claims):
        citizen_id = self._citizen_id(claims)
        applicant = Applicant.objects.filter(id_type=CITIZEN_ID_TYPE, id_number=citizen_id).first()
        if applicant is None:
            applicant = applicant_create(
                kind=Applicant.Kind.PERSON,
                name=claims[settings.OIDC_CLAIM_NAME],
                id_number=citizen_id,
                phone=str(claims.get(settings.OIDC_CLAIM_PHONE, "") or ""),
            )
        user = user_create_applicant(username=self._username(claims), password=None, applicant=applicant)
        logger.info("account created from unified identity", extra={"user_id": user.pk})
        return user

    @staticmethod
    def _username(claims) -> str:
        """An opaque, stable login name: never the citizen ID, which would then show wherever names do."""
        subject = str(claims.get("sub") or "")
        if subject:
            return "oidc-" + hashlib.sha256(subject.encode()).hexdigest()[:24]
        return "oidc-" + uuid.uuid4().hex[:24]

    def update_user(self, user, claims):
        phone = str(claims.get(settings.OIDC_CLAIM_PHONE, "") or "")
        if phone and phone != user.phone:
            user.phone = phone
            user.save(update_fields=["phone"])
        return user
