"""Tasks, delegations and who may decide, as plain Python: no clock, no I/O, no frameworks."""
