from django.urls import path

from . import research_views

urlpatterns = [
    path("research/", research_views.research_page, name="research"),
    path("research/answers.csv", research_views.research_answers_csv,
         name="research_answers_csv"),
    path("research/export/<slug:name>.<str:fmt>", research_views.research_export,
         name="research_export"),
]
