"""Demo data of assessments.kpis for `manage.py load_demo` (called by
`assessments.demo.demo_load` after the partnerships, rounds and answers exist)."""


def seed() -> None:
    """Idempotent: running it twice changes nothing."""
