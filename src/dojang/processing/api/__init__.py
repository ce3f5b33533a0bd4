"""HTTP routes of the approval-processing service: inbox, decisions, delegations."""
