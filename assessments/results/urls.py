from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("results/", views.results_list, name="list"),
    path("rounds/<int:round_id>/results/", views.round_results_page, name="round"),
    path("rounds/<int:round_id>/results.json", views.round_results_json, name="json"),
    path("rounds/<int:round_id>/results.xlsx", views.round_results_xlsx, name="xlsx"),
]
