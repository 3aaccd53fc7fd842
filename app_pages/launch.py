"""``python -m app_pages.launch run streamlit_app.py …``: ``streamlit run`` with the
app's libraries loaded before the server answers its health check.

Streamlit imports a page's modules at its first run, so the first person a fresh process
serves paid for loading scikit-learn, SciPy, Altair and the planner (about 1,5 s of CPU)
on top of their page — after every start and every rolling restart, and in a sign-in
rush, all of it while others wait. ``python -m planner serve`` starts its processes
through this module: they load it all first, and HAProxy sends them nobody until their
health check answers."""

from __future__ import annotations

import importlib
import logging
import sys

# What the pages import (the planner's packages and the libraries behind them).
WARM = (
    "pandas",
    "numpy",
    "pyarrow",
    "altair",
    "app_pages.common",
    "app_pages.web",
    "planner.opportunity",
    "planner.targets",
    "planner.scoring",
    "planner.scoring.features",
    "planner.scheduling",
    "planner.plans",
    "planner.projection",
    "planner.reporting.agenda",
    "planner.reporting.followup",
    "planner.reporting.forms",
    "planner.reporting.reports",
    "planner.imports",
    "planner.exports",
)


def warm(modules: tuple[str, ...] = WARM) -> list[str]:
    """Import ``modules``; returns those that failed (logged, never fatal: the page that
    needs one reports its own error, and the others still serve)."""
    failed = []
    # The pages' caches are declared as their modules load; outside a running server
    # Streamlit checks each one against a stand-in store and says so, once per cache.
    from streamlit.runtime.caching import cache_data_api

    quiet = cache_data_api._LOGGER
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - a warm-up must not keep the server from starting
                logging.getLogger("jangkau").exception("could not preload %s", name)
                failed.append(name)
    finally:
        quiet.setLevel(level)
    return failed


def main() -> int:
    warm()
    from streamlit.web.cli import main as streamlit_main

    sys.argv[0] = "streamlit"
    return streamlit_main(prog_name="streamlit")


if __name__ == "__main__":
    sys.exit(main())
