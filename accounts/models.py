import secrets
import zoneinfo
from datetime import time

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.signals import patient_created
from accounts.time_zones import DEFAULT_TIME_ZONE, validate_time_zone

DEFAULT_REMINDER_TIME = time(7, 30)  # in the user's own time zone


def new_public_id() -> str:
    """A random id for a patient's pages: it says nothing about the database key."""
    return secrets.token_urlsafe(12)


SHARE_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L


def new_share_code() -> str:
    return "".join(secrets.choice(SHARE_CODE_ALPHABET) for _ in range(8))


def login_username(request, credentials) -> str:
    """The account a log-in attempt is for, however the e-mail was typed (for lockouts)."""
    typed = (credentials or {}).get("username") or request.POST.get("username", "")
    return UserManager.normalize_email(typed)


class Role(models.TextChoices):
    PATIENT = "patient", _("Patient")
    CLINICIAN = "clinician", _("Clinician")


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        # The whole address, not just the domain: people type their e-mail in any case.
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email=self.normalize_email(username))

    def create_user(
        self, email, password=None, *, role=Role.PATIENT, email_verified=True, **fields
    ):
        """A new account. Only self sign-up passes email_verified=False: accounts made by an
        admin, create_clinician (its set-password link proves the address), seed_demo and
        import_diary --create count as verified."""
        if not email:
            raise ValueError("Users need an e-mail address.")
        if email_verified:
            fields.setdefault("email_verified_at", timezone.now())
        with transaction.atomic():
            user = self.model(email=self.normalize_email(email), role=role, **fields)
            user.set_password(password)  # None leaves an unusable password
            user.save(using=self._db)
            if role == Role.PATIENT:  # the diary makes the patient's health profile
                patient_created.send(sender=self.model, patient=user)
        return user

    def create_superuser(self, email, password=None, **fields):
        # Site admins run the site; they are neither patients nor clinicians of it.
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, role=Role.CLINICIAN, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.PATIENT)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone]
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can log in to the admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    email_verified_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    practice = models.CharField(
        _("practice"),
        max_length=150,
        blank=True,
        help_text=_("Clinicians: where patients see you."),
    )
    share_code = models.CharField(
        _("share code"),
        max_length=8,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Clinicians give this code to patients who want to share their diary."),
    )
    # Patients: a morning e-mail when last night is not logged yet (diary/domain/reminders.py).
    reminders_on = models.BooleanField(_("morning reminder by e-mail"), default=False)
    reminder_time = models.TimeField(_("reminder time"), default=DEFAULT_REMINDER_TIME)
    # Pages, e-mails and PDFs in this language; picked from the browser at sign-up.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_clinician(self) -> bool:
        return self.role == Role.CLINICIAN

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class LinkStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an answer")
    ACTIVE = "active", _("shared")
    DECLINED = "declined", _("declined")
    REVOKED = "revoked", _("stopped")


class CareLink(models.Model):
    """A patient's diary shared with one clinician, while the patient wants it.

    Made by the patient (with the clinician's share code, or offered to a clinician's e-mail,
    which that clinician accepts) or asked for by a clinician (by the patient's e-mail, which
    the patient accepts). Until it is answered, the side that was asked is known only by the
    e-mail typed, so nothing reveals whether an account exists.
    """

    patient = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="care_links"
    )
    clinician = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="patient_links"
    )
    invited_email = models.EmailField(_("e-mail asked"), blank=True)
    asked_by = models.CharField(max_length=10, choices=Role.choices)
    status = models.CharField(max_length=10, choices=LinkStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The clinician's own details, never shown to the patient.
    record_number = models.CharField(_("record number"), max_length=40, blank=True)
    last_appointment = models.DateField(_("last appointment"), null=True, blank=True)
    next_appointment = models.DateField(_("next appointment"), null=True, blank=True)
    last_reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "clinician"],
                condition=models.Q(status="active"),
                name="one_active_link_per_pair",
            )
        ]
        indexes = [models.Index(fields=["clinician", "status"], name="link_clinician_status")]

    def __str__(self):
        return f"{self.patient or self.invited_email} → {self.clinician or self.invited_email}"


class ClinicianNote(models.Model):
    """A clinician's private note about a patient: never shown to the patient, and no longer
    shown to the clinician once the link is stopped."""

    link = models.ForeignKey(CareLink, on_delete=models.CASCADE, related_name="notes")
    written_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("note"), max_length=4000)

    class Meta:
        ordering = ["-written_at"]

    def __str__(self):
        return f"Note of {self.written_at:%Y-%m-%d}"


class AccessRecord(models.Model):
    """Every clinician view or download of a diary: who, whose, what, when."""

    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="diary_accesses")
    clinician = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="diary_views"
    )
    clinician_name = models.CharField(max_length=150)  # kept if the account goes
    what = models.CharField(max_length=20)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.clinician_name} – {self.what} – {self.at:%Y-%m-%d %H:%M}"


class UserSession(AbstractBaseSession):
    """A session, with the account signed in to it (accounts.sessions writes it at each save),
    so that an account's sessions can be found, and end, without reading every session: they
    go with the account. No database constraint: a request still running when its account is
    deleted must not fail on saving its session (Django's delete still cascades)."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        db_constraint=False,
        related_name="+",
    )

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions import SessionStore

        return SessionStore
