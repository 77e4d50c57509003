"""The morning log: one form for the night, a formset for its cramps.

Short vocabularies are radio buttons and check boxes shown as big tap targets (see
templates/diary/includes/choices.html), never drop-downs.
"""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diary.domain.checks import EARLIEST_DATE, ProfileAnswers, profile_problems
from diary.domain.records import (
    SLEEP_FIELDS,
    SLEEP_TIMES,
    CrampRecord,
    NightRecord,
    TreatmentRecord,
)
from diary.domain.stats import range_within_diary
from diary.domain.vocabulary import (
    AWAKENINGS_MAX,
    DURATION_MAX_MINUTES,
    MAX_CRAMPS_PER_NIGHT,
    NOTES_MAX_LENGTH,
    SEVERITY_MAX,
    SEVERITY_MIN,
    SLEEP_MINUTES_MAX,
    SUBSTANCE_MAX_LENGTH,
    TREATMENT_DOSE_MAX_LENGTH,
    TREATMENT_NAME_MAX_LENGTH,
    DaytimeImpairment,
    Medication,
    Muscle,
    Prevention,
    RedFlag,
    Relief,
    Remedy,
    Side,
    SleepQuality,
    Symptom,
    TreatmentKind,
)
from diary.models import HealthProfile

EARLIEST_NIGHT = EARLIEST_DATE


class ChoiceButtons(forms.RadioSelect):
    """Radio buttons drawn as a row of toggle buttons."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "btn-check", **(attrs or {})}, choices)


class MultipleChoiceButtons(forms.CheckboxSelectMultiple):
    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "btn-check", **(attrs or {})}, choices)


def _one_of(choices, label, *, required=False, error_messages=None, **kwargs):
    return forms.ChoiceField(
        label=label,
        choices=choices.choices,
        widget=ChoiceButtons,
        required=required,
        error_messages={
            "invalid_choice": _("Please pick one of the choices shown."),
            **(error_messages or {}),
        },
        **kwargs,
    )


def _any_of(choices, label):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices.choices,
        widget=MultipleChoiceButtons,
        required=False,
        error_messages={"invalid_choice": _("Please pick from the choices shown.")},
    )


def _clock_time(label):
    """A time of day, typed or picked on the phone's clock (hours and minutes)."""
    return forms.TimeField(
        label=label,
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Type the time as hours and minutes, such as 22:30.")},
    )


def _whole_number(label, limit, invalid, help_text=""):
    """A count with the number pad; its bounds are diary.domain.checks' (night_problems)."""
    return forms.IntegerField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "pattern": "[0-9]*", "min": 0, "max": limit}
        ),
        error_messages={"invalid": invalid},
    )


class NightForm(forms.Form):
    sleep_quality = forms.TypedChoiceField(
        label=_("How well did you sleep?"),
        choices=SleepQuality.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=ChoiceButtons,
    )
    daytime_impairment = _one_of(
        DaytimeImpairment,
        _("How hard has broken sleep made it to get through the day?"),
        help_text=_("Rate it when you can: now, or later today."),
    )
    prevention = _any_of(Prevention, _("Before bed I had or did"))
    red_flags = _any_of(RedFlag, _("Right now, do you have any of these warning signs?"))
    symptoms = _any_of(Symptom, _("Have you noticed"))
    toxin_exposure = forms.BooleanField(
        label=_("I was exposed to a toxin (such as lead)"), required=False
    )
    # Lengths and the rest of the rules of a night are diary.domain.checks' (night_problems).
    toxin_substance = forms.CharField(
        label=_("Which substance?"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": SUBSTANCE_MAX_LENGTH}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTES_MAX_LENGTH}),
    )
    # Sleep details (all optional), in the Consensus Sleep Diary's order and words.
    bed_time = _clock_time(_("What time did you get into bed?"))
    try_sleep_time = _clock_time(_("What time did you try to go to sleep?"))
    sleep_onset_minutes = _whole_number(
        _("How long did it take you to fall asleep, in minutes?"),
        SLEEP_MINUTES_MAX,
        _("Type the minutes it took to fall asleep as a whole number, such as 20."),
    )
    awakenings = _whole_number(
        _("How many times did you wake up, not counting the last time?"),
        AWAKENINGS_MAX,
        _("Type how many times you woke as a whole number, such as 2."),
    )
    awake_minutes = _whole_number(
        _("In all, how long were you awake in the night, in minutes?"),
        SLEEP_MINUTES_MAX,
        _("Type the minutes awake in the night as a whole number, such as 30."),
        help_text=_("The minutes of those awakenings added up; 0 if you did not wake."),
    )
    final_wake_time = _clock_time(_("What time did you wake up for the last time?"))
    out_of_bed_time = _clock_time(_("What time did you get out of bed for the day?"))

    @property
    def sleep_fields(self):
        """The bound sleep-detail fields, in order, for the "Sleep details" section."""
        return [self[name] for name in SLEEP_FIELDS]

    def sleep_errors(self) -> bool:
        return any(name in self.errors for name in SLEEP_FIELDS)

    def sleep_given(self) -> bool:
        """Whether any sleep detail was typed into the submitted form."""
        return self.is_bound and any(
            str(self.data.get(self.add_prefix(name), "")).strip() for name in SLEEP_FIELDS
        )

    @classmethod
    def initial_from(cls, record: NightRecord) -> dict:
        return {
            **{name: getattr(record, name) for name in SLEEP_FIELDS},
            "sleep_quality": record.sleep_quality,
            "daytime_impairment": record.daytime_impairment,
            "prevention": sorted(record.prevention),
            "symptoms": sorted(record.symptoms),
            "red_flags": sorted(record.red_flags),
            "toxin_exposure": record.toxin_exposure,
            "toxin_substance": record.toxin_substance,
            "notes": record.notes,
        }

    def to_record(self, night: date, cramps: tuple[CrampRecord, ...]) -> NightRecord:
        data = self.cleaned_data
        return NightRecord(
            night=night,
            sleep_quality=data["sleep_quality"],
            daytime_impairment=data["daytime_impairment"],
            prevention=frozenset(data["prevention"]),
            symptoms=frozenset(data["symptoms"]),
            red_flags=frozenset(data["red_flags"]),
            toxin_exposure=data["toxin_exposure"],
            toxin_substance=data["toxin_substance"].strip(),
            notes=data["notes"].strip(),
            cramps=cramps,
            # Minutes are the finest step: a time sent with seconds is kept to the minute.
            **{
                name: None if data[name] is None else data[name].replace(second=0, microsecond=0)
                for name in SLEEP_TIMES
            },
            sleep_onset_minutes=data["sleep_onset_minutes"],
            awakenings=data["awakenings"],
            awake_minutes=data["awake_minutes"],
        )


class MinutesInput(forms.NumberInput):
    """Minutes as the patient typed them: 3, not 3.0 (0.5 stays 0.5)."""

    def format_value(self, value):
        if isinstance(value, float):
            return f"{value:g}"
        return super().format_value(value)


# Quick picks beside the minutes, for a thumb rather than a keyboard.
DURATION_PICKS = [
    ("0.5", _("under 1")),
    ("1", "1"),
    ("2", "2"),
    ("5", "5"),
    ("10", "10"),
    ("15", _("15+")),
]


class CrampForm(forms.Form):
    muscle = _one_of(
        Muscle,
        _("Which muscle?"),
        required=True,
        error_messages={"required": _("Which muscle cramped?")},
    )
    side = _one_of(
        Side, _("Which side?"), required=True, error_messages={"required": _("Which side?")}
    )
    duration_minutes = forms.FloatField(
        label=_("How long, in minutes?"),
        required=False,  # a quick pick will do (clean)
        widget=MinutesInput(
            attrs={"inputmode": "decimal", "step": "any", "min": "0", "max": DURATION_MAX_MINUTES}
        ),
        help_text=_("A guess is fine: 0.5 is half a minute."),
        error_messages={
            "required": _("How many minutes did it last?"),
            "invalid": _("Type the minutes as a number, such as 2 or 0.5."),
        },
    )
    duration_pick = forms.ChoiceField(
        label=_("Or pick"),
        choices=DURATION_PICKS,
        required=False,
        widget=ChoiceButtons(attrs={"data-duration-pick": ""}),
        error_messages={"invalid_choice": _("Please pick one of the choices shown.")},
    )
    severity = forms.TypedChoiceField(
        label=_("How bad, from 0 (no pain) to 10 (worst imaginable)?"),
        choices=[(n, str(n)) for n in range(SEVERITY_MIN, SEVERITY_MAX + 1)],
        coerce=int,
        widget=ChoiceButtons,
        error_messages={
            "required": _("How bad was it, from 0 to 10?"),
            "invalid_choice": _("Pick a number from 0 to 10."),
        },
    )
    woke = forms.BooleanField(label=_("It woke me up"), required=False)
    remedies = _any_of(Remedy, _("What did you try?"))
    relief = _one_of(Relief, _("Did it help?"))

    def clean(self):
        cleaned = super().clean()
        typed, picked = cleaned.get("duration_minutes"), cleaned.get("duration_pick")
        if typed is None and picked:
            cleaned["duration_minutes"] = float(picked)
        elif typed is None and "duration_minutes" not in self.errors:
            self.add_error("duration_minutes", _("How many minutes did it last?"))
        return cleaned

    @classmethod
    def initial_from(cls, cramp: CrampRecord) -> dict:
        return {
            "muscle": cramp.muscle,
            "side": cramp.side,
            "duration_minutes": cramp.duration_minutes,
            "severity": cramp.severity,
            "woke": cramp.woke,
            "remedies": sorted(cramp.remedies),
            "relief": cramp.relief,
        }

    def to_record(self) -> CrampRecord:
        data = self.cleaned_data
        return CrampRecord(
            muscle=data["muscle"],
            side=data["side"],
            duration_minutes=data["duration_minutes"],
            severity=data["severity"],
            woke=data["woke"],
            remedies=frozenset(data["remedies"]),
            relief=data["relief"],
        )


class RemovedMark(forms.HiddenInput):
    """A cramp's removal as a hidden field: empty, or "on" once "Remove this cramp" is tapped
    (never "False", which static/js/offline.js would read as a removal)."""

    def format_value(self, value):
        return "on" if value in (True, "on") else ""


class BaseCrampFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if self.management_form.cleaned_data.get("TOTAL_FORMS", 0) < 0:  # a tampered count
            raise forms.ValidationError(_("Please reload the page and try again."))

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Set by the "Remove this cramp" button (log.js); without JavaScript the button posts
        # and the page comes back without that cramp (cramp_data_without).
        form.fields["DELETE"].widget = RemovedMark(attrs={"data-cramp-removed": ""})

    def kept_forms(self) -> list[forms.Form]:
        """The cramps to save: every cramp shown filled in, less those marked for removal.

        Untouched blank forms have no cleaned data and are left out.
        """
        return [
            form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)
        ]

    def cramp_records(self) -> tuple[CrampRecord, ...]:
        return tuple(form.to_record() for form in self.kept_forms())


def cramp_data_without(data, prefix: str, index: str):
    """The log's posted data with one cramp taken out and the later ones moved up, for
    "Remove this cramp" without JavaScript; an index that names no cramp leaves it as it was."""
    total_name = f"{prefix}-TOTAL_FORMS"
    total = data.get(total_name, "")
    if not (index.isascii() and index.isdigit() and total.isascii() and total.isdigit()):
        return data
    removed, total = int(index), int(total)
    if removed >= total or total > MAX_CRAMPS_PER_NIGHT:
        return data
    kept = data.copy()
    for position in range(removed, total):
        for key in [key for key in kept if key.startswith(f"{prefix}-{position}-")]:
            values = kept.pop(key)
            if position > removed:
                kept.setlist(f"{prefix}-{position - 1}-" + key.split("-", 2)[2], values)
    kept[total_name] = str(total - 1)
    return kept


def _anchor(form, name: str, fallback: str) -> str:
    """The id of a field's first input, where the error summary links to."""
    field = form.fields.get(name)
    if field is None:
        return fallback
    choices = isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
    return form[name].auto_id + ("_0" if choices else "")


def error_links(night_form, cramp_formset) -> list[dict]:
    """Every error of the log, for the summary at the top of the page: where it is, what it is
    about, and the message."""
    links = [
        {"anchor": "cramp-forms", "about": _("Cramps"), "message": message}
        for message in cramp_formset.non_form_errors()
    ]
    for number, form in enumerate(cramp_formset.forms, start=1):
        about = _("Cramp %(number)d") % {"number": number}
        for name, messages in form.errors.items():
            anchor = _anchor(form, name, f"{form.prefix}-heading")
            links += [{"anchor": anchor, "about": about, "message": m} for m in messages]
    for name, messages in night_form.errors.items():
        field = night_form.fields.get(name)
        about = field.label if field else _("The night")
        anchor = _anchor(night_form, name, "log-form")
        links += [{"anchor": anchor, "about": about, "message": m} for m in messages]
    return links


def add_night_problems(night_form, cramp_formset, problems) -> None:
    """Shows each problem of diary.domain.checks.night_problems beside its field."""
    kept = cramp_formset.kept_forms()
    for problem in problems:
        place = problem.field.split(".")
        if place[0] == "cramps" and len(place) == 3:
            kept[int(place[1]) - 1].add_error(place[2], problem.message)
        elif place[0] == "cramps":
            cramp_formset._non_form_errors.append(problem.message)
        elif place[0] in night_form.fields:
            night_form.add_error(place[0], problem.message)
        else:
            night_form.add_error(None, problem.message)


CrampFormSet = forms.formset_factory(
    CrampForm,
    formset=BaseCrampFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_CRAMPS_PER_NIGHT,
    validate_max=True,
    absolute_max=MAX_CRAMPS_PER_NIGHT,
)


class RangeForm(forms.Form):
    """Which nights a trends page covers: the last 30, 90 or 365 nights, all, or chosen dates."""

    RANGES = [
        ("30", _("30 nights")),
        ("90", _("90 nights")),
        ("365", _("365 nights")),
        ("all", _("All")),
        ("custom", _("Dates")),
    ]

    range = forms.ChoiceField(
        label=_("Show"), choices=RANGES, initial="30", required=False, widget=ChoiceButtons
    )
    start = forms.DateField(
        label=_("From the night of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("To the night of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, latest: date, first_logged: date | None, default_days=30, **kwargs):
        """`first_logged`: where the diary starts (diary.services.nights.diary_start)."""
        super().__init__(*args, **kwargs)
        self.moved_to_diary_start = False  # set by nights(): the range asked for began earlier
        self.latest = latest
        self.first_logged = first_logged
        self.default_days = default_days
        self.fields["end"].widget.attrs["max"] = latest.isoformat()
        self.fields["start"].widget.attrs["max"] = latest.isoformat()

    def clean(self):
        cleaned = super().clean()
        typed = self.data.get("start") or self.data.get("end")
        if typed and cleaned.get("range") in ("", None):  # typed dates choose "Dates"
            cleaned["range"] = "custom"
        if cleaned.get("range") != "custom":
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if not start and "start" not in self.errors:
            self.add_error("start", _("Pick the first night."))
        if not end and "end" not in self.errors:
            self.add_error("end", _("Pick the last night."))
        if end and end > self.latest:
            self.add_error("end", _("The last night can be last night at the latest."))
        if start and end and start > end:
            self.add_error("start", _("The first night must come before the last."))
        if start and start < EARLIEST_NIGHT:
            self.add_error("start", _("Please pick a night from 1900 on."))
        return cleaned

    def preset_links(self) -> list[tuple[str, str, bool]]:
        """The ranges that need no dates, as (value, label, chosen): links act at once."""
        chosen = (self.cleaned_data.get("range") if self.is_valid() else None) or "default"
        default = str(self.default_days)
        return [
            (value, label, chosen == value or (chosen == "default" and value == default))
            for value, label in self.RANGES
            if value != "custom"
        ]

    def nights(self, *, since: date | None = None) -> tuple[date, date]:
        """The first and last night of the range (the default when the form is not valid, or
        from `since` when given), never starting before the diary does (`first_logged`)."""
        first, last = self._chosen_nights()
        if since is not None and not self.data:
            first = since
        first, last, self.moved_to_diary_start = range_within_diary(first, last, self.first_logged)
        return first, last

    def _chosen_nights(self) -> tuple[date, date]:
        choice = (self.cleaned_data.get("range") if self.is_valid() else None) or "default"
        if choice == "custom":
            return self.cleaned_data["start"], self.cleaned_data["end"]
        if choice == "all":
            return min(self.first_logged or self.latest, self.latest), self.latest
        days = self.default_days if choice == "default" else int(choice)
        return self.latest - timedelta(days=days - 1), self.latest


class TreatmentForm(forms.Form):
    """A treatment: what, from which night to which, and how much. The rules of the data are
    diary.domain.checks.treatment_problems, applied when it is saved (diary.services.treatments)."""

    kind = forms.ChoiceField(
        label=_("What is it?"), choices=TreatmentKind.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=TREATMENT_NAME_MAX_LENGTH,
        help_text=_("As on the packet, e.g. “Magnesium citrate”. Left empty, the kind is used."),
    )
    start = forms.DateField(
        label=_("First night"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("On which night did you start?")},
    )
    stop = forms.DateField(
        label=_("Last night (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty while you are still taking or doing it."),
    )
    dose = forms.CharField(
        label=_("Dose or how often (optional)"),
        required=False,
        max_length=TREATMENT_DOSE_MAX_LENGTH,
        help_text=_("e.g. “300 mg at night” or “10 minutes before bed”."),
    )

    @classmethod
    def for_record(cls, record: TreatmentRecord, **kwargs) -> "TreatmentForm":
        return cls(
            initial={
                "kind": record.kind,
                "name": record.name,
                "start": record.start,
                "stop": record.stop,
                "dose": record.dose,
            },
            **kwargs,
        )

    def to_record(self) -> TreatmentRecord:
        data = self.cleaned_data
        name = data["name"].strip()
        if not name and data["kind"] != TreatmentKind.OTHER:
            name = str(TreatmentKind(data["kind"]).label)
        return TreatmentRecord(name, data["kind"], data["start"], data["stop"], data["dose"])


class HealthProfileForm(forms.ModelForm):
    """The health profile on the profile page (diary/web/views/profile.py): the facts the rules
    read, checked by the domain's profile_problems like an imported profile."""

    medications = forms.MultipleChoiceField(
        label=_("Do you take any of these medicines? They can cause cramps."),
        choices=Medication.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Don't stop a prescribed medicine on your own: your doctor can review it."),
        error_messages={"invalid_choice": _("Please pick from the choices shown.")},
    )

    class Meta:
        model = HealthProfile
        fields = (
            "venous_disease",
            "peripheral_artery_disease",
            "kidney_disease",
            "heart_failure",
            "pregnant",
            "pregnancy_date",
            "date_of_birth",
        )
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "pregnancy_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "venous_disease": _("Including varicose veins that may be causing your cramps."),
            "pregnancy_date": _(
                "Optional: the due date, or the date you gave birth. The answer then counts "
                "until 12 weeks after it, and the diary asks again."
            ),
            "kidney_disease": _("Some advice (more fluids, potassium-rich food) is not for you."),
            "heart_failure": _(
                "Your heart team sets how much you drink: the diary's advice takes it into account."
            ),
            "date_of_birth": _("Optional. Helps your clinician; cramps are more common with age."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("medications", sorted(self.instance.medications))

    def clean(self):
        cleaned = super().clean()
        answers = ProfileAnswers(
            date_of_birth=cleaned.get("date_of_birth"),
            pregnancy_date=cleaned.get("pregnancy_date"),
            pregnant=bool(cleaned.get("pregnant")),
            medications=frozenset(cleaned.get("medications") or ()),
        )
        today = timezone.localdate(timezone=self.instance.patient.zone)
        for problem in profile_problems(answers, today=today, time_zones=()):
            self.add_error(problem.field, problem.message)
        return cleaned

    def save(self, commit=True):
        self.instance.medications = self.cleaned_data["medications"]
        return super().save(commit)


# The first-run page's chip groups of yes/no answers: (the health profile's field, the chip).
START_VEINS = [("venous_disease", _("Varicose veins or another vein disease"))]
START_CONDITIONS = [
    ("kidney_disease", _("Kidney disease")),
    ("heart_failure", _("Heart failure")),
    ("peripheral_artery_disease", _("Poor circulation in the legs")),
]
START_PREGNANCY = [("pregnant", _("Pregnant or gave birth in the last 12 weeks"))]


def _chips(label, choices):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        widget=MultipleChoiceButtons,
        required=False,
        error_messages={"invalid_choice": _("Please pick from the choices shown.")},
    )


class StartForm(forms.Form):
    """The first-run page after sign-up (diary/web/views/start.py): the health profile's
    answers as chips, the date of birth and the morning reminder; everything may stay blank."""

    veins = _chips(_("Do you have varicose veins?"), START_VEINS)
    conditions = _chips(_("Do you have any of these?"), START_CONDITIONS)
    medications = _chips(_("Do you take any of these medicines? They can cause cramps."), [])
    pregnancy = _chips(_("Pregnancy"), START_PREGNANCY)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("Optional. Helps your clinician; cramps are more common with age."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reminders_on = forms.BooleanField(
        label=_("Send me a morning reminder by e-mail"), required=False
    )
    reminder_time = forms.TimeField(
        label=_("Reminder time"),
        required=False,
        help_text=_("When you are usually up."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Type the time as hours and minutes, such as 07:30.")},
    )

    GROUPS = {"veins": START_VEINS, "conditions": START_CONDITIONS, "pregnancy": START_PREGNANCY}

    def __init__(self, *args, profile: HealthProfile, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.fields["medications"].choices = Medication.choices
        for group, choices in self.GROUPS.items():
            self.initial.setdefault(group, [name for name, _l in choices if getattr(profile, name)])
        self.initial.setdefault("medications", sorted(profile.medications))
        self.initial.setdefault("date_of_birth", profile.date_of_birth)
        self.initial.setdefault("reminders_on", profile.patient.reminders_on)
        self.initial.setdefault("reminder_time", profile.patient.reminder_time)
        if not profile.patient.email_verified:
            self.fields["reminders_on"].help_text = _(
                "Reminders go only to a confirmed address: open the link we e-mailed you "
                "(or ask for a new one on the sharing page) first."
            )

    def clean(self):
        cleaned = super().clean()
        answers = ProfileAnswers(
            date_of_birth=cleaned.get("date_of_birth"),
            pregnant=bool(cleaned.get("pregnancy")),
            medications=frozenset(cleaned.get("medications") or ()),
        )
        today = timezone.localdate(timezone=self.profile.patient.zone)
        for problem in profile_problems(answers, today=today, time_zones=()):
            field = problem.field if problem.field in self.fields else None
            self.add_error(field, problem.message)
        return cleaned

    def save(self) -> None:
        """Writes the answers to the health profile and the reminder to the account."""
        cleaned = self.cleaned_data
        for group, choices in self.GROUPS.items():
            for name, _label in choices:
                setattr(self.profile, name, name in cleaned[group])
        self.profile.medications = cleaned["medications"]
        if not self.profile.pregnant:
            self.profile.pregnancy_date = None
        self.profile.date_of_birth = cleaned["date_of_birth"]
        self.profile.save()
        patient = self.profile.patient
        patient.reminders_on = cleaned["reminders_on"]
        chosen = cleaned["reminder_time"] or patient.reminder_time
        patient.reminder_time = chosen.replace(second=0, microsecond=0)
        patient.save(update_fields=["reminders_on", "reminder_time"])
