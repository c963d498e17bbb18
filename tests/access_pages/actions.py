"""Access-matrix rows of assessments.actions (merged into tests/test_access_matrix.py).

Kwargs functions may create what the URL needs (idempotently, get_or_create): the
matrix calls them before it counts rows, so a refused POST still must change nothing.
"""

from tests.access_kit import Page  # noqa: F401

PAGES: dict[str, Page] = {}
