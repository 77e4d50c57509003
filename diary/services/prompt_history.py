"""The prompts page's list of runs that have ended (the current ones: diary.services.prompts)."""

from diary.models import Prompt


def prompts_ended(patient, most: int) -> list[Prompt]:
    """The patient's ended runs, latest ended first, at most `most`."""
    runs = Prompt.objects.filter(patient=patient, ended__isnull=False)
    return list(runs.order_by("-ended", "-first_raised")[:most])
