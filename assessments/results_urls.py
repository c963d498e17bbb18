from django.urls import path

from . import results_views

urlpatterns = [
    path("results/", results_views.results_list, name="results_list"),
    path("rounds/<int:round_id>/results/", results_views.round_results_page,
         name="round_results"),
    path("rounds/<int:round_id>/results.json", results_views.round_results_json,
         name="round_results_json"),
    path("rounds/<int:round_id>/results.xlsx", results_views.round_results_xlsx,
         name="round_results_xlsx"),
]
