"""HTTP routes of the approval-request service: forms and approval documents."""
