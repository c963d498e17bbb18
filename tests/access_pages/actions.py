"""Access-matrix rows of assessments.actions (merged into tests/test_access_matrix.py).

Kwargs functions may create what the URL needs (idempotently, get_or_create): the
matrix calls them before it counts rows, so a refused POST still must change nothing.

The partnership's actions: its leads see and change them; administrators see them (their
POSTs are 403); a lead of another partnership gets 404; researchers and no role 403.
"""

from tests.access_kit import Page, _with_login_refused, expect

# GET: leads of Alpha and administrators; Beta's lead 404; researchers 403
SEE = expect(other="404", research="403")
# POST (and the new-action page): Alpha's leads only; administrators 403
CHANGE = expect(other="404", research="403", admin="403")
# the method is checked after the role, before the partnership is looked up
GET_ONLY = _with_login_refused(expect(research="403"), "405")


def _alpha(w):
    return {"partnership_id": w.partnerships["Alpha"].pk}


def _action(w):
    from assessments.actions.models import Action

    action, _ = Action.objects.get_or_create(partnership=w.partnerships["Alpha"],
                                             title="Matrix action")
    return {"partnership_id": w.partnerships["Alpha"].pk, "action_id": action.pk}


def _edit(w):
    from assessments.actions.models import Action

    action = Action.objects.get(partnership=w.partnerships["Alpha"], title="Matrix action")
    return {"revision": action.revision, "title": "Matrix action, changed",
            "status": "in_progress"}


PAGES: dict[str, Page] = {
    "actions:list": Page(_alpha, SEE, GET_ONLY),
    "actions:new": Page(_alpha, CHANGE, CHANGE,
                        data=lambda w: {"title": "Written in the matrix", "status": "planned"}),
    "actions:detail": Page(_action, SEE, CHANGE, data=_edit),
    "actions:note": Page(_action, GET_ONLY, CHANGE,
                         data=lambda w: {"text": "Progress from the matrix"}),
    "actions:changes": Page(_action, SEE, GET_ONLY),
    # adopting from Alpha's round: its action plan is empty in the matrix's scene, so a
    # lead is sent back to the dashboard with a message (nothing adopted)
    "actions:adopt": Page(lambda w: {"round_id": w.rounds["Alpha"].pk}, GET_ONLY, CHANGE,
                          data=lambda w: {"factor": "E3"}),
}
