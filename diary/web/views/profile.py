"""The profile page (/accounts/profile/): the account's name, language, time zone and reminder
(accounts' form) and, for a patient, the health profile the rules read (the diary's form)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import AccountForm
from diary.services.profiles import health_profile_of, pregnancy_dates, profile_save
from diary.web.forms import HealthProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    data = request.POST or None
    account_form = AccountForm(data, instance=user, prefix="account")
    health_form = None
    if user.is_patient:
        health_form = HealthProfileForm(data, instance=health_profile_of(user), prefix="health")
    forms = [f for f in (account_form, health_form) if f is not None]
    # A list, not a generator: every form is validated so that every error shows.
    if request.method == "POST" and all([f.is_valid() for f in forms]):
        profile_save(user=user, forms=forms)
        messages.success(request, _("Your profile is saved."))
        return redirect("profile")
    context = {"account_form": account_form, "health_form": health_form}
    if health_form is not None:
        context.update(pregnancy_dates(health_form.instance))
    return render(request, "accounts/profile.html", context)
