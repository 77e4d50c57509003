"""Files the task worker prepares: the summary PDF and the FHIR export of a range of nights.

Long work never holds a web worker. The page claims a PreparedFile (this module) and queues
its id (diary.tasks.prepared_file_queue); the worker builds the file into the row, saying how
far it has got in `progress`; the person who asked downloads it from the database, which
every app server shares. A file is served only to the person who asked for it, only for
PREPARED_FILE_HOURS, and to a clinician only while the patient still shares the diary; older
files are deleted whenever the worker builds one. Each asker has at most PENDING_MOST files
waiting at once, and asking again for a file that is waiting gives that one.
"""

from datetime import timedelta

from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation

from accounts.models import CareLink, LinkStatus, User
from diary.models import PreparedFile
from diary.services.downloads import BY_FORMAT
from diary.services.summaries import SummaryRange

PREPARED_FILE_HOURS = 24
PENDING_MOST = 3  # files waiting for the worker, per asker
KINDS = tuple(fmt for fmt, download in BY_FORMAT.items() if download.prepare)
WAITING = (PreparedFile.Status.QUEUED, PreparedFile.Status.WORKING)


class TooManyWaiting(Exception):
    """The asker already has PENDING_MOST files waiting for the worker."""


def _kept_since():
    return timezone.now() - timedelta(hours=PREPARED_FILE_HOURS)


def _may_read(user_id: int, patient_id: int) -> bool:
    """The patient's own file, or a clinician's while the patient still shares the diary."""
    return user_id == patient_id or (
        CareLink.objects.filter(
            clinician_id=user_id, patient_id=patient_id, status=LinkStatus.ACTIVE
        ).exists()
    )


@transaction.atomic
def prepared_file_claim(*, requested_by, patient, kind: str, params: dict) -> tuple:
    """The file to prepare for this request: (file, new). A file waiting for the same request
    is reused (new is False); raises TooManyWaiting when the asker has PENDING_MOST waiting.
    The asker's row is locked meanwhile, so two requests at once make one file."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of file {kind!r}")
    User.objects.select_for_update().filter(pk=requested_by.pk).first()
    waiting = list(
        PreparedFile.objects.filter(
            requested_by=requested_by, status__in=WAITING, created__gte=_kept_since()
        ).defer("content")
    )
    for file in waiting:
        if (file.patient_id, file.kind, file.params) == (patient.pk, kind, params):
            return file, False
    if len(waiting) >= PENDING_MOST:
        raise TooManyWaiting
    file = PreparedFile.objects.create(
        requested_by=requested_by, patient=patient, kind=kind, params=params
    )
    return file, True


def prepared_file_for(*, user, file_id, with_content=False) -> PreparedFile:
    """The file, for the person who asked for it while it is kept and they may still read the
    diary; 404 for anyone else, and for a clinician the patient no longer shares it with. The
    content (megabytes) is read only when asked for: the waiting page reloads often."""
    files = PreparedFile.objects.filter(
        pk=file_id, requested_by=user, created__gte=_kept_since()
    ).select_related("patient")
    file = (files if with_content else files.defer("content")).first()
    if file is None or not _may_read(user.pk, file.patient_id):
        raise Http404
    return file


def prepared_file_state(file: PreparedFile) -> dict[str, bool]:
    """Whether the file is ready to download, or could not be made (else it is on its way)."""
    return {
        "ready": file.status == PreparedFile.Status.READY,
        "failed": file.status == PreparedFile.Status.FAILED,
    }


def prepared_file_expires(file: PreparedFile):
    return file.created + timedelta(hours=PREPARED_FILE_HOURS)


def prepared_files_expire() -> int:
    """Deletes the files older than PREPARED_FILE_HOURS; returns how many."""
    deleted, _by_model = PreparedFile.objects.filter(created__lt=_kept_since()).delete()
    return deleted


def prepared_file_build(file_id: str) -> str:
    """Builds a claimed file into its row, once; returns what it did (kept with the task)."""
    prepared_files_expire()
    with transaction.atomic():
        file = (
            PreparedFile.objects.select_for_update(of=("self",))
            .filter(pk=file_id, status=PreparedFile.Status.QUEUED)
            .select_related("requested_by")
            .first()
        )
        if file is None:
            return "not built: gone, or built already"
        if not _may_read(file.requested_by_id, file.patient_id):
            file.delete()
            return "not built: the diary is no longer shared"
        _progress(file, 5, status=PreparedFile.Status.WORKING)
    asker = file.requested_by
    try:
        with translation.override(asker.language), timezone.override(asker.zone):
            filename, content_type, content = _built(file)
    except Exception:
        _progress(file, file.progress, status=PreparedFile.Status.FAILED)
        raise
    PreparedFile.objects.filter(pk=file.pk).update(
        status=PreparedFile.Status.READY,
        progress=100,
        filename=filename,
        content_type=content_type,
        content=content,
        finished=timezone.now(),
    )
    return f"built: {len(content)} bytes"


def _progress(file: PreparedFile, percent: int, status=None) -> None:
    """Tells the waiting page how far the worker has got (saved at once)."""
    file.progress = percent
    fields = {"progress": percent}
    if status is not None:
        file.status = status
        fields["status"] = status
    PreparedFile.objects.filter(pk=file.pk).update(**fields)


def _link(file: PreparedFile) -> CareLink | None:
    if file.requested_by_id == file.patient_id:
        return None
    return CareLink.objects.get(
        clinician_id=file.requested_by_id, patient_id=file.patient_id, status=LinkStatus.ACTIVE
    )


def _patient(file: PreparedFile) -> User:
    return User.objects.select_related("health_profile").get(pk=file.patient_id)


def _built(file: PreparedFile) -> tuple[str, str, bytes]:
    """The file's name, content type and bytes, from its format's builder (DOWNLOADS)."""
    download = BY_FORMAT[file.kind]
    patient, nights = _patient(file), SummaryRange.from_params(file.params)

    def progress(percent: int) -> None:
        _progress(file, percent)

    content = download.prepare(patient, _link(file), nights, file.params, progress)
    return download.filename(patient, nights), download.content_type, content
