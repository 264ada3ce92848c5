"""http/urls.py: the one rule for an http(s) address, worded for each place that takes one."""

import pytest

from ecp_cli.errors import InputError, ProfileError
from ecp_cli.http.urls import check_base_url, check_url, url_problem


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/cb", "https://api.ecommpay.com", "http://[::1]:80/"]
)
def test_usable_urls(url):
    assert url_problem(url) is None
    assert check_url(url) == url


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("localhost:8000", "expected an http:// or https:// URL"),
        ("ftp://x/y", "expected an http:// or https:// URL"),
        ("/callback", "expected an http:// or https:// URL"),
        (None, "expected an http:// or https:// URL"),
        ("http://", "no host name"),
        ("http://:80/", "no host name"),
        ("http://a b/", "a URL has no spaces"),
        ("http://host:0/", "port 0"),
        ("http://host:70000/", "Port out of range 0-65535"),
        ("http://[::1/", "Invalid IPv6 URL"),
    ],
)
def test_unusable_urls_and_why(url, problem):
    assert url_problem(url) == problem


@pytest.mark.parametrize("url", ["localhost:8000", "ftp://x/y", "http://", "/callback"])
def test_a_destination_names_its_option(url):
    with pytest.raises(InputError) as error:
        check_url(url, "--forward-to")
    assert error.value.message == f"--forward-to {url}: expected an http:// or https:// URL"


def test_a_base_url_loses_its_trailing_slash():
    assert check_base_url("https://api.example.com/", "--api-url") == "https://api.example.com"


def test_a_base_url_has_no_query_or_fragment():
    for url in ("https://api.example.com/?a=1", "https://api.example.com/#top"):
        with pytest.raises(InputError) as error:
            check_base_url(url, "--api-url")
        assert error.value.message == "--api-url must be a base URL, without a query or fragment"


def test_a_bad_base_url_raises_the_error_asked_for():
    with pytest.raises(ProfileError) as error:
        check_base_url(12, "p.yaml: profile 'a': 'api_url'", ProfileError)
    assert error.value.message == "p.yaml: profile 'a': 'api_url' must be an http(s):// URL, got 12"
