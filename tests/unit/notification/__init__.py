"""Tests of the notification service: rules, fan-out, consumer, storage."""
