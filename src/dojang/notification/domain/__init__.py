"""Notifications and the rules that decide who is told what; plain Python, no I/O."""
