from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("<slug:code>/", views.survey_findings_page, name="findings"),
    path("<slug:code>/findings.json", views.survey_findings_json, name="findings_json"),
    path("<slug:code>/findings.csv", views.survey_findings_download, {"fmt": "csv"},
         name="findings_csv"),
    path("<slug:code>/findings.xlsx", views.survey_findings_download, {"fmt": "xlsx"},
         name="findings_xlsx"),
    path("<slug:code>/import/", views.survey_import_page, name="import"),
]
