# The health profile moves from accounts to the diary (issue 24). Its table stays where it is
# (accounts_healthprofile), with every row: this changes Django's idea of which app owns the
# model, and nothing in the database. accounts 0009 then drops it from accounts' state.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0010_prepared_files_and_undo_records"),
        # The table as accounts left it, fields and all.
        ("accounts", "0008_user_sessions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HealthProfile",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "venous_disease",
                            models.BooleanField(
                                default=False, verbose_name="venous disease or varicose veins"
                            ),
                        ),
                        (
                            "peripheral_artery_disease",
                            models.BooleanField(
                                default=False, verbose_name="peripheral artery disease"
                            ),
                        ),
                        (
                            "pregnant",
                            models.BooleanField(
                                default=False,
                                verbose_name="pregnant or gave birth in the last 6 weeks",
                            ),
                        ),
                        (
                            "pregnancy_date",
                            models.DateField(
                                blank=True, null=True, verbose_name="due date or birth date"
                            ),
                        ),
                        (
                            "kidney_disease",
                            models.BooleanField(default=False, verbose_name="kidney disease"),
                        ),
                        (
                            "date_of_birth",
                            models.DateField(blank=True, null=True, verbose_name="date of birth"),
                        ),
                        ("medication_diuretic", models.BooleanField(default=False)),
                        ("medication_statin", models.BooleanField(default=False)),
                        ("medication_beta_agonist", models.BooleanField(default=False)),
                        ("medication_calcium_channel_blocker", models.BooleanField(default=False)),
                        ("medication_raloxifene_or_oestrogen", models.BooleanField(default=False)),
                        (
                            "patient",
                            models.OneToOneField(
                                limit_choices_to={"role": "patient"},
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="health_profile",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "health profile",
                        "verbose_name_plural": "health profiles",
                        "db_table": "accounts_healthprofile",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
