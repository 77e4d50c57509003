"""/clinic/: the clinician's dashboard, share code, and requests to patients."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import clinician_required
from accounts.forms import EmailForm
from accounts.models import CareLink, LinkStatus, Role
from accounts.sharing import care_link_request, invitation_answer, invitations_for, share_code_for
from diary.services.clinic import dashboard_links, dashboard_rows

PER_PAGE = 50


def _page(request, *, request_form=None, status=200):
    # A name to look for: printable text only (PostgreSQL refuses NUL), of a sensible length.
    name = "".join(char for char in request.GET.get("name", "")[:150] if char.isprintable())
    page = Paginator(dashboard_links(clinician=request.user, name=name), PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = dashboard_rows(list(page.object_list))
    return render(
        request,
        "diary/clinic.html",
        {
            "page": page,
            "name": name,
            "share_code": share_code_for(request.user),
            "offers": invitations_for(request.user),
            "asked": CareLink.objects.filter(
                clinician=request.user, status=LinkStatus.PENDING, asked_by=Role.CLINICIAN
            ),
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
