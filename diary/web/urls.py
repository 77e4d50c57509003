from django.urls import path, re_path, register_converter

from diary.output.charts import FORMATS as CHART_FORMATS
from diary.services.downloads import formats
from diary.services.reports import CHART_NAMES
from diary.web.converters import NightDateConverter
from diary.web.views import (
    app,
    clinic,
    exchange,
    history,
    home,
    log,
    profile,
    prompts,
    reminders,
    sharing,
    start,
    summary,
    treatments,
    trends,
)

register_converter(NightDateConverter, "night")


def _one_of(names) -> str:
    return "|".join(names)


CHART = _one_of(CHART_NAMES)
CHART_FORMAT = _one_of(CHART_FORMATS)
OWN_DOWNLOAD = _one_of(formats(clinician=False))
CLINICIAN_DOWNLOAD = _one_of(formats(clinician=True))

urlpatterns = [
    path("", home.home, name="home"),
    path("start/", start.start, name="start"),
    # Beside the account pages, where it always was; the health profile on it is the diary's.
    path("accounts/profile/", profile.profile, name="profile"),
    path("manifest.webmanifest", app.manifest, name="manifest"),
    path("sw.js", app.service_worker, name="service_worker"),
    path("offline/", app.offline, name="offline"),
    path("log/", log.log_last_night, name="log"),
    path("log/offline/", log.log_offline, name="log_offline"),
    path("log/<night:night>/", log.log_night, name="log_night"),
    path("log/<night:night>/no-cramps/", log.log_no_cramps, name="log_no_cramps"),
    path("log/<night:night>/saved/", log.log_saved, name="log_saved"),
    path("log/<night:night>/undo/", log.log_undo, name="log_undo"),
    path("log/<night:night>/delete/", log.log_delete, name="log_delete"),
    path("history/", history.history, name="history"),
    path("history/calendar/", history.history_calendar, name="history_calendar"),
    path("trends/", trends.trends, name="trends"),
    re_path(
        rf"^trends/(?P<name>{CHART})\.(?P<fmt>{CHART_FORMAT})$",
        trends.trends_chart,
        name="trends_chart",
    ),
    path("prompts/", prompts.prompts, name="prompts"),
    path(
        "prompts/<int:pk>/acknowledge/", prompts.prompt_acknowledge_view, name="prompt_acknowledge"
    ),
    path("prompts/answer/", prompts.prompt_answer_view, name="prompt_answer"),
    path("advice/", prompts.advice, name="advice"),
    path("treatments/", treatments.treatments, name="treatments"),
    path("treatments/<int:treatment_id>/", treatments.treatment_edit, name="treatment_edit"),
    path(
        "treatments/<int:treatment_id>/remove/",
        treatments.treatment_remove,
        name="treatment_remove",
    ),
    path(
        "reminders/no-cramps/<str:token>/",
        reminders.reminder_no_cramps,
        name="reminder_no_cramps",
    ),
    path(
        "reminders/stop/<str:token>/",
        reminders.reminder_unsubscribe,
        name="reminder_unsubscribe",
    ),
    path("diary/export/", exchange.export, name="diary_export"),
    path("diary/import/", exchange.import_upload, name="diary_import"),
    path("diary/import/confirm/", exchange.import_confirm, name="diary_import_confirm"),
    path("summary/", summary.own_summary, name="summary"),
    re_path(
        rf"^summary/(?P<fmt>{OWN_DOWNLOAD})/$",
        summary.own_summary_download,
        name="summary_download",
    ),
    path("files/<uuid:file_id>/", summary.prepared_file, name="prepared_file"),
    path(
        "files/<uuid:file_id>/download/",
        summary.prepared_file_download,
        name="prepared_file_download",
    ),
    path("sharing/", sharing.sharing, name="sharing"),
    path("sharing/code/", sharing.share_by_code, name="share_by_code"),
    path("sharing/email/", sharing.share_by_email, name="share_by_email"),
    path("sharing/<int:link_id>/stop/", sharing.sharing_stop, name="sharing_stop"),
    path("sharing/<int:link_id>/answer/", sharing.sharing_answer, name="sharing_answer"),
    path("clinic/", clinic.clinic, name="clinic"),
    path("clinic/ask/", clinic.ask_patient, name="clinic_ask"),
    path("clinic/offers/<int:link_id>/answer/", clinic.answer_offer, name="clinic_answer"),
    path("clinic/patients/<str:public_id>/", summary.patient_summary, name="patient_summary"),
    re_path(
        rf"^clinic/patients/(?P<public_id>[\w-]+)/(?P<fmt>{CLINICIAN_DOWNLOAD})/$",
        summary.patient_download,
        name="patient_download",
    ),
    path(
        "fhir/Questionnaire/night-cramp-diary",
        summary.fhir_questionnaire,
        name="fhir_questionnaire",
    ),
    path(
        "clinic/patients/<str:public_id>/prompts/seen/",
        summary.prompts_mark_all_seen_view,
        name="prompts_mark_all_seen",
    ),
    path(
        "clinic/patients/<str:public_id>/prompts/<int:run_id>/assess/",
        summary.prompt_assess_view,
        name="prompt_assess",
    ),
    path("clinic/patients/<str:public_id>/notes/", summary.patient_note, name="patient_note"),
    path(
        "clinic/patients/<str:public_id>/treatments/",
        treatments.patient_treatments,
        name="patient_treatments",
    ),
    path(
        "clinic/patients/<str:public_id>/treatments/<int:treatment_id>/",
        treatments.patient_treatment_edit,
        name="patient_treatment_edit",
    ),
    path(
        "clinic/patients/<str:public_id>/treatments/<int:treatment_id>/remove/",
        treatments.patient_treatment_remove,
        name="patient_treatment_remove",
    ),
    path("clinic/patients/<str:public_id>/link/", summary.patient_link, name="patient_link"),
]
