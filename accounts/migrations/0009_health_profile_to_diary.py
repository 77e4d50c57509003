# The health profile is the diary's now (diary 0011 took it into the diary's state, on the same
# table): accounts forgets the model, and the table and its rows stay as they are.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_user_sessions"),
        ("diary", "0011_health_profile"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="HealthProfile")],
            database_operations=[],
        ),
    ]
