"""The identity domain: accounts, the password policy, login throttling, refresh rotation."""
