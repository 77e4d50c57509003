import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import patient_required
from accounts.forms import AccountDeleteForm, LoginForm, SignUpForm
from accounts.leaving import account_erase
from accounts.limits import (
    account_email_allowed,
    password_reset_allowed,
    signup_wait,
    too_many_signups_message,
)
from accounts.verification import (
    already_registered_send,
    confirmation_send,
    email_confirm,
    user_for_token,
)

logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    """How long the session lasts is decided for every sign-in in accounts.sign_in."""

    form_class = LoginForm
    redirect_authenticated_user = True


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if wait := signup_wait(request):
            form.add_error(None, too_many_signups_message(wait))
            return render(request, "accounts/signup.html", {"form": form}, status=429)
        email = form.cleaned_data["email"]
        try:
            with transaction.atomic():
                user = form.save()
        except IntegrityError:  # the address has an account (perhaps made a moment ago)
            if account_email_allowed(request, email):
                already_registered_send(email=email, request=request)
            return render(request, "registration/signup_check_email.html", {"email": email})
        if account_email_allowed(request, email):
            confirmation_send(user=user, request=request)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _(
                "Welcome! Your diary is ready. We sent a link to %(email)s: open it to confirm "
                "your address."
            )
            % {"email": email},
        )
        return redirect(settings.SIGNUP_REDIRECT_URL)
    return render(request, "accounts/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def confirm_email(request, token: str):
    """The link in the confirmation e-mail opens a page with one button: mail scanners follow
    links, so only the POST confirms."""
    confirm_user = user_for_token(token)
    if request.method == "POST" and confirm_user is not None:
        email_confirm(user=confirm_user)
        messages.success(request, _("Thank you: your e-mail address is confirmed."))
        return redirect("home" if request.user.is_authenticated else "login")
    status = 200 if confirm_user else 400
    return render(
        request, "registration/confirm_email.html", {"confirm_user": confirm_user}, status=status
    )


@login_required
@require_POST
def confirm_email_resend(request):
    if request.user.email_verified:
        return redirect("sharing" if request.user.is_patient else "home")
    if account_email_allowed(request, request.user.email):
        confirmation_send(user=request.user, request=request)
        messages.info(
            request, _("We sent a new link to %(email)s.") % {"email": request.user.email}
        )
    else:
        messages.error(request, _("We have sent several links this hour. Please wait a while."))
    return redirect("sharing" if request.user.is_patient else "home")


@patient_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account_erase(user=request.user)
        logout(request)
        messages.success(request, _("Your account and diary have been deleted."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, limited (accounts.limits): past a limit the same "check your e-mail" page
    shows, so nobody learns whether an account exists, but nothing is sent."""

    def form_valid(self, form):
        if not password_reset_allowed(self.request, form.cleaned_data["email"]):
            logger.warning("Password reset not sent: too many requests.")
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
