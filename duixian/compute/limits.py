"""The push API's body cap (issue 16): `POST /api/v1/metering` refuses a body larger than
``METERING_API_MAX_MB`` (default 200, like the browser upload's ``METERING_UPLOAD_MAX_MB``).

The middleware decides from the declared Content-Length, before Django parses the multipart
body into a temporary file, so a client cannot make the server write 210 MB to disk first; the
view checks the received file's size again (a body without a length is read as empty by Django).
The answer is 413 with the documented refusal body (``error``, ``lines``, ``problems``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse

METERING_PATH = "/api/v1/metering"


def api_max_bytes() -> int:
    return int(getattr(settings, "METERING_API_MAX_MB", 200)) * 1024 * 1024


def too_large_body(limit: int) -> dict:
    mb = limit // (1024 * 1024)
    return {"error": f"请求体超过 {mb} MB 的上限，未读取也未保存任何记录；请分成几个文件推送"
                     f"（导入按 record_id 累加，重复推送不会重复计入）", "lines": [], "problems": []}


class MeteringBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path_info.rstrip("/") == METERING_PATH:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0  # Django reads such a body as empty
            limit = api_max_bytes()
            if length > limit:
                return JsonResponse(too_large_body(limit), status=413, json_dumps_params={"ensure_ascii": False})
        return self.get_response(request)
