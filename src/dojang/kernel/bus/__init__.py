"""The event bus port, its in-process adapter, the transactional outbox and the consumer runner."""
