"""Approval documents: drafting, routing through an approval line (결재선), and their outcome."""
