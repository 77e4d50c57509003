from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.utils.translation import gettext_lazy as _


class DiaryConfig(AppConfig):
    name = "diary"
    verbose_name = _("Diary")

    def ready(self):
        import config.checks  # noqa: F401  (registers the deploy check of migrations)
        from accounts.signals import account_leaving, patient_created
        from diary.services.account_events import diary_forget, health_profile_create

        patient_created.connect(health_profile_create, dispatch_uid="diary.health_profile")
        checks.register(triage_thresholds_check, "triage")
        account_leaving.connect(diary_forget, dispatch_uid="diary.forget")


def triage_thresholds_check(app_configs=None, **kwargs) -> list:
    """settings.TRIAGE_THRESHOLDS may override only the thresholds the rule registry declares."""
    from diary.domain.rules import unknown_thresholds

    unknown = unknown_thresholds(getattr(settings, "TRIAGE_THRESHOLDS", {}))
    if not unknown:
        return []
    return [
        checks.Error(
            f"TRIAGE_THRESHOLDS sets {', '.join(unknown)}, which no triage rule declares.",
            hint="Use a key from a rule's defaults in diary/domain/rules.",
            id="diary.E001",
        )
    ]
