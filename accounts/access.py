"""The access rules every view uses: one decorator per role, and one for a clinician's pages
about a patient who shares with them.

Anonymous visitors are sent to log in; a signed-in user of the other role gets 404, as if the
page did not exist, so that nothing is revealed about what lies behind it.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from accounts.models import CareLink, Role
from accounts.sharing import access_record, active_link


def _role_required(role):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.role != role:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


patient_required = _role_required(Role.PATIENT)
clinician_required = _role_required(Role.CLINICIAN)


@dataclass
class ClinicianVisit:
    """A clinician's request about one patient: the active link that allows it, and what the
    patient's access record will say of it (None: nothing, e.g. a file that is recorded when it
    is downloaded). A view sets `what` when its outcome decides it."""

    link: CareLink
    what: str | None

    @property
    def patient(self):
        return self.link.patient


def linked_patient(what: str | None):
    """For a clinician's page about the patient named by `public_id` in the address: only a
    clinician with an active link to that patient gets past (404 otherwise, as if nothing were
    there); the view receives the visit instead of the public id; once the view has answered,
    the visit is written in the patient's access record. A view that fails (a 404 for a
    treatment, say) records nothing."""

    def decorator(view):
        @clinician_required
        @wraps(view)
        def wrapper(request, public_id: str, **kwargs):
            visit = ClinicianVisit(active_link(clinician=request.user, public_id=public_id), what)
            response = view(request, visit, **kwargs)
            if visit.what is not None:
                access_record(clinician=request.user, patient=visit.patient, what=visit.what)
            return response

        wrapper.linked_patient = True  # tests/test_web_layer.py checks every such page has it
        return wrapper

    return decorator
