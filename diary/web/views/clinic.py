"""/clinic/: the clinician's dashboard, share code, and requests to patients."""

import re

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import clinician_required
from accounts.forms import EmailForm
from accounts.sharing import (
    care_link_request,
    invitation_answer,
    invitations_for,
    requests_waiting,
    share_code_for,
)
from diary.services.clinic import dashboard_page

PER_PAGE = 50
# A page of the dashboard starts after, or ends before, a patient named by public id
# (accounts.models.new_public_id); anything else in the address gives the first page.
PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,24}")


def _public_id(request, name: str) -> str:
    value = request.GET.get(name, "")
    return value if PUBLIC_ID.fullmatch(value) else ""


def _page(request, *, request_form=None, status=200):
    # What to look for: printable text only (PostgreSQL refuses NUL), of a sensible length.
    name = "".join(char for char in request.GET.get("name", "")[:150] if char.isprintable())
    page = dashboard_page(
        clinician=request.user,
        search=name,
        after=_public_id(request, "after"),
        before=_public_id(request, "before"),
        per_page=PER_PAGE,
    )
    return render(
        request,
        "diary/clinic.html",
        {
            "page": page,
            "name": name,
            "share_code": share_code_for(request.user),
            "offers": invitations_for(request.user),
            "asked": requests_waiting(request.user),
            "request_form": request_form or EmailForm(),
        },
        status=status,
    )


@clinician_required
def clinic(request):
    return _page(request)


@clinician_required
@require_POST
def ask_patient(request):
    """Asks a patient, by e-mail, to share; the page never says whether the patient exists."""
    form = EmailForm(request.POST)
    if not form.is_valid():
        return _page(request, request_form=form, status=400)
    care_link_request(clinician=request.user, email=form.cleaned_data["email"])
    messages.success(
        request,
        _("Asked %(email)s. If they have a diary here, they will see your request.")
        % {"email": form.cleaned_data["email"]},
    )
    return redirect("clinic")


@clinician_required
@require_POST
def answer_offer(request, link_id: int):
    accept = request.POST.get("answer") == "accept"
    invitation_answer(user=request.user, link_id=link_id, accept=accept)
    return redirect("clinic")
