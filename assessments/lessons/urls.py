from django.urls import path

from . import views

app_name = "lessons"

urlpatterns = [
    path("what-works/", views.library, name="library"),
    path("what-works/<int:lesson_id>/", views.library_lesson, name="detail"),
    path("what-works/review/", views.review_queue, name="review_queue"),
    path("what-works/review/<int:lesson_id>/", views.review, name="review"),
    path("partnerships/<int:partnership_id>/lessons/", views.lesson_list, name="list"),
    path("partnerships/<int:partnership_id>/lessons/new/", views.lesson_new, name="new"),
    path("partnerships/<int:partnership_id>/lessons/<int:lesson_id>/", views.lesson_page,
         name="lesson"),
    path("partnerships/<int:partnership_id>/lessons/<int:lesson_id>/edit/", views.lesson_edit,
         name="edit"),
    path("partnerships/<int:partnership_id>/lessons/<int:lesson_id>/share/",
         views.lesson_share, name="share"),
    path("partnerships/<int:partnership_id>/lessons/<int:lesson_id>/withdraw/",
         views.lesson_withdraw, name="withdraw"),
]
