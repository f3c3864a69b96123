"""config/settings.yaml: every setting checked at start-up, a mistake named with its file and key."""
import pytest

from organising.config import load_settings
from organising.forms.spec import ConfigError


def write(tmp_path, text):
    (tmp_path / "settings.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_shipped_settings_are_a_uk_alliance(app_config):
    assert (app_config.settings.locale, app_config.settings.timezone) == ("en_GB", "Europe/London")


def test_locale_and_time_zone_default_to_the_uk(tmp_path):
    settings = load_settings(write(tmp_path, "alliance_name: Lakes Estate Alliance\n"))
    assert (settings.locale, settings.timezone) == ("en_GB", "Europe/London")


def test_another_alliance_sets_its_own(tmp_path):
    settings = load_settings(write(tmp_path, "locale: en_US\ntimezone: America/New_York\n"))
    assert (settings.locale, settings.timezone) == ("en_US", "America/New_York")


@pytest.mark.parametrize("text, problem", [
    ("locale: english\n", "locale: 'english' is not a locale such as en_GB"),
    ("timezone: Milton Keynes\n", "timezone: 'Milton Keynes' is not a time zone such as Europe/London"),
    ("cache_seconds: 0\n", "cache_seconds: must be a whole number of seconds from 1 to 3600"),
    ("colour: red\n", "unknown key(s) colour"),
    ("retention_months: 0\n", "retention_months: must be a whole number of months from 1 to 120"),
    ("retention_months: two years\n", "retention_months: must be a whole number of months from 1 to 120"),
    ("retention_months: 18.5\n", "retention_months: must be a whole number of months"),
])
def test_a_wrong_setting_is_named(tmp_path, text, problem):
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text))
    assert "settings.yaml" in str(caught.value) and problem in str(caught.value)


def test_personal_data_is_kept_24_months_unless_the_alliance_says_otherwise(tmp_path, app_config):
    assert app_config.settings.retention_months == 24
    assert load_settings(write(tmp_path, "alliance_name: X\n")).retention_months == 24
    assert load_settings(write(tmp_path, "retention_months: 36\n")).retention_months == 36
