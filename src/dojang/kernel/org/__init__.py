"""A service's own copy of the organisation, fed by `employee-events` (docs/org-read-models.md)."""
