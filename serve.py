"""The server: the dashboard's page script (app.py) behind the door (ccm_analytics/ui/asgi.py).

Started by ``python -m ccm_analytics serve`` and ``make run`` as ``streamlit run serve.py``
(Streamlit finds the ``st.App`` below and serves it with uvicorn). The door counts wrong
credentials for the real client and adds the security headers to every answer; it refuses to
start (exit 2) on a bad ``CCM_TRUSTED_PROXIES`` or when uvicorn would trust ``X-Forwarded-For``.
Its routes ``/signin`` and ``/signout`` set and forget the session cookie of the local users file.
Beside the pages, the deadlines calendar to subscribe to (``/calendar/deadlines-en.ics``, ui/feed.py).
"""

import streamlit as st

from ccm_analytics.ui import asgi, feed

app = st.App("app.py", routes=[*asgi.routes(), *feed.routes()], middleware=asgi.middleware(asgi.check_startup()))
