"""Demo data of assessments.boardpaper for `manage.py load_demo` (called by
`assessments.demo.demo_load` after the partnerships, rounds and answers exist)."""

from datetime import date

from django.contrib.auth import get_user_model

from assessments.access import with_results
from assessments.boardpaper.models import Decision
from assessments.models import Partnership, Round

# partnership -> (lead who records, [(option, choice, decided on, reason)])
DECISIONS = {
    "Northshire Shared Services": ("lead.northshire.police", [
        ("O1", "now", date(2025, 4, 10),
         "The shared back office is working: extend it to payroll and procurement this year."),
        ("O4", "later", date(2025, 4, 10),
         "Co-locating the control rooms waits for the estates review in 2026."),
        ("O20", "not", date(2025, 4, 10),
         "Police devolution is outside what this partnership can decide; we will not pursue "
         "it."),
    ]),
    "Eastvale Co-responding": ("lead.eastvale.fire", [
        ("O12", "now", date(2026, 10, 20),
         "Joint first-aid training for co-responders starts with the next intake."),
        ("O9", "later", date(2026, 10, 20),
         "Shared operational staff after a year of co-responding data."),
        ("O17", "not", date(2026, 10, 20),
         "A merged budget is not possible across a fire authority and an NHS trust."),
    ]),
    "Glanmor Tri-service Control Room": ("lead.glanmor.police", [
        ("O16", "now", date(2026, 11, 5),
         "The tri-service control room is the purpose of this partnership."),
        ("O8", "later", date(2026, 11, 5),
         "Common protocols once the control room's systems are chosen."),
        ("O18", "not", date(2026, 11, 5),
         "Aligning terms and conditions is not needed for a shared control room."),
    ]),
}


def seed() -> None:
    """Idempotent: running it twice changes nothing. Each decision is made on the
    partnership's latest round with results opened by its date (none when there is
    none: Glanmor has no results yet)."""
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=[lead for lead, _rows in DECISIONS.values()])}
    for partnership in Partnership.objects.filter(name__in=list(DECISIONS)):
        lead, rows = DECISIONS[partnership.name]
        rounds = list(with_results(Round.objects.filter(partnership=partnership))
                      .filter(has_results=True).order_by("-opens_on", "-id"))
        for code, choice, decided_on, reason in rows:
            # the latest round with results opened by the date of the decision
            made_on = next((r for r in rounds if r.opens_on <= decided_on), None)
            Decision.objects.get_or_create(
                partnership=partnership, option_code=code, decided_on=decided_on,
                choice=choice,
                defaults={"reason": reason, "round": made_on, "recorded_by": users.get(lead)})
