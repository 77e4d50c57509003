"""/sharing/: the patient decides who sees the diary, and sees who looked."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import patient_required
from accounts.forms import EmailForm, ShareCodeForm
from accounts.limits import share_code_failed, share_code_wait, too_many_tries_message
from accounts.sharing import (
    accesses_of,
    care_link_create,
    care_link_offer,
    care_link_stop,
    invitation_answer,
    invitations_for,
    may_share,
    patient_links_shown,
)

ACCESS_SHOWN = 100


def _page(request, *, code_form=None, email_form=None, status=200):
    shared, offered = patient_links_shown(request.user)
    return render(
        request,
        "diary/sharing.html",
        {
            "code_form": code_form or ShareCodeForm(),
            "email_form": email_form or EmailForm(),
            "shared": shared,
            "offered": offered,
            "requests": invitations_for(request.user),
            "accesses": accesses_of(request.user, ACCESS_SHOWN),
        },
        status=status,
    )


@patient_required
def sharing(request):
    return _page(request)


@patient_required
@require_POST
def share_by_code(request):
    """Step one: the code names a clinician; the patient confirms before anything is shared.

    Wrong codes are limited (accounts.limits): past the limit no code is looked at, right or
    wrong. The limit is checked first and only a wrong code counts.
    """
    if not may_share(request.user):  # the page says why; the code is not looked at
        return _page(request, status=400)
    wait = share_code_wait(request)
    if wait:
        form = ShareCodeForm(request.POST, refused=too_many_tries_message(wait))
        form.is_valid()  # puts the reason at the field; the code is not looked at
        return _page(request, code_form=form, status=429)
    form = ShareCodeForm(request.POST)
    if not form.is_valid():
        if form.has_error("code", "unknown_code"):
            share_code_failed(request)
        return _page(request, code_form=form, status=400)
    if request.POST.get("confirm") == "yes":
        care_link_create(patient=request.user, clinician=form.clinician)
        messages.success(
            request, _("Your diary is now shared with %(name)s.") % {"name": form.clinician}
        )
        return redirect("sharing")
    return render(
        request, "diary/sharing_confirm.html", {"clinician": form.clinician, "form": form}
    )


@patient_required
@require_POST
def share_by_email(request):
    if not may_share(request.user):  # the page says why
        return _page(request, status=400)
    form = EmailForm(request.POST)
    if not form.is_valid():
        return _page(request, email_form=form, status=400)
    care_link_offer(patient=request.user, email=form.cleaned_data["email"])
    messages.success(
        request,
        _(
            "Offered to %(email)s. If that address belongs to a clinician's account here, "
            "they can accept; until then it waits below."
        )
        % {"email": form.cleaned_data["email"]},
    )
    return redirect("sharing")


@patient_required
@require_POST
def sharing_stop(request, link_id: int):
    care_link_stop(patient=request.user, link_id=link_id)
    messages.success(request, _("Stopped. That clinician can no longer see your diary."))
    return redirect("sharing")


@patient_required
@require_POST
def sharing_answer(request, link_id: int):
    accept = request.POST.get("answer") == "accept"
    link = invitation_answer(user=request.user, link_id=link_id, accept=accept)
    if accept:
        messages.success(
            request, _("Your diary is now shared with %(name)s.") % {"name": link.clinician}
        )
    else:
        messages.info(request, _("Declined. Nothing was shared."))
    return redirect("sharing")
