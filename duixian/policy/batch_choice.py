"""Which batch a page is about: `?batch=<id>` when it names a running batch, else the default
batch (policy.active.current_pack). Work lists, dashboards and exports are per batch; with more
than one batch they show a selector (template policy/_batch_selector.html) and carry the
parameter in their links."""

from __future__ import annotations

from urllib.parse import urlencode

from .active import batches, current_pack, has_batch, pack_of
from .pack import Pack


def batch_from_request(request) -> Pack:
    batch_id = request.GET.get("batch", "")
    return pack_of(batch_id) if batch_id and has_batch(batch_id) else current_pack()


def batch_query(pack: Pack) -> str:
    """`?batch=…` for links to another per-batch page of the same batch."""
    return "?" + urlencode({"batch": pack.batch_id})


def batch_context(request) -> dict:
    """`batch` (the chosen pack), `batches` (all, for the selector) and `batch_query`."""
    pack = batch_from_request(request)
    return {"batch": pack, "batches": batches(), "batch_query": batch_query(pack)}
