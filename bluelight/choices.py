"""Choices shared by the instrument and the assessments: services and nations, defined once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Service(models.TextChoices):
    POLICE = "police", _("Police")
    FIRE = "fire", _("Fire and rescue")
    AMBULANCE = "ambulance", _("Ambulance")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    OTHER = "other", _("Other")


class Nation(models.TextChoices):
    ENGLAND = "England", _("England")
    WALES = "Wales", _("Wales")
