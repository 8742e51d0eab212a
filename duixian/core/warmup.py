"""What a web process prepares before it takes its first request (issue 22).

gunicorn loads the application once (preload_app) and forks its workers from it, and forks a new
one each time a worker is recycled (max_requests). Django imports the URL configuration, and
with it every app's views, at the first request, and compiles each template at its first use:
without this, every new worker made its first applicants wait about a second (the first
/healthz of a process took 1.1 s on the 2-core bench machine), which showed as the mixed hour's
slowest task-list pages. Done here once in the parent, the workers inherit it all.

Nothing here touches the database: connections opened before a fork would be shared by the
workers.
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger("duixian.core.warmup")


def warm() -> int:
    """Import every view, fill the URL reverser, load each language's catalogue and compile the
    project's templates; return how many templates were compiled."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports every app's urls and views
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("首页")
            # What the first {% url %} would build: Django keeps one reverser a language, so
            # outside this loop an English page's first request still built its own.
            resolver.reverse_dict  # noqa: B018
    return _compile_templates()


def freeze_long_lived() -> None:
    """Keep what the process has built so far (Django, every view, the templates, the pack) out of
    the garbage collector's full passes: it lives as long as the process. A full pass walked all of
    it, about 180,000 objects, for 110 ms with the GIL held, stalling every thread of the process
    (on the 2-core bench machine, about one pass every 500 requests); and gunicorn's forked workers
    keep sharing those memory pages instead of copying them when the collector touches them."""
    gc.collect()
    gc.freeze()


def _compile_templates() -> int:
    compiled = 0
    for engine in engines.all():
        for directory in _template_dirs(engine):
            for path in sorted(directory.rglob("*")):
                if path.suffix not in (".html", ".txt") or not path.is_file():
                    continue
                try:
                    engine.get_template(path.relative_to(directory).as_posix())
                except (TemplateDoesNotExist, TemplateSyntaxError, UnicodeDecodeError):
                    # Served as it always was at its first use, where the error shows as before.
                    logger.warning("Template %s not compiled ahead", path, exc_info=True)
                    continue
                compiled += 1
    return compiled


def _template_dirs(engine) -> list[Path]:
    """The project's own template folders (not those of third-party apps, most never shown)."""
    project = Path(settings.BASE_DIR) / "duixian"
    return [Path(d) for d in engine.template_dirs if Path(d).resolve().is_relative_to(project.resolve())]
