"""The JSON API of `versus serve`: the same JSON as the CLI, with schemas generated from its types."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import Response

from versus.analysis.compare import ComparisonError
from versus.analysis.traffic import Blend, TrafficProfile
from versus.render.catalog import routes_to_list, summary_to_dict
from versus.render.catalog_json import ResolveJSON, RouteJSON, SummaryJSON, api_schema
from versus.render.json_view import comparison_to_dict
from versus.web.query import MAX_MODELS, MAX_NAME_CHARS, MAX_SEARCH_CHARS, BadRequest, model_names, traffic_query
from versus.web.responses import Web
from versus.web.schemas import comparison_openapi_schema, json_responses

Traffic = Annotated[tuple[TrafficProfile, Blend], Depends(traffic_query)]


def add_api(app: FastAPI, web: Web) -> None:
    """Declare every API route, and put the comparison schema's definitions into the OpenAPI document."""
    comparison = comparison_openapi_schema()

    @app.get("/api/compare", responses=json_responses(comparison["schema"]), tags=["compare"])
    def api_compare(
        request: Request,
        models: Annotated[
            str,
            Query(
                description=f"Two to {MAX_MODELS} comma-separated models: ids, provider ids or names.",
                pattern=r"^[^,]+(,[^,]+)+$",
                max_length=MAX_MODELS * (MAX_NAME_CHARS + 1),
            ),
        ],
        traffic: Traffic,
    ) -> Response:
        """The comparison JSON of `versus compare --format json`."""
        catalog = web.live.current()
        ids = [catalog.model_id(name) for name in model_names(models)]
        profile, blend = traffic

        def build() -> Any:
            try:
                return comparison_to_dict(catalog.service.compare(ids, profile, blend, catalog.today()))
            except ComparisonError as exc:
                raise BadRequest(400, str(exc)) from exc

        return web.api(catalog, request, build)

    @app.get("/api/models", responses=json_responses(api_schema(list[SummaryJSON])), tags=["catalog"])
    def api_models(
        request: Request,
        q: Annotated[
            str, Query(description="Words that must appear in the id, name or creator.", max_length=MAX_SEARCH_CHARS)
        ] = "",
        provider: Annotated[str, Query(description="Only models this provider serves.")] = "",
        capability: Annotated[str, Query(description="Only models with this capability.")] = "",
        min_context: Annotated[int, Query(ge=0, le=10**9, description="Minimum context window.")] = 0,
        limit: Annotated[int, Query(ge=1, le=5000)] = 5000,
    ) -> Response:
        """The model list of `versus models --format json`."""
        catalog = web.live.current()
        capabilities = [capability] if capability else []
        for name in capabilities:
            catalog.catalog.check_capability(name)
        if provider:
            catalog.catalog.provider(provider)

        def build() -> Any:
            found = catalog.catalog.search(q, capabilities, provider or None, min_context or None)
            return [summary_to_dict(m) for m in found[:limit]]

        return web.api(catalog, request, build)

    @app.get(
        "/api/models/{model_id:path}/routes", responses=json_responses(api_schema(list[RouteJSON])), tags=["catalog"]
    )
    def api_routes(request: Request, model_id: str) -> Response:
        """Every route of a model, as `versus routes MODEL --format json`."""
        catalog = web.live.current()
        found = catalog.model_id(model_id)
        return web.api(catalog, request, lambda: routes_to_list(catalog.catalog.routes(found)))

    @app.get("/api/resolve", responses=json_responses(api_schema(ResolveJSON)), tags=["catalog"])
    def api_resolve(
        request: Request,
        provider: Annotated[str, Query(description="Provider id, e.g. fireworks-ai.")],
        model_id: Annotated[str, Query(description="The provider's model id.", max_length=MAX_NAME_CHARS)],
    ) -> Response:
        """Which canonical model a provider's model id is, as `versus resolve --format json`."""
        catalog = web.live.current()
        result = catalog.catalog.resolve(provider, model_id)
        return web.api(catalog, request, lambda: result)

    original_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = original_openapi()
            schema.setdefault("components", {}).setdefault("schemas", {}).update(comparison["defs"])
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
