"""The organisation and attendance rules, as plain Python: no clock, no I/O, no frameworks."""
