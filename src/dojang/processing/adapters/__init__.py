"""SQL storage of the approval-processing service."""
