"""Residents' data protected in the app: personal fields, consent, retention,
erasure, subject access, and the audit log of who did what."""
