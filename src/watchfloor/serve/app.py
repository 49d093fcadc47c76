"""The web app: the JSON API (/api, OpenAPI at /docs) and the dashboard's pages.

>>> app = create_app("desk.db", token="s3cret")           # doctest: +SKIP
>>> uvicorn.run(app, host="127.0.0.1", port=8000)        # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from watchfloor import __version__
from watchfloor.config import Settings, database_url
from watchfloor.errors import StoreError
from watchfloor.pipeline import ExtractFn
from watchfloor.serve import api, api_voices, pages
from watchfloor.serve.security import (
    DEFAULT_MAX_UPLOAD_BYTES,
    LOOPBACK_NAMES,
    BodyLimit,
    HostCheck,
    SecurityHeaders,
)
from watchfloor.serve.state import ServeState
from watchfloor.store import Store

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
PLOTLY_JS = "/static/vendor/plotly.min.js"
# Per SQLite connection of the app: page cache, and how much of the file reads map.
CACHE_KIB = 32_768
MMAP_BYTES = 1 << 30


def plotly_js() -> Path | None:
    """The plotly.min.js that the installed plotly package ships (served, never copied).

    >>> plotly_js().name
    'plotly.min.js'
    """
    path = Path(str(resources.files("plotly").joinpath("package_data", "plotly.min.js")))
    return path if path.is_file() else None


def tune_reads(engine: sa.Engine) -> None:
    """Give the app's SQLite connections a larger page cache and memory-mapped reads."""
    if engine.dialect.name != "sqlite":
        return

    def tune(dbapi_connection: Any, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            cursor.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        finally:
            cursor.close()

    sa.event.listen(engine, "connect", tune)
    engine.dispose()  # the connections opened before now lack it


def create_app(
    settings: Settings | str,
    *,
    token: str | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    extractor: ExtractFn | None = None,
    allowed_hosts: Sequence[str] = LOOPBACK_NAMES,
) -> FastAPI:
    """The app over one database (Settings, or a path or URL).

    `token` (default: the settings' token) is what writes must carry; without one,
    writes are refused. `max_upload_bytes` bounds every request body. `extractor`
    replaces the spaCy extractor that uploads otherwise load on first use.
    `allowed_hosts` are the Host names the app answers to ("*": any).
    """
    if isinstance(settings, str):
        settings = Settings(db=database_url(settings))
    store = Store.open(settings.db)
    tune_reads(store.engine)
    state = ServeState(
        store=store,
        settings=settings,
        token=token if token is not None else settings.token,
        max_upload_bytes=max_upload_bytes,
        extractor=extractor,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="watchfloor",
        version=__version__,
        description="Events, actors, claims, attributions and judgments from reports, "
        "each value with the sentence that says it.",
        lifespan=lifespan,
        # Swagger UI and ReDoc load their scripts from a CDN: /docs is a page of our own.
        docs_url=None,
        redoc_url=None,
    )
    app.state.desk = state
    app.include_router(api.router)
    app.include_router(api_voices.router)
    app.include_router(pages.router)
    app.add_api_route(PLOTLY_JS, _plotly_response, include_in_schema=False)
    app.add_api_route("/favicon.ico", _no_icon, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _add_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=max_upload_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HostCheck, allowed=list(allowed_hosts))
    return app


def _plotly_response() -> FileResponse:
    path = plotly_js()
    if path is None:
        raise HTTPException(404, "plotly.min.js is missing from the installed plotly package")
    return FileResponse(
        path, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"}
    )


def _no_icon() -> Response:
    return Response(status_code=204)


def _add_handlers(app: FastAPI) -> None:
    """Errors as JSON under /api, as a page elsewhere."""

    async def http_error(request: Request, error: Exception) -> Response:
        found = cast(HTTPException, error)
        return _error(request, found.status_code, str(found.detail), found.headers)

    async def invalid(request: Request, error: Exception) -> Response:
        errors = cast(RequestValidationError, error).errors()
        if request.url.path.startswith("/api"):
            return JSONResponse({"detail": _jsonable(errors)}, status_code=422)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in errors
        )
        return _error(request, 422, problems)

    async def store_error(request: Request, error: Exception) -> Response:
        return _error(request, 503, f"the database could not be read: {error}")

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StoreError, store_error)


def _jsonable(errors: Sequence[object]) -> list[object]:
    from fastapi.encoders import jsonable_encoder

    found: list[object] = jsonable_encoder(errors)
    return found


def _error(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    if request.url.path.startswith("/api") or request.url.path.startswith("/static"):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return pages.error_page(request, status, message, headers=headers)
