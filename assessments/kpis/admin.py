"""Admin pages of assessments.kpis (imported by assessments.admin)."""
