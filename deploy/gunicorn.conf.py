"""gunicorn settings for Duixian (`gunicorn -c deploy/gunicorn.conf.py duixian.wsgi`).

gthread workers: a few processes (one per core, plus headroom) with threads each, because a
request spends most of its time waiting for PostgreSQL, not computing. On 2 cores the surge
benchmark (bench/surge) measured best with 4 processes x 8 threads; tune WEB_CONCURRENCY and
GUNICORN_THREADS to the core count and keep processes x threads under PostgreSQL's
max_connections divided by the number of app servers.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# Uploads up to MAX_UPLOAD_MB arrive through nginx, which buffers them; 60 s is plenty.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle processes now and then (memory held by big exports), staggered.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# nginx on the same host sets X-Forwarded-*; trust only it.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "warning")
proc_name = "duixian-web"
preload_app = True
