"""The approval domain: pure Python, no I/O."""
