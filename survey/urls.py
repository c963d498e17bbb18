from django.urls import path

from . import views

urlpatterns = [
    path("framework/", views.framework_page, name="framework"),
    path("research/surveys/", views.survey_list, name="research_surveys"),
    path("research/surveys/<slug:code>/", views.survey_findings_page, name="survey_findings"),
    path("research/surveys/<slug:code>/findings.json", views.survey_findings_json,
         name="survey_findings_json"),
    path("research/surveys/<slug:code>/import/", views.survey_import_page,
         name="survey_import"),
]
