from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import patient_required
from accounts.forms import AccountDeleteForm, AccountForm, HealthProfileForm, LoginForm, SignUpForm
from accounts.leaving import account_erase
from accounts.models import HealthProfile
from diary.prompts import diary_changed


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.user.is_clinician:
            # Clinicians often share a desktop: their session ends with the working day.
            self.request.session.set_expiry(settings.CLINICIAN_SESSION_AGE)
        return response


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your diary is ready."))
        return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    data = request.POST or None
    account_form = AccountForm(data, instance=user, prefix="account")
    health_form = None
    if user.is_patient:
        health_profile, _created = HealthProfile.objects.get_or_create(patient=user)
        health_form = HealthProfileForm(data, instance=health_profile, prefix="health")
    forms = [f for f in (account_form, health_form) if f is not None]
    # A list, not a generator: every form is validated so that every error shows.
    if request.method == "POST" and all([f.is_valid() for f in forms]):
        with transaction.atomic():
            for form in forms:
                form.save()
            if user.is_patient:  # the time zone and health profile change what the rules see
                diary_changed(patient=user)
        messages.success(request, _("Your profile is saved."))
        return redirect("profile")
    lapsed = health_form is not None and health_form.instance.pregnancy_lapsed(
        timezone.localdate(timezone=user.zone)
    )
    return render(
        request,
        "accounts/profile.html",
        {"account_form": account_form, "health_form": health_form, "pregnancy_lapsed": lapsed},
    )


@patient_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account_erase(patient=request.user)
        logout(request)
        messages.success(request, _("Your account and diary have been deleted."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
