"""Production settings pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "INFO",
                        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 20 + "production-secret-key-"
                        + "y" * 30, DJANGO_ALLOWED_HOSTS="bluelight.example.org")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_collectstatic_in_production_hashes_every_asset_including_plotly(tmp_path):
    result = run_manage("collectstatic", "--no-input", "-v0", DJANGO_DEBUG="0",
                        DJANGO_SECRET_KEY="z" * 50, DJANGO_ALLOWED_HOSTS="bluelight.example.org",
                        DJANGO_STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    for asset in ("vendor/bootstrap/bootstrap.min.css", "vendor/plotly/plotly.min.js",
                  "js/charts.js", "css/bluelight.css"):
        assert f'"{asset}"' in manifest, asset
    assert list((tmp_path / "vendor" / "plotly").glob("plotly.min.*.js.gz"))
