from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiaryConfig(AppConfig):
    name = "diary"
    verbose_name = _("Diary")

    def ready(self):
        import config.checks  # noqa: F401  (registers the deploy check of migrations)
        from accounts.signals import account_leaving, patient_created
        from diary.services.account_events import diary_forget, health_profile_create

        patient_created.connect(health_profile_create, dispatch_uid="diary.health_profile")
        account_leaving.connect(diary_forget, dispatch_uid="diary.forget")
