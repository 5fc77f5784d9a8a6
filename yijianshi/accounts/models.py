"""Who is who: regions, departments, applicants (persons and organisations), users, roles and API access."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yijianshi.core.identifiers import (
    CITIZEN_ID_TYPE,
    CREDIT_CODE_TYPE,
    REGION_LEVEL_NAMES,
    region_level,
    region_prefix,
    validate_citizen_id,
    validate_credit_code,
    validate_region_code,
)
from yijianshi.core.masking import mask_citizen_id, mask_mobile, mask_name


class Region(models.Model):
    """An administrative division (行政区划), GB/T 2260 code extended to 12 digits."""

    code = models.CharField(_("行政区划代码"), max_length=12, unique=True, validators=[validate_region_code])
    name = models.CharField(_("名称"), max_length=64)
    level = models.PositiveSmallIntegerField(_("层级"), choices=sorted(REGION_LEVEL_NAMES.items()), editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    def save(self, *args, **kwargs):
        self.level = region_level(self.code)
        super().save(*args, **kwargs)

    def clean(self):
        try:
            validate_region_code(self.code)
        except ValidationError:
            return  # the field validator reports it
        self.level = region_level(self.code)
        if self.parent_id is None:
            return
        if self.parent.level >= self.level or not self.parent.contains(self.code):
            raise ValidationError({"parent": _("上级区划必须是更高一级、且代码包含本区划的区划。")})

    @property
    def prefix(self) -> str:
        """The leading digits shared by this region and every region inside it."""
        return region_prefix(self.code)

    def contains(self, code: str) -> bool:
        return code.startswith(self.prefix)


class KeepsCounters(models.Model):
    """A model with version counters (`counters`) that only `UPDATE … SET c = c + 1` moves: a full save of a row
    loaded earlier writes every other field and leaves the counters as the database holds them, since another
    transaction may have moved them since the row was read (a counter wound back would bring back what it retired).
    """

    counters: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if (
            not self._state.adding
            and not args
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
        ):
            skipped = {*self.counters, *self.get_deferred_fields()}
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.attname not in skipped
            ]
        super().save(*args, **kwargs)


class Department(KeepsCounters, models.Model):
    """A government department or agency (部门) of some region."""

    code = models.SlugField(_("部门编码"), max_length=32, unique=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code])
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="departments")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("启用"), default=True)
    # Moves on whenever the webhook subscriptions of the department's systems change: the deciding transactions,
    # which read the department with the tasks anyway, keep the subscriptions per version (cases.notices).
    webhooks_version = models.PositiveIntegerField(_("订阅版本"), default=0, editable=False)
    counters = ("webhooks_version",)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["region__code", "code"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("部门不能以自己为上级部门。")})


class Applicant(models.Model):
    """A party that applies: a natural person (自然人) or an organisation (法人及其他组织)."""

    class Kind(models.TextChoices):
        PERSON = "person", _("自然人")
        ORGANIZATION = "organization", _("法人")

    ID_TYPES = {Kind.PERSON: CITIZEN_ID_TYPE, Kind.ORGANIZATION: CREDIT_CODE_TYPE}

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("姓名/名称"), max_length=100)
    id_type = models.CharField(
        _("证件类型"),
        max_length=3,
        blank=True,  # follows from the kind; set by clean()
        choices=[(CITIZEN_ID_TYPE, _("公民身份号码")), (CREDIT_CODE_TYPE, _("统一社会信用代码"))],
    )
    id_number = models.CharField(_("证件号码"), max_length=18)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    legal_representative_name = models.CharField(_("法定代表人姓名"), max_length=64, blank=True)
    legal_representative_id_number = models.CharField(_("法定代表人身份号码"), max_length=18, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("申请人")
        verbose_name_plural = _("申请人")
        constraints = [
            models.UniqueConstraint(fields=["id_type", "id_number"], name="applicant_unique_identifier"),
        ]

    def __str__(self):
        return f"{mask_name(self.name) if self.is_person else self.name}（{self.masked_id_number}）"

    @property
    def is_person(self) -> bool:
        return self.kind == self.Kind.PERSON

    @property
    def masked_id_number(self) -> str:
        return mask_citizen_id(self.id_number) if self.is_person else self.id_number

    @property
    def masked_phone(self) -> str:
        return mask_mobile(self.phone)

    def clean(self):
        errors = {}
        if self.kind in self.ID_TYPES:
            self.id_type = self.ID_TYPES[self.kind]
        validate = validate_citizen_id if self.is_person else validate_credit_code
        try:
            self.id_number = validate(self.id_number)
        except ValidationError as error:
            errors["id_number"] = error.messages
        if self.kind == self.Kind.ORGANIZATION:
            if not self.legal_representative_name:
                errors["legal_representative_name"] = [_("法人须填写法定代表人姓名。")]
            try:
                self.legal_representative_id_number = validate_citizen_id(self.legal_representative_id_number)
            except ValidationError as error:
                errors["legal_representative_id_number"] = [_("法定代表人") + message for message in error.messages]
        if errors:
            raise ValidationError(errors)


class OrganizationMember(models.Model):
    """A person allowed to act for an organisation: its legal representative or an authorised agent (经办人)."""

    class Role(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_representative", _("法定代表人")
        AGENT = "agent", _("授权经办人")

    organization = models.ForeignKey(
        Applicant,
        verbose_name=_("单位"),
        on_delete=models.CASCADE,
        related_name="members",
        limit_choices_to={"kind": Applicant.Kind.ORGANIZATION},
    )
    user = models.ForeignKey(
        "accounts.User", verbose_name=_("人员账户"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("身份"), max_length=24, choices=Role.choices, default=Role.AGENT)
    granted_at = models.DateTimeField(_("授权时间"), default=timezone.now)
    valid_until = models.DateTimeField(_("授权截止"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("单位经办人")
        verbose_name_plural = _("单位经办人")
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="member_unique_per_org")]

    def __str__(self):
        return f"{self.organization.name} · {self.user} · {self.get_role_display()}"

    def clean(self):
        if self.organization_id and self.organization.kind != Applicant.Kind.ORGANIZATION:
            raise ValidationError({"organization": _("只能为法人授权经办人。")})
        if self.user_id and self.user.kind != User.Kind.PERSON:
            raise ValidationError({"user": _("经办人必须是自然人账户。")})

    @classmethod
    def active_q(cls, now=None) -> Q:
        now = now or timezone.now()
        return Q(revoked_at__isnull=True) & (Q(valid_until__isnull=True) | Q(valid_until__gt=now))


class AccountManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("kind", User.Kind.STAFF)
        extra_fields.setdefault("name", username)
        return super().create_superuser(username, email, password, **extra_fields)


class User(KeepsCounters, AbstractUser):
    """A login. Applicants log in as themselves or as an organisation account; staff carry role assignments."""

    class Kind(models.TextChoices):
        PERSON = "person", _("自然人用户")
        ORGANIZATION = "organization", _("法人用户")
        STAFF = "staff", _("工作人员")

    first_name = None
    last_name = None
    name = models.CharField(_("姓名"), max_length=64)
    kind = models.CharField(_("用户类型"), max_length=16, choices=Kind.choices, default=Kind.PERSON)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    applicant = models.OneToOneField(
        Applicant,
        verbose_name=_("申请人身份"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
    )
    # Moves on whenever what the user may do changes (roles, their scopes, memberships): a process's cached
    # principal for an older value is not used (accounts.principal_cache).
    access_version = models.PositiveIntegerField(_("权限版本"), default=0, editable=False)
    counters = ("access_version",)

    objects = AccountManager()
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        # Applicants' names are personal data and this string shows in admin lists and logs.
        name = mask_name(self.name) if self.is_applicant else self.name
        return f"{name or self.username}（{self.username}）"

    def save(self, *args, **kwargs):
        """Save; a new password ends every bearer token the user holds (a stolen token dies with it)."""
        password_changed = self.pk is not None and self._password is not None
        super().save(*args, **kwargs)
        if password_changed:
            ApiToken.objects.filter(user=self, revoked_at__isnull=True).update(revoked_at=timezone.now())

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name

    @property
    def is_applicant(self) -> bool:
        return self.kind in (self.Kind.PERSON, self.Kind.ORGANIZATION)

    def clean(self):
        super().clean()
        if self.is_applicant:
            if self.applicant_id is None:
                raise ValidationError({"applicant": _("申请人用户必须关联申请人身份。")})
            if self.applicant.kind != self.kind:
                raise ValidationError({"applicant": _("用户类型与申请人类型不一致。")})
        elif self.applicant_id is not None:
            raise ValidationError({"applicant": _("工作人员账户不关联申请人身份。")})


class Scope(models.Model):
    """A permission to do one kind of thing, e.g. `case.accept`. Roles and API clients hold scopes."""

    code = models.CharField(_("权限编码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("权限")
        verbose_name_plural = _("权限")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class Role(models.Model):
    """A set of scopes given to a kind of user; staff roles are assigned per department or region."""

    class Audience(models.TextChoices):
        APPLICANT = "applicant", _("申请人")
        STAFF = "staff", _("工作人员")

    code = models.SlugField(_("角色编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    audience = models.CharField(_("适用对象"), max_length=16, choices=Audience.choices)
    scopes = models.ManyToManyField(Scope, verbose_name=_("权限"), related_name="roles", blank=True)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["audience", "code"]

    def __str__(self):
        return self.name


class RoleAssignment(models.Model):
    """A staff member holds a role within a region, and for department roles within one department."""

    user = models.ForeignKey(User, verbose_name=_("工作人员"), on_delete=models.CASCADE, related_name="assignments")
    role = models.ForeignKey(
        Role,
        verbose_name=_("角色"),
        on_delete=models.PROTECT,
        related_name="assignments",
        limit_choices_to={"audience": Role.Audience.STAFF},
    )
    region = models.ForeignKey(Region, verbose_name=_("管辖区划"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department,
        verbose_name=_("所属部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    DEPARTMENT_ROLES = frozenset({"approver"})

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(department__isnull=True),
                name="assignment_unique_in_region",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region", "department"],
                condition=Q(department__isnull=False),
                name="assignment_unique_in_department",
            ),
        ]

    def __str__(self):
        where = self.department.name if self.department_id else self.region.name
        return f"{self.role.name} · {where}"

    def clean(self):
        errors = {}
        if self.user_id and self.user.kind != User.Kind.STAFF:
            errors["user"] = _("只有工作人员账户可以分配工作人员角色。")
        if self.role_id and self.role.audience != Role.Audience.STAFF:
            errors["role"] = _("申请人角色由用户类型决定，不能分配。")
        if self.role_id and self.role.code in self.DEPARTMENT_ROLES and not self.department_id:
            errors["department"] = _("该角色必须绑定到一个部门。")
        if self.department_id and self.region_id and not self.region.contains(self.department.region.code):
            errors["department"] = _("部门必须位于所分配的区划之内。")
        if errors:
            raise ValidationError(errors)


class ApiClient(models.Model):
    """A department system that calls the API with its own token and scopes."""

    name = models.CharField(_("客户端名称"), max_length=100, unique=True)
    department = models.ForeignKey(
        Department, verbose_name=_("所属部门"), on_delete=models.PROTECT, related_name="api_clients"
    )
    scopes = models.ManyToManyField(Scope, verbose_name=_("权限"), related_name="clients", blank=True)
    contact = models.CharField(_("联系人"), max_length=100, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("接口客户端")
        verbose_name_plural = _("接口客户端")

    def __str__(self):
        return self.name


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 digest is stored; the token itself is shown once."""

    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("令牌前缀"), max_length=12, editable=False)
    user = models.ForeignKey(
        User,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    client = models.ForeignKey(
        ApiClient,
        verbose_name=_("接口客户端"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tokens",
    )
    name = models.CharField(_("用途"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("过期时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, client__isnull=True) | Q(user__isnull=True, client__isnull=False),
                name="token_has_one_holder",
            ),
        ]

    def __str__(self):
        return f"{self.prefix}…"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class LoginCode(models.Model):
    """A one-time sign-in code (短信验证码) for the self-service kiosk, asked for by citizen ID.

    Only keyed digests are kept: of the citizen ID and of the code. An ID without an applicant account gets a row
    too, with a code that is never sent, so that throttling and answers cannot tell registered IDs from others.
    """

    id_digest = models.CharField(_("证件号码摘要"), max_length=64, editable=False)
    code_digest = models.CharField(_("验证码摘要"), max_length=64, editable=False)
    user = models.ForeignKey(
        User, verbose_name=_("用户"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("过期时间"))
    failed_attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("登录验证码")
        verbose_name_plural = _("登录验证码")
        indexes = [
            models.Index(fields=["id_digest", "created_at"], name="login_code_per_id"),
            models.Index(fields=["created_at"], name="login_code_age"),
        ]

    def __str__(self):
        return f"{self.id_digest[:8]}…（{self.created_at:%Y-%m-%d %H:%M}）"
