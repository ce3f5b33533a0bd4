"""The approval-processing service (결재 처리): approvers' tasks, their decisions, 대결."""
