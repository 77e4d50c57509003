"""The access rules every view uses: one decorator per role.

Anonymous visitors are sent to log in; a signed-in user of the other role gets 404, as if the
page did not exist, so that nothing is revealed about what lies behind it.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from accounts.models import Role


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
