"""The URLconf: each concern's URLs under its own namespace.

This is the composition root: the one module of ``bluelight`` that knows the apps.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from assessments.questionnaire.views import home

from .views import (
    LoginView,
    PasswordResetView,
    health,
    two_factor_account,
    two_factor_backup_codes,
    two_factor_disable,
    two_factor_setup,
    two_factor_verify,
)

urlpatterns = [
    path("", home, name="home"),
    path("", include("survey.framework.urls")),
    path("research/surveys/", include("survey.national.urls")),
    path("", include("assessments.questionnaire.urls")),
    path("", include("assessments.interchange.urls")),
    path("", include("assessments.results.urls")),
    path("", include("assessments.progress.urls")),
    path("", include("assessments.method.urls")),
    path("research/", include("assessments.research.urls")),
    path("", include("assessments.actions.urls")),
    path("", include("assessments.kpis.urls")),
    path("", include("assessments.lessons.urls")),
    path("", include("assessments.boardpaper.urls")),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(),
         name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("accounts/password/reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/",
         auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("accounts/password/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("accounts/two-step/", two_factor_account, name="two_factor"),
    path("accounts/two-step/set-up/", two_factor_setup, name="two_factor_setup"),
    path("accounts/two-step/verify/", two_factor_verify, name="two_factor_verify"),
    path("accounts/two-step/backup-codes/", two_factor_backup_codes,
         name="two_factor_backup_codes"),
    path("accounts/two-step/turn-off/", two_factor_disable, name="two_factor_disable"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
]
