"""Jangkau: outreach and socialisation planner for BPJS Ketenagakerjaan.

The domain layer. Nothing in this package imports streamlit: every page of the app and
every verb of ``python -m planner`` calls the same functions here.
"""

from planner.errors import PlannerError

__all__ = ["PlannerError"]
__version__ = "0.1.0"
