"""Meetings of commissions, the organising committee and the secretariat (issue 18): agenda,
invited people, attendance and quorum. Sits above ``groups`` (its bodies are commissions) and below
the apps whose decisions a meeting takes (candidates, protocols)."""
