from django.urls import path

from . import decision_views, views

app_name = "boardpaper"

urlpatterns: list = [
    # the board paper (PDF)
    path("rounds/<int:round_id>/board-paper.pdf", views.board_paper_pdf, name="pdf"),
    # decisions and partnerships like yours
    path("rounds/<int:round_id>/decisions/", decision_views.round_decisions,
         name="decisions"),
]
