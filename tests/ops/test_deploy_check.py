"""`duixian check --deploy` is clean with the production settings of deploy/duixian.env.example."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DEBUG", "DUIXIAN_DEMO", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    for line in (ROOT / "deploy/duixian.env.example").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    # The example's placeholders, made concrete for this machine.
    env.update(
        SECRET_KEY=secrets.token_urlsafe(64), AUDIT_CHAIN_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ["DATABASE_URL"]
        or f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        DUIXIAN_VAR_DIR=str(tmp_path / "var"), STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"), METERING_ROOT=str(tmp_path / "metering"),
        PYTHONIOENCODING="utf-8",
    )
    return env


@pytest.mark.slow
def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = production_env(tmp_path)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "duixian"), "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
def test_deploy_check_refuses_demo_mode_and_missing_secret(tmp_path):
    env = production_env(tmp_path)
    env["DUIXIAN_DEMO"] = "1"
    del env["SECRET_KEY"]
    result = subprocess.run(
        [str(Path(sys.executable).parent / "duixian"), "check", "--deploy"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode != 0
    assert "duixian.E001" in result.stderr and "duixian.E002" in result.stderr


@pytest.mark.slow
def test_deploy_check_refuses_a_missing_or_example_audit_chain_key(tmp_path):
    env = production_env(tmp_path)
    for value, code in ((None, "duixian.audit.E002"), ("CHANGE-ME-python3-c-import-secrets-print-secrets-token_urlsafe-48",
                                                          "duixian.audit.E003")):
        if value is None:
            del env["AUDIT_CHAIN_KEY"]
        else:
            env["AUDIT_CHAIN_KEY"] = value
        result = subprocess.run(
            [str(Path(sys.executable).parent / "duixian"), "check", "--deploy"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )
        assert result.returncode != 0 and code in result.stderr, result.stderr
