"""SQL storage and the in-process fan-out of the notification service."""
