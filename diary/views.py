from django.shortcuts import redirect, render

from accounts.access import clinician_required


def home(request):
    """One address for everyone: visitors learn what this is, each role gets its own start."""
    if not request.user.is_authenticated:
        return render(request, "diary/landing.html")
    if request.user.is_clinician:
        return redirect("clinic")
    return render(request, "diary/home.html")


@clinician_required
def clinic(request):
    return render(request, "diary/clinic.html")
