"""Models of assessments.boardpaper (imported by assessments.models so Django finds them).

Their migration is assessments/migrations/0011_board_paper.py (written by hand from
`makemigrations --dry-run -v 3`, this package's operations only).
"""
