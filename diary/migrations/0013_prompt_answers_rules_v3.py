import django.utils.timezone
from django.db import migrations, models
from django.db.models import Q

# The rules version 3 redefines (the others are unchanged, and four are new).
REDEFINED = (
    "dark_urine",
    "toxin_exposure",
    "pregnancy_one_sided",
    "pad_rest_pain",
    "prolonged_cramps",
    "severe_frequent",
    "daytime_impairment",
    "weakness_atrophy",
    "not_typical",
    "venous_disease",
    "quinine_review",
)


def end_redefined_runs(apps, schema_editor):
    """Rules version 3: the current runs of a redefined rule end as "the rules changed" when
    they were acknowledged or are visit runs; an unanswered urgent or today run stays current
    (in the past tense once its rule no longer fires) until it is answered. Runs of unchanged
    rules go on. Every patient's prompts are then evaluated afresh on their next page view or
    refresh_prompts run."""
    Prompt = apps.get_model("diary", "Prompt")
    DiaryState = apps.get_model("diary", "DiaryState")
    today = django.utils.timezone.now().date()
    Prompt.objects.filter(ended__isnull=True, rule__in=REDEFINED).filter(
        Q(acknowledged_at__isnull=False) | Q(level="visit")
    ).update(ended=today, end_reason="rules_changed", firing=False)
    DiaryState.objects.update(prompts_evaluated_for=None)


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0012_rules_v3_symptoms_and_heart_failure"),
    ]

    operations = [
        migrations.AlterField(
            model_name="prompt",
            name="acknowledgement",
            field=models.CharField(
                blank=True,
                choices=[
                    ("sought_care", "I have sought care"),
                    ("passed", "It has passed; I did not need care"),
                    ("booked_visit", "I have booked a visit"),
                    ("doctor_knows", "My doctor already knows about this"),
                    ("doctor_checked", "A doctor has already checked this"),
                ],
                max_length=16,
                verbose_name="acknowledgement",
            ),
        ),
        migrations.AlterField(
            model_name="prompt",
            name="rules_version",
            field=models.PositiveSmallIntegerField(default=3),
        ),
        migrations.RunPython(end_redefined_runs, migrations.RunPython.noop),
    ]
