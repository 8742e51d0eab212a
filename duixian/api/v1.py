"""The machine API at /api/v1 (django-ninja; OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Mounted in duixian/urls.py with `api.urls`, which carries the namespace the schema view needs.
"""

from ninja import NinjaAPI

from duixian.compute.api import router as compute_router
from duixian.policy.api import router as policy_router

api = NinjaAPI(
    title="Duixian 政策兑现平台接口",
    version="1",
    urls_namespace="api-v1",
    docs_url="/docs",
)
api.add_router("/", policy_router)
api.add_router("/", compute_router)
