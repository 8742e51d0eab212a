"""A new web process is ready before its first request (issue 22): gunicorn forks its workers from
the process that imported duixian.wsgi, so what that import prepares no applicant waits for."""

import os
import subprocess
import sys
from pathlib import Path

from django.template import engines

from duixian.core import warmup

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "duixian" / "templates"


def _fresh_process(script: str, tmp_path):
    """`script` run in a new interpreter, as gunicorn's parent imports the application: on a
    database path that must never be opened."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "duixian.settings", "DUIXIAN_VAR_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'never-opened.sqlite3'}"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def test_importing_the_wsgi_application_imports_every_view_and_compiles_the_templates(tmp_path):
    script = (
        "import sys, duixian.wsgi\n"
        "from django.template import engines\n"
        "cached = engines['django'].engine.template_loaders[0].get_template_cache\n"
        "print('duixian.sandbox.views' in sys.modules, 'duixian.review.views' in sys.modules,"
        " 'base.html' in cached, 'applications/tasks.html' in cached)\n"
    )
    done = _fresh_process(script, tmp_path)
    assert done.stdout.split() == ["True", "True", "True", "True"]
    assert not (tmp_path / "never-opened.sqlite3").exists()  # no connection a fork would share


def test_every_project_template_is_compiled_ahead_without_the_database():
    """No `db` fixture: pytest-django refuses any query, as a fork-shared connection must be."""
    on_disk = {p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*") if p.suffix in (".html", ".txt")}
    assert warmup.warm() >= len(on_disk)
    cached = engines["django"].engine.template_loaders[0].get_template_cache
    assert on_disk <= set(cached)


def test_a_template_that_does_not_compile_is_left_for_its_first_use(tmp_path, monkeypatch, caplog):
    (tmp_path / "broken.html").write_text("{% if %}", encoding="utf-8")
    monkeypatch.setattr(warmup, "_template_dirs", lambda _engine: [tmp_path])
    assert warmup.warm() == 0
    assert "broken.html" in caplog.text


def test_the_url_reverser_is_ready_in_every_language(tmp_path):
    """Django builds the reverser once per language: an English page's first {% url %} in a new
    worker built its own (about 5 ms on the bench machine) when only the default was warmed."""
    script = (
        "import duixian.wsgi\n"
        "from django.conf import settings\n"
        "from django.urls import get_resolver\n"
        "print(sorted(get_resolver()._reverse_dict) == sorted(code for code, _ in settings.LANGUAGES))\n"
    )
    done = _fresh_process(script, tmp_path)
    assert done.stdout.split() == ["True"]


def test_the_web_process_keeps_its_start_up_objects_out_of_full_collections(tmp_path):
    """gunicorn's parent, once warm, freezes what it built: a full collection in a worker then walks
    only what requests made since, instead of the whole of Django, the views and the templates."""
    script = (
        "import gc, time, duixian.wsgi\n"
        "frozen = gc.get_freeze_count()\n"
        "t = time.perf_counter(); gc.collect(2); spent = time.perf_counter() - t\n"
        "print(frozen, len(gc.get_objects()), round(spent * 1000, 1))\n"
    )
    frozen, tracked, _ms = _fresh_process(script, tmp_path).stdout.split()
    assert int(frozen) > 50_000 and int(tracked) < int(frozen) // 20
