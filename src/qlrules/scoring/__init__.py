"""Scoring: findings checked against a rubric, evaluated by the rules of docs/scoring.md, into reports (data only)."""
