"""A system check for `manage.py check --deploy`: the database is at this code's schema.

Without it a deploy that forgot `migrate` passes the check and its first sign-in answers 500
(a table the code needs is missing). Run only with --deploy, since it reads the database.
"""

from django.core import checks
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError


@checks.register("migrations", deploy=True)
def migrations_applied(app_configs=None, **kwargs):
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return [
            checks.Error(
                f"The database cannot be read: {error}",
                hint="Check DATABASE_URL, and that the database server answers.",
                id="config.E001",
            )
        ]
    if not plan:
        return []
    names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _back in plan[:5])
    return [
        checks.Error(
            f"{len(plan)} migration(s) not applied to the database ({names}…).",
            hint="Run `python manage.py migrate` before the new code serves.",
            id="config.E002",
        )
    ]
