"""Use cases of approval documents and the consumer of approval results."""
