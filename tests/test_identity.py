"""The secrets' [auth] section checked as st.login will use it: each mistake
named by its key, never by its value."""
import base64
import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest

from integrations.identity import DEFAULT_LABEL, read_auth
from organising.access.kiosk import KioskLinkError, kiosk_token, kiosk_url, read_kiosk_token

SECRET = "a-cookie-secret-long-enough-0123456789"
GOOGLE = {"client_id": "id.apps.googleusercontent.com", "client_secret": "GOCSPX-very-secret",
          "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration"}


def good(**extra):
    return {"redirect_uri": "https://organising.example.org/oauth2callback", "cookie_secret": SECRET, **extra}


def test_no_auth_section_offers_no_provider_and_no_problem():
    setup = read_auth(None)
    assert not setup.configured and not setup.usable and not setup.problems


def test_one_provider_in_auth_itself_and_named_providers():
    one = read_auth(good(**GOOGLE))
    assert one.usable and [(p.name, p.label) for p in one.providers] == [(None, DEFAULT_LABEL)]
    microsoft = {**GOOGLE, "server_metadata_url":
                 "https://login.microsoftonline.com/tenant-id/v2.0/.well-known/openid-configuration"}
    named = read_auth(good(google=GOOGLE, microsoft=microsoft, client_kwargs={"prompt": "select_account"}))
    assert named.usable and [(p.name, p.label) for p in named.providers] == [("google", "Google"),
                                                                             ("microsoft", "Microsoft")]
    assert named.cookie_secret == SECRET


@pytest.mark.parametrize("section, expected", [
    (good(**{k: v for k, v in GOOGLE.items() if k != "client_secret"}), "[auth] client_secret: is missing"),
    ({**good(**GOOGLE), "redirect_uri": ""}, "[auth] redirect_uri: is missing"),
    ({**good(**GOOGLE), "redirect_uri": "https://organising.example.org/"}, "[auth] redirect_uri: must end with /oauth2callback"),
    ({**good(**GOOGLE), "redirect_uri": "http://organising.example.org/oauth2callback"}, "[auth] redirect_uri: must start with https://"),
    ({**good(**GOOGLE), "cookie_secret": "short-s3cret"}, "[auth] cookie_secret: is too short"),
    ({k: v for k, v in good(**GOOGLE).items() if k != "cookie_secret"}, "[auth] cookie_secret: is missing"),
    (good(google={**GOOGLE, "server_metadata_url": "accounts.google.com"}), "[auth.google] server_metadata_url: must be an address"),
    (good(google={**GOOGLE, "server_metadata_url": "https://accounts.google.com/"}), "[auth.google] server_metadata_url: must be the provider's discovery document"),
    (good(google={"client_id": "x"}), "[auth.google] client_secret: is missing"),
    (good(my_idp=GOOGLE), "[auth.my_idp]: a provider's name cannot contain _"),
    (good(), "[auth]: no identity provider"),
    (good(google=GOOGLE, client_kwargs="prompt=login"), "[auth] client_kwargs: must be a table"),
    (good(google=GOOGLE, tenant="x"), "[auth] tenant: is not a setting sign-in knows"),
    ("not a table", "[auth]: must be a section of keys"),
], ids=lambda v: v[:40] if isinstance(v, str) else None)
def test_each_mistake_names_its_key_and_never_a_secret(section, expected):
    setup = read_auth(section)
    assert setup.configured and not setup.usable
    assert any(p.startswith(expected) for p in setup.problems), setup.problems
    said = " ".join(setup.problems)
    assert "GOCSPX" not in said and SECRET not in said and "short-s3cret" not in said


def test_the_secrets_example_is_usable_once_its_cookie_secret_is_made():
    example = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "secrets.toml.example")
                            .read_text(encoding="utf-8"))
    assert [p.split(":")[0] for p in read_auth(example["auth"]).problems] == ["[auth] cookie_secret"]
    assert read_auth({**example["auth"], "cookie_secret": SECRET}).usable


def test_plain_http_is_accepted_only_on_this_machine():
    local = {**GOOGLE, "server_metadata_url": "http://127.0.0.1:9000/.well-known/openid-configuration"}
    assert read_auth({**good(**local), "redirect_uri": "http://127.0.0.1:8501/oauth2callback"}).usable


# -- kiosk links --------------------------------------------------------------------------

KEY = "k" * 64
TODAY = dt.date(2026, 12, 3)


def test_a_kiosk_link_opens_its_event_until_its_last_day():
    token = kiosk_token(KEY, "event-1", TODAY)
    assert read_kiosk_token(KEY, token, TODAY).event_id == "event-1"
    with pytest.raises(KioskLinkError, match="ended on 03 December 2026"):
        read_kiosk_token(KEY, token, TODAY + dt.timedelta(days=1))
    assert kiosk_url("https://app.example.org/", token) == f"https://app.example.org/?kiosk={token}"


def another_event(token: str) -> str:
    """The token with its event changed and its signature kept."""
    payload, signature = token.rsplit(".", 1)
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    edited = base64.urlsafe_b64encode(json.dumps({**data, "event": "event-2"}).encode()).rstrip(b"=").decode()
    return f"{edited}.{signature}"


@pytest.mark.parametrize("change", [
    another_event,
    lambda t: t[:-2],
    lambda t: "nonsense",
])
def test_an_edited_kiosk_link_or_another_apps_is_refused(change):
    token = kiosk_token(KEY, "event-1", TODAY)
    with pytest.raises(KioskLinkError, match="not valid"):
        read_kiosk_token(KEY, change(token), TODAY)
    with pytest.raises(KioskLinkError, match="not valid"):
        read_kiosk_token("another-key" * 4, token, TODAY)
