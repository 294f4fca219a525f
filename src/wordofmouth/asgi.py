"""The ASGI application for servers: `uvicorn wordofmouth.asgi:app`."""

from wordofmouth.app import create_app

app = create_app()
