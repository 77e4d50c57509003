"""The dashboard at clinic scale: an index for "new since my last review" (a patient's nights
by the time they changed), and on PostgreSQL trigram indexes for finding a patient by part of
the name or of the record number (`icontains`, which Django writes as UPPER(column) LIKE
UPPER(pattern)). SQLite gets the first index only: it has no trigram indexes, and a clinic on
SQLite is small."""

from django.conf import settings
from django.db import migrations, models

# (index, model, column): each a GIN index of the column's trigrams, upper-cased as Django's
# icontains compares it.
TRIGRAM_INDEXES = [
    ("user_full_name_trigrams", ("accounts", "User"), "full_name"),
    ("link_record_number_trigrams", ("accounts", "CareLink"), "record_number"),
]


def trigram_indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    # A trusted extension (PostgreSQL 13 and later): the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, model, column in TRIGRAM_INDEXES:
        table = apps.get_model(*model)._meta.db_table
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} "
            f"USING gin (UPPER({quote(column)}) gin_trgm_ops)"
        )


def trigram_indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _model, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0014_dashboard_warning_signs"),
        ("accounts", "0009_health_profile_to_diary"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="night",
            index=models.Index(fields=["patient", "updated_at"], name="night_patient_changed"),
        ),
        migrations.RunPython(trigram_indexes_create, trigram_indexes_drop),
    ]
