import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.time_zones import DEFAULT_TIME_ZONE, validate_time_zone


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

    def create_user(self, email, password=None, *, role=Role.PATIENT, **fields):
        if not email:
            raise ValueError("Users need an e-mail address.")
        with transaction.atomic():
            user = self.model(email=self.normalize_email(email), role=role, **fields)
            user.set_password(password)  # None leaves an unusable password
            user.save(using=self._db)
            if role == Role.PATIENT:
                HealthProfile.objects.create(patient=user)
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
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

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
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_clinician(self) -> bool:
        return self.role == Role.CLINICIAN

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class HealthProfile(models.Model):
    """What a patient tells us about their health; the triage rules read it."""

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="health_profile",
        limit_choices_to={"role": Role.PATIENT},
    )
    venous_disease = models.BooleanField(_("venous disease or varicose veins"), default=False)
    peripheral_artery_disease = models.BooleanField(_("peripheral artery disease"), default=False)
    pregnant = models.BooleanField(_("pregnant"), default=False)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)

    class Meta:
        verbose_name = _("health profile")
        verbose_name_plural = _("health profiles")

    def __str__(self):
        return str(_("Health profile of %(patient)s") % {"patient": self.patient})
