from django.urls import path

from . import views

app_name = "questionnaire"

assessment = "rounds/<int:round_id>/agencies/<int:agency_id>/"

urlpatterns = [
    path(assessment, views.questionnaire_start, name="start"),
    path(assessment + "review/", views.questionnaire_review, name="review"),
    path(assessment + "submit/", views.questionnaire_submit, name="submit"),
    path(assessment + "prefill/", views.questionnaire_prefill, name="prefill"),
    path(assessment + "<slug:section>/", views.questionnaire_section, name="section"),
    path("invitations/<int:invitation_id>/<str:token>/", views.invitation_accept,
         name="invitation_accept"),
]
