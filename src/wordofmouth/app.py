"""create_app(): routers, error handlers, middleware, static files and the API docs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse, Response
from swagger_ui_bundle import swagger_ui_path

from wordofmouth import __version__, i18n, plugins
from wordofmouth import db as database
from wordofmouth.analysis import activity_pages
from wordofmouth.analysis import api as analysis_api
from wordofmouth.analysis import pages as analysis_pages
from wordofmouth.auth.token_cache import TokenCache
from wordofmouth.catalog import api as catalog_api
from wordofmouth.catalog import pages as catalog_pages
from wordofmouth.club import api as club_api
from wordofmouth.club import pages as club_pages
from wordofmouth.config import get_settings
from wordofmouth.customers import api as customers_api
from wordofmouth.customers import pages as customers_pages
from wordofmouth.friends import api as friends_api
from wordofmouth.friends import pages as friends_pages
from wordofmouth.history import api as history_api
from wordofmouth.history import pages as history_pages
from wordofmouth.jobs import Background, Scheduler
from wordofmouth.ledger import api as ledger_api
from wordofmouth.mailing import api as mailing_api
from wordofmouth.mailing import pages as mailing_pages
from wordofmouth.partners import api as partners_api
from wordofmouth.partners import pages as partners_pages
from wordofmouth.partners import portal as partners_portal
from wordofmouth.partners import program_api
from wordofmouth.partners.importing import MAX_BYTES
from wordofmouth.sales import api as sales_api
from wordofmouth.sales import pages as sales_pages
from wordofmouth.sales import pos
from wordofmouth.settings import api as settings_api
from wordofmouth.storefront import api as storefront_api
from wordofmouth.storefront import pages as storefront_pages
from wordofmouth.storefront import statement_api
from wordofmouth.storefront.clicks import ClickBuffer, ClickPath
from wordofmouth.web import errors, office, openapi
from wordofmouth.web.admission import Admission
from wordofmouth.web.deps import db_session, get_db
from wordofmouth.web.middleware import BodyLimit, Language, SecurityHeaders
from wordofmouth.webhooks import api as webhooks_api
from wordofmouth.webhooks import pages as webhooks_pages

STATIC = Path(__file__).parent / "web" / "static"

DESCRIPTION = """
The wordofmouth API: catalog, customers and cards, sales, invoices, returns and the bonus
ledger. Authenticate with `Authorization: Bearer <token>` (create one with `wom token add`).
Writes accept an `Idempotency-Key` header: a retry with the same key and body replays the
first answer. Errors always have the shape `{"error": "<code>", "detail": "<message>"}`.
Amounts are decimal strings with two decimals.
"""


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    """Background jobs of a running server: the daily club review, commission maturing, the
    mailing outbox worker, the webhook worker, the history import worker."""
    from wordofmouth.customers import rules as customer_rules
    from wordofmouth.history import jobs as history_jobs
    from wordofmouth.mailing.worker import Worker as MailWorker
    from wordofmouth.webhooks.worker import Worker as WebhookWorker

    # Compile the catalogs and build the collation table before the first request: done
    # lazily, the first page or customer would hold the interpreter for a few tenths of a
    # second while other requests wait.
    i18n.load_all()
    customer_rules.warm()
    scheduler = Scheduler() if get_settings().scheduler else None
    mail = Background("mailing-worker", lambda stop: MailWorker().run(stop)) \
        if get_settings().mail_worker else None
    hooks = Background("webhook-worker", lambda stop: WebhookWorker().run(stop)) \
        if get_settings().webhook_worker else None
    imports = Background("import-worker", lambda stop: history_jobs.work(stop)) \
        if get_settings().import_worker else None
    for job in (scheduler, mail, hooks, imports):
        if job:
            job.start()
    yield
    if scheduler:
        scheduler.stop()
    for worker in (mail, hooks, imports):
        if worker:
            worker.close()


def create_app() -> FastAPI:
    plugins.install()
    app = FastAPI(title="wordofmouth", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, lifespan=lifespan)
    errors.install(app)
    for router in (catalog_api.router, customers_api.router, sales_api.router,
                   ledger_api.router, office.router, catalog_pages.router,
                   customers_pages.router, sales_pages.router, pos.router, club_pages.router,
                   friends_api.router, friends_pages.router, analysis_pages.router,
                   activity_pages.router, mailing_pages.router,
                   partners_api.router, partners_pages.router, partners_portal.router,
                   storefront_api.router, storefront_pages.router, webhooks_api.router,
                   club_api.router, settings_api.router, mailing_api.router,
                   analysis_api.router, statement_api.router, program_api.router,
                   history_pages.router, history_api.router,
                   webhooks_pages.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/docs-assets", StaticFiles(directory=str(swagger_ui_path)), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        return HTMLResponse(DOCS_HTML)

    @app.get("/healthz", include_in_schema=False)
    def health(request: Request) -> dict[str, object]:
        """Alive, and this process's click counts (recorded, shed, unknown keys)."""
        return {"status": "ok", "version": __version__,
                "clicks": dict(request.app.state.clicks.counts)}

    openapi.install(app)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Language)
    # a file of the old program may be up to 5 MB (with the form around it)
    upload = MAX_BYTES + 64_000
    app.add_middleware(BodyLimit, max_bytes=get_settings().max_body_bytes, uploads={
        "/settings/history": upload, "/api/history/imports": upload,
        "/partners/import": upload})
    settings = get_settings()
    app.add_middleware(Admission, slots=settings.request_slots,
                       wait_seconds=settings.request_wait_seconds)
    # Outermost: /r/KEY is answered before routing (the path viral traffic hits).
    app.state.clicks = ClickBuffer(
        lambda: contextmanager(app.dependency_overrides.get(get_db, db_session)),
        url=settings.database_url)
    # the database this process really uses (tests bind the engine to a database of theirs)
    app.state.tokens = TokenCache(database.get_engine().url.render_as_string(
        hide_password=False))
    app.add_middleware(ClickPath, buffer=app.state.clicks)
    return app


DOCS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>wordofmouth API</title>
<link rel="stylesheet" href="/docs-assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script>
<script src="/static/docs-init.js"></script></body></html>"""
