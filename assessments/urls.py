from django.urls import path

from . import views

questionnaire = "rounds/<int:round_id>/agencies/<int:agency_id>/"

urlpatterns = [
    path("", views.home, name="home"),
    path(questionnaire, views.questionnaire_start, name="questionnaire"),
    path(questionnaire + "review/", views.questionnaire_review, name="questionnaire_review"),
    path(questionnaire + "submit/", views.questionnaire_submit, name="questionnaire_submit"),
    path(questionnaire + "<slug:section>/", views.questionnaire_section,
         name="questionnaire_section"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/<int:round_id>/answers.csv", views.round_answers_download,
         name="round_answers_csv"),
    path("rounds/<int:round_id>/import/", views.round_import, name="round_import"),
    path("invitations/<int:invitation_id>/<str:token>/", views.invitation_accept,
         name="invitation_accept"),
]
