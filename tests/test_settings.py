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
    for asset in ("vendor/bootstrap/bootstrap.min.css", "vendor/plotly/plotly-cartesian.min.js",
                  "js/charts.js", "css/bluelight.css"):
        assert f'"{asset}"' in manifest, asset
    assert list((tmp_path / "vendor" / "plotly").glob("plotly-cartesian.min.*.js.gz"))


PRODUCTION = {"DJANGO_DEBUG": "0",
              "DJANGO_SECRET_KEY": "s" * 20 + "production-secret-key-" + "t" * 30,
              "DJANGO_ALLOWED_HOSTS": "bluelight.example.org"}
SHOW = ("from django.conf import settings as s; import json; print(json.dumps({"
        "'tls': s.EMAIL_USE_TLS, 'port': s.EMAIL_PORT, 'preload': s.SECURE_HSTS_PRELOAD, "
        "'two_factor': s.BLUELIGHT_REQUIRE_2FA, 'idle': s.SESSION_COOKIE_AGE}))")


def settings_with(**env):
    import json

    result = run_manage("shell", "-c", SHOW, **env)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_defaults_email_over_tls_preload_opt_in_two_step_on():
    values = settings_with(**PRODUCTION)
    assert values["tls"] is True and values["port"] == 587
    assert values["preload"] is False
    assert values["two_factor"] is True
    assert values["idle"] == 8 * 3600


def test_development_keeps_two_step_off_for_the_demo_accounts_and_email_tls_on():
    values = settings_with()
    assert values["two_factor"] is False
    assert values["tls"] is True


def test_each_default_can_be_changed_from_the_environment():
    values = settings_with(**PRODUCTION, DJANGO_EMAIL_USE_TLS="0", DJANGO_EMAIL_PORT="25",
                           DJANGO_SECURE_HSTS_PRELOAD="1", BLUELIGHT_REQUIRE_2FA="0",
                           BLUELIGHT_SESSION_IDLE_HOURS="2")
    assert values == {"tls": False, "port": 25, "preload": True, "two_factor": False,
                      "idle": 2 * 3600}
    assert settings_with(BLUELIGHT_REQUIRE_2FA="1")["two_factor"] is True


def test_check_deploy_is_clean_with_hsts_preload_opted_in():
    result = run_manage("check", "--deploy", "--fail-level", "INFO", **PRODUCTION,
                        DJANGO_SECURE_HSTS_PRELOAD="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
