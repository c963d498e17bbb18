"""Admin pages of assessments.boardpaper (imported by assessments.admin)."""
