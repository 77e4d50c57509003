from django.urls import path, re_path, register_converter

from diary.converters import NightDateConverter
from diary.views import exchange, history, home, log, prompts, trends

register_converter(NightDateConverter, "night")

urlpatterns = [
    path("", home.home, name="home"),
    path("log/", log.log_last_night, name="log"),
    path("log/<night:night>/", log.log_night, name="log_night"),
    path("log/<night:night>/no-cramps/", log.log_no_cramps, name="log_no_cramps"),
    path("log/<night:night>/saved/", log.log_saved, name="log_saved"),
    path("log/<night:night>/undo/", log.log_undo, name="log_undo"),
    path("log/<night:night>/delete/", log.log_delete, name="log_delete"),
    path("history/", history.history, name="history"),
    path("trends/", trends.trends, name="trends"),
    re_path(
        r"^trends/(?P<name>[a-z]+)\.(?P<fmt>svg|png)$", trends.trends_chart, name="trends_chart"
    ),
    path("prompts/", prompts.prompts, name="prompts"),
    path("prompts/<int:pk>/acknowledge/", prompts.prompt_acknowledge, name="prompt_acknowledge"),
    path("advice/", prompts.advice, name="advice"),
    path("diary/export/", exchange.export, name="diary_export"),
    path("diary/import/", exchange.import_upload, name="diary_import"),
    path("diary/import/confirm/", exchange.import_confirm, name="diary_import_confirm"),
    path("clinic/", home.clinic, name="clinic"),
]
