"""Jangkau: the app shell. Sign-in, language, first-run demo database, role-based
navigation; no logic.

``streamlit run streamlit_app.py`` finds the ``st.App`` below, which serves the login
routes (``/masuk``, ``/keluar``) next to Streamlit and then runs this same file as the
page script for every session (``__name__ == "__main__"``).
"""

import streamlit as st

if __name__ != "__main__":
    from app_pages.web import middleware, routes

    app = st.App("streamlit_app.py", routes=routes(), middleware=middleware())
else:
    from app_pages import common
    from planner.access import may_open

    st.set_page_config(page_title="Jangkau", page_icon="🤝", layout="wide")
    common.language_switch()
    common.ensure_database()
    user = common.current_user()
    if user is None:
        st.title("Jangkau")
        st.caption(common.tr("app.tagline"))
        st.info(common.tr("login.prompt"), icon=":material/login:")
        common.same_tab_link(common.tr("login.go"), "/masuk")
        st.stop()
    if user.must_change_password:
        with common.guard():
            common.password_change_required(user)
        st.stop()

    # Pages a role may not use stay out of the menu. They are still registered, hidden, so
    # that a direct link opens the page's own refusal in the user's language rather than
    # Streamlit's English "Page not found"; every page checks the role itself.
    hidden = []

    def page(name: str, title: str, icon: str, **kw):
        if may_open(user.role, name):
            if kw.get("default"):
                # The start page is served at "/", and Streamlit answers its own link (/agenda,
                # /proyeksi) with "Page not found": a hidden twin serves that link.
                hidden.append(st.Page(f"app_pages/{name}.py", title=common.tr(title), icon=icon, url_path=name, visibility="hidden"))
                kw["url_path"] = f"{name}-start"
            return st.Page(f"app_pages/{name}.py", title=common.tr(title), icon=icon, **kw)
        hidden.append(st.Page(f"app_pages/{name}.py", title=common.tr(title), icon=icon, visibility="hidden"))
        return None

    field_first = user.role == "staff"  # regional staff start on their own agenda
    leader_first = user.role == "leadership"  # leadership starts on the projection
    plan_section = [
        page("proyeksi", "nav.proyeksi", ":material/insights:", default=leader_first),
        page("peluang", "nav.peluang", ":material/travel_explore:", default=not (field_first or leader_first)),
        page("sasaran", "nav.sasaran", ":material/target:"),
        page("jadwal", "nav.jadwal", ":material/calendar_month:"),
    ]
    field_section = [
        page("agenda", "nav.agenda", ":material/event_note:", default=field_first),
        page("laporan", "nav.laporan", ":material/assignment_turned_in:"),
    ]
    sections = {
        **({common.tr("nav.section.field"): field_section} if field_first else {}),
        common.tr("nav.section.plan"): plan_section,
        **({} if field_first else {common.tr("nav.section.field"): field_section}),
        common.tr("nav.section.data"): [
            page("mitra", "nav.mitra", ":material/handshake:"),
            page("impor", "nav.impor", ":material/upload_file:"),
        ],
        common.tr("nav.section.admin"): [
            page("pengguna", "nav.pengguna", ":material/group:"),
            page("audit", "nav.audit", ":material/history:"),
        ],
    }
    menu = {k: [p for p in v if p] for k, v in sections.items() if any(v)}
    next(iter(menu.values())).extend(hidden)
    nav = st.navigation(menu)
    provinces = f", {', '.join(user.provinces)}" if user.provinces else ""
    st.sidebar.caption(common.tr("login.as", name=user.display_name or user.username, role=common.tr(f"role.{user.role}"), provinces=provinces))
    with st.sidebar:
        common.same_tab_link(common.tr("login.logout"), "/keluar?lang=en" if common.lang() == "en" else "/keluar")
    # Where the data lives is for the people who run the server, not for every reader: the
    # file's name, with the whole path on hover (a long path broke mid-word in the sidebar).
    st.sidebar.caption(common.tr("app.tagline"))
    if user.role == "admin":
        st.sidebar.caption(f"{common.tr('app.db')}: `{common.db_path().name}`", help=f"`{common.db_path()}`")
    with common.guard():
        nav.run()
