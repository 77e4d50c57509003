from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import CareLink, User
from accounts.sharing import clinician_by_share_code
from accounts.time_zones import DEFAULT_TIME_ZONE, time_zone_choices


class TimeZoneSelect(forms.Select):
    """A time zone list that static/js/time-zone.js sets to the browser's own zone."""

    def __init__(self, attrs=None):
        super().__init__({"data-detect-time-zone": "", **(attrs or {})})


def _time_zone_field(**kwargs):
    return forms.ChoiceField(
        label=_("Your time zone"),
        choices=time_zone_choices,
        initial=DEFAULT_TIME_ZONE,
        widget=TimeZoneSelect,
        help_text=_("Your diary's days and times follow this zone."),
        **kwargs,
    )


class SignUpForm(auth_forms.BaseUserCreationForm):
    """Self sign-up, for patients only: clinician accounts are made by a site admin."""

    time_zone = _time_zone_field()

    class Meta:
        model = User
        fields = ("full_name", "email", "time_zone")
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}
        labels = {"full_name": _("Your name")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.pop("autofocus", None)
        self.fields["full_name"].widget.attrs.update(autocomplete="name", autofocus=True)

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"])

    def validate_unique(self):
        """An address already in use is not refused here: the page must not say whether an
        account exists (the sign-up view e-mails that address instead)."""
        self.instance.validate_unique(exclude=[*self._get_validation_exclusions(), "email"])

    def save(self, commit=True):
        return User.objects.create_user(
            email=self.cleaned_data["email"],
            password=self.cleaned_data["password1"],
            full_name=self.cleaned_data["full_name"],
            time_zone=self.cleaned_data["time_zone"],
            # The page's language: the browser's, as LocaleMiddleware chose it.
            language=translation.get_language(),
            email_verified=False,
        )


class LoginForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class AccountForm(forms.ModelForm):
    """Name and time zone; for patients also the morning reminder (diary/domain/reminders.py)."""

    time_zone = _time_zone_field()

    class Meta:
        model = User
        fields = ("full_name", "language", "time_zone", "reminders_on", "reminder_time")
        labels = {
            "full_name": _("Your name"),
            "language": _("Language"),
            "reminders_on": _("Send me a morning reminder by e-mail"),
            "reminder_time": _("Reminder time"),
        }
        widgets = {"reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
        help_texts = {
            "reminders_on": _(
                "Only on mornings when last night is not logged yet, at most once a morning. "
                "It says nothing about your health, and one click stops it."
            ),
            "reminder_time": _("When you are usually up, in your time zone above."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["language"].required = False  # left out, the language stays as it was
        # Keep the saved zone selected; the browser's zone is only a suggestion at sign-up.
        self.fields["time_zone"].widget.attrs.pop("data-detect-time-zone", None)
        if not self.instance.is_patient:  # clinicians keep no diary to be reminded of
            del self.fields["reminders_on"], self.fields["reminder_time"]
            return
        # Left out of a form (an older page, a script), the time stays as it was.
        self.fields["reminder_time"].required = False
        if not self.instance.email_verified:
            self.fields["reminders_on"].help_text = _(
                "Reminders go only to a confirmed address: open the link we e-mailed you "
                "(or ask for a new one on the sharing page) first."
            )

    def clean_reminder_time(self):
        chosen = self.cleaned_data.get("reminder_time") or self.instance.reminder_time
        return chosen.replace(second=0, microsecond=0)

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language


class CareLinkForm(forms.ModelForm):
    """What a clinician keeps on a link: their record number and appointment dates."""

    class Meta:
        model = CareLink
        fields = ("record_number", "last_appointment", "next_appointment")
        widgets = {
            "last_appointment": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "next_appointment": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "last_appointment": _("The summary starts from here unless you pick other dates."),
        }

    def clean(self):
        cleaned = super().clean()
        last, upcoming = cleaned.get("last_appointment"), cleaned.get("next_appointment")
        if last and upcoming and upcoming < last:
            self.add_error("next_appointment", _("The next appointment comes after the last."))
        if last and last.year < 1900:
            self.add_error("last_appointment", _("Please check the year."))
        return cleaned


class ClinicianNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Private note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only you see it. It is hidden if the patient stops sharing."),
    )


class ShareCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your clinician's share code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
        help_text=_("Eight letters and digits, such as K7PQ 4XRM."),
    )

    def __init__(self, *args, refused: str = "", **kwargs):
        """`refused`: the reason no code is looked at now (too many wrong ones), shown at the
        field."""
        super().__init__(*args, **kwargs)
        self.refused = refused
        if refused:
            self.fields["code"].required = False  # the reason shows even on an empty field

    def clean_code(self):
        if self.refused:
            raise forms.ValidationError(self.refused, code="too_many_tries")
        clinician = clinician_by_share_code(self.cleaned_data["code"])
        if clinician is None:
            raise forms.ValidationError(
                _("No clinician has this code. Please check it."), code="unknown_code"
            )
        self.clinician = clinician
        return clinician.share_code


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class AccountDeleteForm(forms.Form):
    """Asks for the current password before an account and its diary are deleted."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password
