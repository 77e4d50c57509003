"""Files the task worker prepares, fetched as a person does: ask, wait, download."""

import re

from django.core.management import call_command
from django.db import connection
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult


def run_worker() -> None:
    """Runs the database queue's worker until the queue is empty, as `db_worker --batch`.

    The worker closes the database connection between tasks, which the transaction of a test
    does not survive: inside one, each queued task is run as the worker would, in order, and
    marked done."""
    if not connection.in_atomic_block:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        return
    for queued in DBTaskResult.objects.filter(status="READY").order_by("enqueued_at"):
        work = import_string(queued.task_path)
        try:
            work.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
        except Exception:  # the worker records the failure and goes on
            DBTaskResult.objects.filter(pk=queued.pk).update(status="FAILED")
        else:
            DBTaskResult.objects.filter(pk=queued.pk).update(status="SUCCESSFUL")


def download_link(page) -> str:
    """The "Download" link of a ready file's page."""
    found = re.search(r'href="(/files/[0-9a-f-]+/download/)"', page.content.decode())
    assert found, "the page offers no file"
    return found.group(1)


def prepared_download(client, url: str):
    """Asks for the file at `url` (a summary PDF or FHIR export), lets the worker build it,
    and downloads it from the page that waited for it: the download's response."""
    asked = client.get(url)
    assert asked.status_code == 302, asked.status_code
    run_worker()
    ready = client.get(asked["Location"])
    assert ready.status_code == 200
    return client.get(download_link(ready))
