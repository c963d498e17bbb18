"""Access-matrix rows of assessments.boardpaper (merged into tests/test_access_matrix.py).

Kwargs functions may create what the URL needs (idempotently, get_or_create): the
matrix calls them before it counts rows, so a refused POST still must change nothing.
"""

from tests.access_kit import ALPHA_RESULTS, Page, _round, _with_login_refused, expect

PAGES: dict[str, Page] = {
    # the board paper (PDF): as the dashboard; a GET only (it records each paper produced)
    "boardpaper:pdf": Page(_round, ALPHA_RESULTS, _with_login_refused(ALPHA_RESULTS, "405")),
    # decisions on the options: the partnership's leads only (researchers and administrators
    # read them on the dashboard); a permitted POST records one decision and redirects
    "boardpaper:decisions": Page(
        _round, expect(other="404", research="403", admin="403"),
        expect(other="404", research="403", admin="403"),
        data=lambda w: {"O1-choice": "now", "O1-reason": "Matrix check",
                        "O1-decided_on": "2026-01-01"}),
}
