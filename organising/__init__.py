"""Organising: the domain package (no Streamlit here)."""
