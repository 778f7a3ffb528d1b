"""Scoring: findings checked against a rubric, evaluated by the contract, into reports (data only)."""
