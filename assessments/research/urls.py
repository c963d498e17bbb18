from django.urls import path

from . import views

app_name = "research"

urlpatterns = [
    path("", views.research_page, name="page"),
    path("tables.xlsx", views.research_workbook, name="workbook"),
    path("answers.csv", views.research_answers_csv, name="answers_csv"),
    path("export/<slug:name>.<str:fmt>", views.research_export, name="export"),
]
