"""Models of assessments.lessons (imported by assessments.models so Django finds them).

Their migration is assessments/migrations/0010_lessons.py (written by hand from
`makemigrations --dry-run -v 3`, this package's operations only).
"""
