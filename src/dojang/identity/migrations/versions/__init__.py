"""Identity schema revisions, oldest first."""
