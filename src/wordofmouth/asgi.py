"""The ASGI application for servers: `uvicorn wordofmouth.asgi:app`.

The click path (/r/KEY) is put in front of the whole application here, outside even
Starlette's own middleware, since it is the path viral traffic hits; everything else goes
on to the application (which keeps the click path inside too, for tests and embedding)."""

from wordofmouth.app import create_app
from wordofmouth.storefront.clicks import ClickPath

application = create_app()
app = ClickPath(application, application.state.clicks)
