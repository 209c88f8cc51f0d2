"""Sign-in (app_pages/auth.py) and the workspace source (app_pages/workspace_source.py).

The sign-in gate is driven through AppTest with an ``[auth]`` section in ``at.secrets`` and
the user Streamlit would hold (``at.user``); the real OpenID Connect round trip is in
tests/e2e/test_signin.py. The section's shape follows Streamlit's st.login documentation
(``redirect_uri``, ``cookie_secret``, then ``client_id``, ``client_secret`` and
``server_metadata_url`` under [auth] or under a named provider, [auth.okta]).
"""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import auth, workspace_source
from tests.app.conftest import APP, ROOT, open_page, shown, walk

PROVIDER = {
    "client_id": "rehab-test",
    "client_secret": "placeholder-secret",
    "server_metadata_url": "https://login.example/.well-known/openid-configuration",
}
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "placeholder-cookie-secret-long-enough",
    **PROVIDER,
}
THERAPIST = {"is_logged_in": True, "email": "therapist@clinic.example", "name": "Dana *Reyes*"}


def _texts(at: AppTest) -> str:
    """Every string a reader could see on the page and in the sidebar."""
    seen = []
    for node in [*walk(at.main), *walk(at.sidebar)]:
        for attribute in ("value", "label", "body"):
            value = getattr(node, attribute, None)
            if isinstance(value, str):
                seen.append(value)
    return "\n".join(seen)


def _signed_out(section: dict[str, object] = AUTH) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = section
    at.user = {"is_logged_in": False}
    return at


def test_without_an_auth_section_the_app_opens_as_before(app):
    at = open_page(app, "patient")
    assert at.title[0].value.startswith("My progress")
    assert not [b for b in at.button if b.label in ("Sign in", "Sign out")]


def test_signed_out_sees_only_the_sign_in_screen_and_the_disclaimer():
    at = _signed_out().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign in to rehab"]
    assert [b.label for b in at.button] == ["Sign in"]
    seen = _texts(at)
    assert "Self-reported data, not a diagnosis" in seen
    # Nothing of the app's data: no patient, no table, chart, metric or upload.
    assert "PT-0" not in seen
    assert not at.dataframe
    assert not at.metric
    assert not at.get("vega_lite_chart")
    assert not at.get("file_uploader")
    assert not list(walk(at.sidebar))[1:]


def test_every_page_asks_for_sign_in_first():
    at = _signed_out().run()
    for page in ("screening", "patient", "library", "rules"):
        at.switch_page(f"app_pages/{page}.py")
        at.run()
        assert [t.value for t in at.title] == ["Sign in to rehab"], page
        assert "PT-0" not in _texts(at), page


def test_each_named_provider_gets_its_own_button():
    section = {**AUTH}
    for key in PROVIDER:
        section.pop(key)
    section.update({"okta": dict(PROVIDER), "microsoft": dict(PROVIDER)})
    at = _signed_out(section).run()
    assert [b.label for b in at.button] == ["Sign in with microsoft", "Sign in with okta"]


def test_signed_in_sees_the_app_and_who_is_signed_in_as_text(app):
    app.secrets["auth"] = AUTH
    app.user = dict(THERAPIST)
    at = open_page(app, "patient")
    assert at.title[0].value.startswith("My progress")
    captions = [c.value for c in at.sidebar.caption]
    # The name is the provider's text: shown literally, never as Markdown emphasis.
    assert r"Signed in as Dana \*Reyes\* · therapist⁠\@clinic\.example" in captions
    assert "Sign out" in [b.label for b in at.sidebar.button]


def test_sign_out_returns_to_the_sign_in_screen(app):
    app.secrets["auth"] = AUTH
    app.user = dict(THERAPIST)
    at = open_page(app, "patient")
    at.sidebar.button(key="sign_out").click().run()
    assert at.user.get("is_logged_in") is False
    at.run()
    assert [t.value for t in at.title] == ["Sign in to rehab"]


def _show_current_user() -> None:
    import streamlit as st

    from app_pages import auth

    st.text(repr(auth.current_user()))


@pytest.mark.parametrize(
    ("section", "user", "expected"),
    [
        (None, THERAPIST, "None"),  # no [auth]: nobody is signed in, whatever st.user holds
        (AUTH, {"is_logged_in": False}, "None"),
        (AUTH, THERAPIST, "'therapist@clinic.example'"),
        (AUTH, {"is_logged_in": True, "name": "Dana Reyes"}, "'Dana Reyes'"),
        (AUTH, {"is_logged_in": True, "sub": "user-17", "email": " "}, "'user-17'"),
    ],
)
def test_current_user_is_the_signed_in_email_else_name(section, user, expected):
    at = AppTest.from_function(_show_current_user, default_timeout=30)
    if section is not None:
        at.secrets["auth"] = section
    at.user = dict(user)
    at.run()
    assert [t.value for t in at.text] == [expected]


class _Unreadable:
    def __contains__(self, key: object) -> bool:
        raise FileNotFoundError("no secrets could be read")


def test_an_unreadable_secrets_file_keeps_the_app_closed(monkeypatch, tmp_path):
    broken = tmp_path / "secrets.toml"
    broken.write_text("[auth\nredirect_uri = ", encoding="utf-8")
    monkeypatch.setattr("streamlit.secrets", _Unreadable())
    monkeypatch.setattr(auth, "_secrets_files", lambda: [str(tmp_path / "absent.toml"), str(broken)])
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "could not be read" in at.error[0].value
    assert not at.button
    assert "PT-0" not in _texts(at)


@pytest.mark.parametrize(
    ("drop", "named", "expected"),
    [
        ("cookie_secret", False, "cookie_secret"),
        ("client_secret", True, "okta.client_secret"),
        ("server_metadata_url", False, "server_metadata_url"),
    ],
)
def test_incomplete_sign_in_settings_keep_the_app_closed_and_say_what_is_missing(drop, named, expected):
    section: dict[str, object] = {**AUTH}
    if named:
        for key in PROVIDER:
            section.pop(key)
        section["okta"] = {key: value for key, value in PROVIDER.items() if key != drop}
    else:
        section.pop(drop)
    at = _signed_out(section).run()
    assert not at.button
    assert expected in shown(at.error[0].value)
    assert "PT-0" not in _texts(at)


def test_a_section_without_any_provider_is_incomplete():
    section = {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"]}
    assert auth.missing_settings(section) == ["client_id", "client_secret", "server_metadata_url"]
    assert auth.missing_settings(AUTH) == []


def test_no_secrets_file_at_all_means_no_sign_in(monkeypatch, tmp_path):
    monkeypatch.setattr("streamlit.secrets", _Unreadable())
    monkeypatch.setattr(auth, "_secrets_files", lambda: [str(tmp_path / "absent.toml")])
    assert auth.auth_section() is None


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        ([], {}, None),
        ([], {"REHAB_WORKSPACE": "  "}, None),
        ([], {"REHAB_WORKSPACE": "demo"}, "demo"),
        (["--workspace", "/srv/clinic.db"], {}, "/srv/clinic.db"),
        (["--workspace=/srv/a.db"], {"REHAB_WORKSPACE": "/srv/b.db"}, "/srv/a.db"),
        (["--other", "x"], {"REHAB_WORKSPACE": "/srv/b.db"}, "/srv/b.db"),
    ],
)
def test_workspace_choice_command_line_first_then_environment(argv, environ, expected):
    assert workspace_source.choice(argv, environ) == expected


def test_where_says_where_the_data_is_kept(monkeypatch, tmp_path):
    monkeypatch.setattr("sys.argv", ["app.py"])
    monkeypatch.delenv("REHAB_WORKSPACE", raising=False)
    assert "Nothing is stored" in workspace_source.where()
    assert workspace_source.workspace() is None
    assert not workspace_source.is_demo()
    monkeypatch.setenv("REHAB_WORKSPACE", "Demo")
    assert workspace_source.where() == "Demo workspace (temporary, deleted when the app stops)"
    assert workspace_source.is_demo()
    monkeypatch.setenv("REHAB_WORKSPACE", str(tmp_path / "clinic.db"))
    assert not workspace_source.is_demo()
    assert workspace_source.where() == f"Clinic workspace: {Path(tmp_path / 'clinic.db').resolve()}"
    # The clinic's file is opened (created) once for the process, whichever session asks.
    opened = workspace_source.workspace()
    try:
        assert opened is not None
        assert opened.path == tmp_path / "clinic.db"
        assert workspace_source.workspace() is opened
    finally:
        workspace_source._open.clear()
        opened.close()


def test_the_secrets_example_has_what_st_login_needs():
    # The keys Streamlit checks before st.login (redirect_uri ending in /oauth2callback,
    # cookie_secret, and client_id, client_secret, server_metadata_url for the provider).
    text = (ROOT / ".streamlit" / "secrets.example.toml").read_text(encoding="utf-8")
    section = tomllib.loads(text)["auth"]
    assert section["redirect_uri"].endswith("/oauth2callback")
    assert section["cookie_secret"]
    assert auth.providers(section) == ["default"]
    assert {"client_id", "client_secret", "server_metadata_url"} <= section.keys()
    # Placeholders only: nothing that could be a real secret.
    for key in ("cookie_secret", "client_id", "client_secret"):
        assert section[key].startswith("REPLACE-"), key
    # The commented variant, uncommented, gives a named provider.
    commented = text[text.index("# [auth.microsoft]") :]
    named = "\n".join(line.removeprefix("# ") for line in commented.splitlines())
    assert auth.providers(tomllib.loads(named)["auth"]) == ["microsoft"]


def test_real_secrets_never_reach_the_repository():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0
