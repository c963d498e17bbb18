"""Demo data for development: partnerships modelled on the research's case studies."""

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from assessments.actions import demo as actions_demo
from assessments.boardpaper import demo as boardpaper_demo
from assessments.interchange.csv import answers_to_csv, parse_answers_csv
from assessments.interchange.imports import round_import_answers
from assessments.kpis import demo as kpis_demo
from assessments.lessons import demo as lessons_demo
from assessments.models import (
    Agency,
    Membership,
    Partnership,
    Round,
    Submission,
)
from assessments.questionnaire.selectors import items_by_code
from assessments.questionnaire.services import AnswerInput, submission_for, submission_save
from bluelight.roles import ADMINISTRATOR, LEAD
from survey.models import Framework

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
            closes_on = date.fromisoformat(round_spec["closes_on"])
            round, _ = Round.objects.get_or_create(
                partnership=partnership, title=round_spec["title"],
                defaults={
                    "framework": framework,
                    "opens_on": date.fromisoformat(round_spec["opens_on"]),
                    "closes_on": closes_on,
                    "status": round_spec["status"],
                    "closed_at": (_at(closes_on, hour=18)
                                  if round_spec["status"] == "closed" else None),
                })
            if round_spec.get("answers"):
                _load_answers(round=round, spec=round_spec,
                              path=path.parent / round_spec["answers"])
    # The loop after the results: actions, KPIs, lessons and decisions of the demo
    # partnerships (each package seeds its own, idempotently).
    for part in (actions_demo, kpis_demo, lessons_demo, boardpaper_demo):
        part.seed()
    return logins


def _at(day: date, *, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _load_answers(*, round: Round, spec: dict, path: Path) -> None:
    """Load a round's answers from its CSV, once (a round with submissions is left alone).

    Agencies named in ``spec["submitted"]`` (all agencies in the file when it is
    absent) are imported as submitted, by their first lead, on a date within the
    round; the others' answers are saved as a draft by their first lead.
    """
    if round.submissions.exists():
        return
    codes = list(items_by_code(framework_id=round.framework_id))
    parsed = parse_answers_csv(path.read_bytes(), item_codes=codes)
    if not parsed.ok:
        raise ValueError(f"{path}: " + "; ".join(str(e) for e in parsed.errors))
    in_file = list(dict.fromkeys(parsed.rows["agency"]))
    submitted = spec.get("submitted", in_file)
    if set(submitted) - set(in_file):
        raise ValueError(f"{path}: no answers for {sorted(set(submitted) - set(in_file))}")
    rows = parsed.rows
    chosen = rows["agency"].isin(submitted)
    if chosen.any():
        result = round_import_answers(round=round, user=None, allow_closed_round=True,
                                      data=answers_to_csv(rows[chosen], item_order=codes))
        if not result.ok:
            raise ValueError(f"{path}: " + "; ".join(str(e) for e in result.errors))
    when = (_at(round.closes_on - timedelta(days=7), hour=10)
            if round.status == Round.Status.CLOSED
            else _at(min(round.opens_on + timedelta(days=14), timezone.localdate()), hour=10))
    for name, group in rows.groupby("agency", sort=True):
        membership = round.partnership.memberships.get(agency__name=name)
        first_added = (Membership.leads.through.objects.filter(membership=membership)
                       .select_related("user").order_by("id").first())
        lead = first_added.user if first_added else None
        if name in submitted:
            Submission.objects.filter(round=round, agency=membership.agency).update(
                submitted_by=lead, submitted_at=when)
            continue
        submission = submission_for(round=round, agency=membership.agency)
        submission_save(submission=submission, user=lead, revision=submission.revision,
                        answers={row.item: AnswerInput(None if pd.isna(row.value)
                                                       else int(row.value), row.comment)
                                 for row in group.itertuples(index=False)})


def demo_password(*, path: Path = DEMO_FILE) -> str:
    return json.loads(path.read_text(encoding="utf-8"))["password"]
