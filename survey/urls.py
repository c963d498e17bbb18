from django.urls import path

from . import views

urlpatterns = [
    path("framework/", views.framework_page, name="framework"),
]
