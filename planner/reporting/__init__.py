"""Field work: what happened at the events of published plans.

- ``reports``: one validator and one writer for every way a report arrives (the form on
  *Laporan*, a filled template, ODK/Kobo submissions), and the outcomes that flow back
  (contacts tied to their event, businesses enrolled, walk-ins as businesses, leads).
- ``agenda``: a staff member's events with everything needed on the day.
- ``followup``: leads not yet registered, and later registrations credited to events.
- ``forms``: the offline paths (report templates, XLSForm, submissions exports).
- ``retention``: payments after registration.
"""
