"""The notification service: tells people about approval documents, live and in a list."""
