"""The URLconf: each concern's URLs under its own namespace.

This is the composition root: the one module of ``bluelight`` that knows the apps.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from assessments.questionnaire.views import home

from .views import health

urlpatterns = [
    path("", home, name="home"),
    path("", include("survey.framework.urls")),
    path("research/surveys/", include("survey.national.urls")),
    path("", include("assessments.questionnaire.urls")),
    path("", include("assessments.interchange.urls")),
    path("", include("assessments.results.urls")),
    path("research/", include("assessments.research.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(),
         name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
]
