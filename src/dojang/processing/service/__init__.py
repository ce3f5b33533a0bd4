"""Use cases and consumers of the approval-processing service, each in a unit of work."""
