"""The pages behind a morning reminder's links (diary/services/reminder_links.py).

Nobody needs to be signed in: the signed token in the link is the proof. A GET only shows a
page with one button, because mail scanners open every link they see; the button's POST acts.
The pages show the night's date and nothing else from the diary: an e-mail can be forwarded.
"""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from diary.services.reminder_links import (
    Action,
    Outcome,
    no_cramps_log,
    no_cramps_state,
    reminder_for_token,
    reminders_stop,
)


def _link_not_valid(request):
    return render(request, "diary/reminder_invalid.html", status=400)


@require_http_methods(["GET", "POST"])
def reminder_no_cramps(request, token: str):
    reminder = reminder_for_token(token, Action.NO_CRAMPS)
    if reminder is None:
        return _link_not_valid(request)
    outcome = no_cramps_log(reminder) if request.method == "POST" else no_cramps_state(reminder)
    return render(
        request, "diary/reminder_no_cramps.html", {"reminder": reminder, "outcome": outcome}
    )


# No CSRF token: mail programs' one-click unsubscribe (RFC 8058) POSTs to this link without
# our form. Nothing to forge: the unguessable token is in the address, and turning reminders
# off is all the POST can do.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def reminder_unsubscribe(request, token: str):
    reminder = reminder_for_token(token, Action.UNSUBSCRIBE)
    if reminder is None:
        return _link_not_valid(request)
    if request.method == "POST":
        outcome = reminders_stop(reminder)
    else:
        outcome = Outcome.ASK if reminder.patient.reminders_on else Outcome.ALREADY_OFF
    return render(request, "diary/reminder_unsubscribe.html", {"outcome": outcome})
