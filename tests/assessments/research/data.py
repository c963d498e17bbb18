"""A small hand-made national picture for the research tests, with answers known by hand.

Five partnerships of two agencies each (Alpha and Beta from the ``world``
fixture, plus Gamma, Delta and Epsilon). Every agency answers every enabler 4,
every barrier 1 and every option 5 (all options Level 1, readiness 82.5),
except:

* Beta Fire answers O1 with 1 (opposed): O1 is Level 3 in Beta.
* Gamma Police answers E1 with 2: E1 is weak there (mean 3, lowest 2) and
  divergent (spread 2), so the options linked to E1 (O1, O2, O5, O6, O13)
  are Level 2 in Gamma.

So O1 is Level 1 in Alpha, Delta and Epsilon (3 of 5 = 60%), Level 2 in Gamma
(20%), Level 3 in Beta (20%); O2 is Level 1 in 4 of 5 (80%) and Level 2 in 1.
"""

from __future__ import annotations

from assessments.models import (
    Agency,
    Membership,
    Partnership,
    Round,
)

SECRET = "CONFIDENTIAL-EVIDENCE-7731"

EXTRA = {  # partnership: (kind, [(agency, service, nation)])
    "Gamma": ("interoperability", [("Gamma Police", "police", "England"),
                                   ("Gamma Fire", "fire", "England")]),
    "Delta": ("prevention", [("Delta Police", "police", "Wales"),
                             ("Delta Council", "local_authority", "Wales")]),
    "Epsilon": ("co_responding", [("Epsilon Police", "police", "England"),
                                  ("Epsilon Ambulance", "ambulance", "England")]),
    "Zeta": ("prevention", [("Zeta Police", "police", "England"),
                            ("Zeta Fire", "fire", "England")]),
}


def all_answers(framework, enabler=4, barrier=1, option=5) -> dict:
    values = {"enabler": enabler, "barrier": barrier, "option": option}
    return {i.code: values[i.kind] for i in framework.items.all()}


def add_partnership(world, name: str, *, opens_on=None) -> Round:
    kind, agencies = EXTRA[name]
    partnership = Partnership.objects.create(name=name, kind=kind)
    for agency_name, service, nation in agencies:
        agency = Agency.objects.create(name=agency_name, service=service, nation=nation)
        world.agencies[agency_name] = agency
        Membership.objects.create(partnership=partnership, agency=agency)
    world.partnerships[name] = partnership
    fields = {"opens_on": opens_on} if opens_on else {}
    world.rounds[name] = Round.objects.create(partnership=partnership,
                                              framework=world.framework,
                                              title=f"{name} round 1", **fields)
    return world.rounds[name]


def members(world, partnership: str) -> list[Agency]:
    return [m.agency for m in world.partnerships[partnership].memberships.all()]


def build(world, submit_answers, names=("Alpha", "Beta", "Gamma", "Delta", "Epsilon")):
    """Submit the hand-made answers for the named partnerships (Alpha, Beta, Gamma...)."""
    base = all_answers(world.framework)
    for name in names:
        if name not in world.rounds:
            add_partnership(world, name)
        for agency in members(world, name):
            answers = dict(base)
            if agency.name == "Beta Fire":
                answers["O1"] = 1
            if agency.name == "Gamma Police":
                answers["E1"] = 2
            submit_answers(world.rounds[name], agency, answers,
                           comments={"E1": f"{SECRET} from {agency.name}"})
    return world
