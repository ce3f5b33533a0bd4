"""`/api/notifications`: the caller's notifications and their read state."""
