"""Streamlit helpers shared by the pages (kept out of pages/, where every
module becomes a page)."""
