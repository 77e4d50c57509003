import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Concat


def forget_old_sessions(apps, schema_editor):
    """Sessions move to accounts.UserSession: the old table's rows end (everyone signs in once
    more). They could hold a night's undo record, with its notes, until they expired."""
    apps.get_model("sessions", "Session").objects.all().delete()


def unname_accounts_in_the_admin_log(apps, schema_editor):
    """The admin log names accounts by number only (accounts.admin), also in its older rows,
    which named them by name or e-mail for ever, even once deleted."""
    content_type = (
        apps.get_model("contenttypes", "ContentType")
        .objects.filter(app_label="accounts", model="user")
        .first()
    )
    if content_type is None:
        return
    entries = apps.get_model("admin", "LogEntry").objects.filter(content_type=content_type)
    entries.update(object_repr=Concat(Value("Account "), "object_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_language"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="UserSession",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40,
                        primary_key=True,
                        serialize=False,
                        verbose_name="session key",
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                (
                    "user",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "abstract": False,
            },
        ),
        migrations.RunPython(forget_old_sessions, migrations.RunPython.noop),
        migrations.RunPython(unname_accounts_in_the_admin_log, migrations.RunPython.noop),
    ]
