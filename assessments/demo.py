"""Demo data for development: partnerships modelled on the research's case studies."""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from bluelight.roles import ADMINISTRATOR, LEAD
from survey.models import Framework

from .models import Agency, Membership, Partnership, Round

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"


@transaction.atomic
def demo_load(*, path: Path = DEMO_FILE) -> list[tuple[str, str]]:
    """Create or update the demo data; returns (username, role description) pairs.

    Idempotent: objects are matched by name or username, so running it twice
    changes nothing.
    """
    doc = json.loads(path.read_text(encoding="utf-8"))
    framework = Framework.objects.current()
    if framework is None:
        raise ValueError("Load the framework first (manage.py load_framework).")
    User = get_user_model()
    groups = {g.name: g for g in Group.objects.all()}
    logins = []

    def user(username, role, **fields):
        account, created = User.objects.get_or_create(username=username, defaults=fields)
        if created:
            account.set_password(doc["password"])
            account.is_staff = role == ADMINISTRATOR
            account.save()
        account.groups.add(groups[role])
        return account

    for spec in doc["users"]:
        fields = {k: v for k, v in spec.items() if k not in ("username", "role")}
        user(spec["username"], spec["role"], **fields)
        logins.append((spec["username"], spec["role"]))

    agencies = {}
    for spec in doc["agencies"]:
        agency, _ = Agency.objects.get_or_create(name=spec["name"], defaults=spec)
        agencies[agency.name] = agency

    for spec in doc["partnerships"]:
        partnership, _ = Partnership.objects.get_or_create(
            name=spec["name"], defaults={"kind": spec["kind"],
                                         "description": spec["description"]})
        for agency_name, usernames in spec["members"].items():
            membership, _ = Membership.objects.get_or_create(
                partnership=partnership, agency=agencies[agency_name])
            for username in usernames:
                membership.leads.add(user(username, LEAD, email=f"{username}@example.org"))
                logins.append((username, f"{LEAD}: {agency_name}, {partnership.name}"))
        for round_spec in spec["rounds"]:
            Round.objects.get_or_create(
                partnership=partnership, title=round_spec["title"],
                defaults={
                    "framework": framework,
                    "opens_on": date.fromisoformat(round_spec["opens_on"]),
                    "closes_on": date.fromisoformat(round_spec["closes_on"]),
                    "status": round_spec["status"],
                    "closed_at": timezone.now() if round_spec["status"] == "closed" else None,
                })
    return logins


def demo_password(*, path: Path = DEMO_FILE) -> str:
    return json.loads(path.read_text(encoding="utf-8"))["password"]
