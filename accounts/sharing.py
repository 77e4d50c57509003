"""Care links: a patient shares the diary with a clinician, and stops when they choose.

Every rule about who may see a diary is here. A clinician reaches a patient only through an
active link; a stopped link takes effect on the clinician's next request, since every request
checks it again.
"""

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from accounts.models import (
    AccessRecord,
    CareLink,
    ClinicianNote,
    LinkStatus,
    Role,
    User,
    new_share_code,
)


class EmailNotConfirmed(Exception):
    """The patient has not confirmed their e-mail address yet, so may not share."""


def may_share(patient: User) -> bool:
    """Whether the patient may share their diary: once their e-mail address is confirmed. A
    clinician sees the patient's name and address, which anyone could type at sign-up."""
    return patient.email_verified


def share_code_for(clinician: User) -> str:
    """The clinician's share code, made once on first use.

    Only a clinician without a code gets one, in one conditional update: of several pages
    loading at once, one stores its code and the others read that one, so no page shows a code
    that was never stored."""
    while not clinician.share_code:
        try:
            with transaction.atomic():
                User.objects.filter(pk=clinician.pk, share_code__isnull=True).update(
                    share_code=new_share_code()
                )
        except IntegrityError:  # another clinician has that code: draw again
            continue
        clinician.share_code = User.objects.values_list("share_code", flat=True).get(
            pk=clinician.pk
        )
    return clinician.share_code


def clinician_by_share_code(code: str) -> User | None:
    code = code.strip().upper().replace("-", "").replace(" ", "")
    return User.objects.filter(role=Role.CLINICIAN, is_active=True, share_code=code).first()


def _activate(link: CareLink) -> CareLink:
    link.status = LinkStatus.ACTIVE
    link.activated_at = timezone.now()
    link.save()
    return link


def _patient_lock(patient: User) -> None:
    """Locks the patient's row until the end of the transaction (the row the diary lock takes
    too): every way of making an active link takes it first, so two at once run one after the
    other and the second finds the first's link instead of breaking the one-link rule."""
    list(User.objects.select_for_update().filter(pk=patient.pk).values_list("pk", flat=True))


@transaction.atomic
def care_link_create(*, patient: User, clinician: User) -> CareLink:
    """Shares the patient's diary with the clinician now (the patient confirmed); sharing
    again (a double tap) finds the link already there."""
    if not may_share(patient):
        raise EmailNotConfirmed
    _patient_lock(patient)
    existing = CareLink.objects.filter(
        patient=patient, clinician=clinician, status=LinkStatus.ACTIVE
    ).first()
    if existing:
        return existing
    return _activate(CareLink(patient=patient, clinician=clinician, asked_by=Role.PATIENT))


def _invite(*, asked_by: str, email: str, **asker) -> CareLink:
    """A pending invitation to whoever signs in with `email`; asking twice asks once."""
    link, _created = CareLink.objects.get_or_create(
        **asker,
        invited_email=User.objects.normalize_email(email),
        asked_by=asked_by,
        status=LinkStatus.PENDING,
    )
    return link


def care_link_offer(*, patient: User, email: str) -> CareLink:
    """The patient offers the diary to whoever holds a clinician account with this e-mail."""
    if not may_share(patient):
        raise EmailNotConfirmed
    return _invite(patient=patient, asked_by=Role.PATIENT, email=email)


def care_link_request(*, clinician: User, email: str) -> CareLink:
    """The clinician asks whoever holds a patient account with this e-mail to share."""
    return _invite(clinician=clinician, asked_by=Role.CLINICIAN, email=email)


def invitations_for(user: User):
    """Pending links that ask this user, by the e-mail they sign in with: none until the user
    has confirmed that the address is theirs, and none from a patient who has not (offers kept
    from before that rule wait, unseen, until the patient confirms)."""
    if not user.email_verified:
        return CareLink.objects.none()
    if user.is_patient:
        asked = CareLink.objects.filter(asked_by=Role.CLINICIAN)
    else:
        asked = CareLink.objects.filter(
            asked_by=Role.PATIENT, patient__email_verified_at__isnull=False
        )
    return asked.filter(status=LinkStatus.PENDING, invited_email=user.email).select_related(
        "patient", "clinician"
    )


@transaction.atomic
def invitation_answer(*, user: User, link_id: int, accept: bool) -> CareLink:
    """Accepts or declines an invitation addressed to the user; 404 for any other link."""
    link = invitations_for(user).select_for_update(of=("self",)).filter(pk=link_id).first()
    if link is None:
        raise Http404
    if not accept:
        link.status = LinkStatus.DECLINED
        link.ended_at = timezone.now()
        link.save()
        return link
    if user.is_patient:
        link.patient = user
    else:
        link.clinician = user
    _patient_lock(link.patient)
    already = CareLink.objects.filter(
        patient=link.patient, clinician=link.clinician, status=LinkStatus.ACTIVE
    ).first()
    if already:  # shared already by another way: this invitation is answered by that link
        link.status = LinkStatus.DECLINED
        link.ended_at = timezone.now()
        link.save()
        return already
    return _activate(link)


def links_of_patient(patient: User):
    """The patient's links: shared, waiting, and the e-mails offered."""
    return CareLink.objects.filter(patient=patient).select_related("clinician")


def patient_links_shown(patient: User) -> tuple[list[CareLink], list[CareLink]]:
    """What the patient's sharing page lists, newest first: the links shared now, and the
    offers waiting for a clinician's answer (one query)."""
    links = list(links_of_patient(patient).order_by("-created_at"))
    shared = [link for link in links if link.status == LinkStatus.ACTIVE]
    offered = [link for link in links if link.status == LinkStatus.PENDING]
    return shared, offered


def requests_waiting(clinician: User):
    """The clinician's requests to patients that no patient has answered yet."""
    return CareLink.objects.filter(
        clinician=clinician, status=LinkStatus.PENDING, asked_by=Role.CLINICIAN
    )


@transaction.atomic
def care_link_stop(*, patient: User, link_id: int) -> None:
    """Stops sharing (or withdraws an offer); effective on the clinician's next request."""
    link = (
        CareLink.objects.select_for_update()
        .filter(pk=link_id, patient=patient, status__in=[LinkStatus.ACTIVE, LinkStatus.PENDING])
        .first()
    )
    if link is None:
        raise Http404
    link.status = LinkStatus.REVOKED
    link.ended_at = timezone.now()
    link.save()


def active_link(*, clinician: User, public_id: str) -> CareLink:
    """The clinician's active link to the patient with this public id, else 404 (also while
    the patient's e-mail address is unconfirmed: a link made before sharing waited for it)."""
    link = (
        CareLink.objects.filter(
            clinician=clinician,
            status=LinkStatus.ACTIVE,
            patient__public_id=public_id,
            patient__email_verified_at__isnull=False,
        )
        .select_related("patient", "patient__health_profile")
        .first()
    )
    if link is None:
        raise Http404
    return link


def access_record(*, clinician: User, patient: User, what: str) -> None:
    AccessRecord.objects.create(
        clinician=clinician,
        clinician_name=clinician.full_name,
        patient=patient,
        what=what,
        at=timezone.now(),
    )


def accesses_of(patient: User, most: int) -> list[AccessRecord]:
    """The patient's access record, newest first, at most `most` entries."""
    return list(AccessRecord.objects.filter(patient=patient)[:most])


def link_reviewed(link: CareLink) -> None:
    """The clinician has seen the summary now: the dashboard counts new nights from here."""
    link.last_reviewed_at = timezone.now()
    link.save(update_fields=["last_reviewed_at"])


def notes_of(link: CareLink) -> list[ClinicianNote]:
    """The clinician's private notes on the link, newest first."""
    return list(link.notes.all())


def note_add(*, link: CareLink, text: str) -> ClinicianNote:
    return ClinicianNote.objects.create(link=link, text=text)
