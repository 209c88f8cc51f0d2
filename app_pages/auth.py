"""Sign-in with the clinic's OpenID Connect provider (Streamlit's ``st.login``), when configured.

A clinic turns sign-in on with an ``[auth]`` section in ``.streamlit/secrets.toml`` (see
docs/signin.md). Then every page asks who is there before it shows anything, and the
workspace records the signed-in user on imports and reviews. Without the section the app is
open as before, and serves 127.0.0.1 only (``.streamlit/config.toml``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, NoReturn

import streamlit as st

from rehab.disclaimer import DISCLAIMER
from rehab.markup import literal

# Keys that make a table of [auth] a provider of its own ([auth.okta] ...) for Streamlit.
_PROVIDER_KEYS: Final = ("client_id", "server_metadata_url")
DEFAULT_PROVIDER: Final = "default"


class SignInSettingsError(RuntimeError):
    """A secrets file exists but cannot be read: sign-in may be meant, so nothing is shown."""


def _secrets_files() -> list[str]:
    from streamlit import config

    files: list[str] = config.get_option("secrets.files")
    return files


def auth_section() -> Mapping[str, Any] | None:
    """The ``[auth]`` section of the secrets Streamlit reads, or None when there is none.

    Raises
    ------
    SignInSettingsError
        When a secrets file exists but cannot be parsed: the app must not open to anyone
        because of a typo in the file that was meant to close it.
    """
    try:
        section = st.secrets.get("auth") if "auth" in st.secrets else None
    except FileNotFoundError as error:  # Streamlit's "no secrets found" (or unreadable)
        if any(Path(name).is_file() for name in _secrets_files()):
            raise SignInSettingsError("a secrets file exists but could not be read") from error
        return None
    return section if isinstance(section, Mapping) and section else None


def providers(section: Mapping[str, Any]) -> list[str]:
    """The providers a clinic configured: ``default`` (keys right under [auth]) and named ones."""
    named = [
        name
        for name, value in section.items()
        if isinstance(value, Mapping) and any(key in value for key in _PROVIDER_KEYS)
    ]
    default = [DEFAULT_PROVIDER] if any(key in section for key in _PROVIDER_KEYS) else []
    return default + sorted(named)


def missing_settings(section: Mapping[str, Any]) -> list[str]:
    """The keys st.login needs that the section lacks (``okta.client_id`` for a named one)."""
    missing = [key for key in ("redirect_uri", "cookie_secret") if not section.get(key)]
    names = providers(section)
    if not names:
        return [*missing, "client_id", "client_secret", "server_metadata_url"]
    for name in names:
        keys = section if name == DEFAULT_PROVIDER else section[name]
        prefix = "" if name == DEFAULT_PROVIDER else f"{name}."
        needed = ("client_id", "client_secret", "server_metadata_url")
        missing += [f"{prefix}{key}" for key in needed if not keys.get(key)]
    return missing


def signed_in() -> bool:
    """Whether Streamlit holds a signed-in user for this session."""
    return bool(st.user.get("is_logged_in"))


def current_user() -> str | None:
    """The signed-in user's email (else name, else subject), or None without sign-in.

    This is what the workspace records as ``by`` on imports and reviews. Without an
    ``[auth]`` section nobody is signed in, whatever ``st.user`` holds.
    """
    try:
        configured = auth_section() is not None
    except SignInSettingsError:
        return None
    if not configured or not signed_in():
        return None
    for key in ("email", "name", "sub"):
        value = st.user.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def require_sign_in() -> None:
    """Show the sign-in screen and stop, unless sign-in is off or the user is signed in.

    Called by app.py before the router, so no page (and no patient's data) runs first.
    Signed in, the sidebar says who and offers to sign out.
    """
    try:
        section = auth_section()
    except SignInSettingsError:
        _closed("could not be read")
    if section is None:
        return
    missing = missing_settings(section)
    if missing:
        _closed(f"are missing {', '.join(missing)}")
    if signed_in():
        _account_in_sidebar()
        return
    _sign_in_screen(providers(section))
    st.stop()


def _closed(problem: str) -> NoReturn:
    st.title("rehab")
    st.error(
        f"The sign-in settings (`.streamlit/secrets.toml`) {literal(problem)}, so the dashboard "
        "stays closed. Ask whoever set it up to check the file (docs/signin.md).",
        icon=":material/lock:",
    )
    st.caption(DISCLAIMER)
    st.stop()


def _sign_in_screen(names: list[str]) -> None:
    st.title("Sign in to rehab")
    st.write(
        "This dashboard holds patients' rehabilitation logs, so your clinic asks everyone to "
        "sign in first. You will go to your clinic's sign-in page and come straight back here."
    )
    for name in names or [DEFAULT_PROVIDER]:
        label = "Sign in" if name == DEFAULT_PROVIDER else f"Sign in with {literal(name)}"
        if st.button(label, key=f"sign_in_{name}", type="primary", icon=":material/login:"):
            st.login(name)
    st.caption(
        "The imports and reviews you make are recorded under your email address, so the "
        "team can see who did what."
    )
    st.divider()
    st.caption(f":material/info: {DISCLAIMER}")


def _account_in_sidebar() -> None:
    name = st.user.get("name")
    email = st.user.get("email")
    who = " · ".join(str(value) for value in (name, email) if isinstance(value, str) and value)
    with st.sidebar:
        st.caption(f"Signed in as {literal(who or 'you')}")
        if st.button("Sign out", key="sign_out", icon=":material/logout:"):
            st.logout()
