from django.urls import path

from . import followthrough_views, views

app_name = "research"

urlpatterns = [
    path("", views.research_page, name="page"),
    path("tables.xlsx", views.research_workbook, name="workbook"),
    path("answers.csv", views.research_answers_csv, name="answers_csv"),
    path("export/<slug:name>.<str:fmt>", views.research_export, name="export"),
    path("follow-through/", followthrough_views.followthrough_page, name="followthrough"),
    path("follow-through/tables.xlsx", followthrough_views.followthrough_workbook,
         name="followthrough_workbook"),
    path("follow-through/export/<slug:name>.<str:fmt>", followthrough_views.followthrough_export,
         name="followthrough_export"),
]
