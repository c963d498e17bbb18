"""The vocabulary of the access matrix (``tests/test_access_matrix.py``): roles,
expected outcomes and ``Page``. The rows of each concern live in
``tests/access_pages/<concern>.py`` (a ``PAGES`` dict) and are merged into the matrix."""

from collections.abc import Callable
from dataclasses import dataclass

ROLES = ("anon", "none", "lead_a", "lead_b", "other", "research", "admin")
USERS = {"none": "nobody", "lead_a": "alice", "lead_b": "bob", "other": "carol",
         "research": "rita", "admin": "adam"}


def expect(*, anon="login", none="403", lead_a="ok", lead_b="ok", other="ok",
           research="ok", admin="ok") -> dict[str, str]:
    return {"anon": anon, "none": none, "lead_a": lead_a, "lead_b": lead_b, "other": other,
            "research": research, "admin": admin}


PUBLIC = expect(anon="ok", none="ok")
RESEARCH_ONLY = expect(lead_a="403", lead_b="403", other="403")
# the questionnaire of Alpha Police: only its own leads; other leads 404, other roles 403
QUESTIONNAIRE = expect(lead_b="404", other="404", research="403", admin="403")
# results of partnership Alpha's round: its leads and research roles; Beta's leads 404
ALPHA_RESULTS = expect(other="404")
LOGGED_IN = expect(none="ok")
LEADS = expect(research="403", admin="403")
NOT_ALLOWED = dict.fromkeys(ROLES, "405")


@dataclass
class Page:
    kwargs: Callable  # (w) -> kwargs
    get: dict
    post: dict
    data: Callable = lambda w: {}  # noqa: E731 - (w) -> POST data a permitted user would send


def _q(w, **extra):
    return {"round_id": w.rounds["Alpha"].pk, "agency_id": w.agencies["Alpha Police"].pk,
            **extra}


def _round(w):
    return {"round_id": w.rounds["Alpha"].pk}


def _with_login_refused(table: dict[str, str], method_refused: str) -> dict[str, str]:
    """A view that checks the role first, then the method: refused roles are refused,
    permitted ones get ``method_refused``."""
    return {role: (method_refused if outcome == "ok" else outcome)
            for role, outcome in table.items()}
