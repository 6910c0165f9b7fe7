from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netmap.keys import (
    account_key,
    account_ref,
    blog_account_key,
    hashtag_key,
    profile_account,
    site_key,
    url_key,
)


def test_url_variants_meet():
    base = url_key("https://nigoh.wordpress.com/2013/10/12/social-networks/")
    for variant in [
        "http://nigoh.wordpress.com/2013/10/12/social-networks/",
        "https://NIGOH.wordpress.com/2013/10/12/social-networks/?utm_source=twitter&utm_medium=social",
        "https://www.nigoh.wordpress.com/2013/10/12/social-networks/#comment-12",
        "https://nigoh.wordpress.com/2013/10/12/social-networks?fbclid=abc",
        "https://nigoh.wordpress.com/2013/10/12/social-networks/amp/",
    ]:
        assert url_key(variant) == base, variant
    assert base == "nigoh.wordpress.com/2013/10/12/social-networks"


def test_url_key_keeps_meaningful_query():
    assert url_key("https://ex.tj/?p=12&utm_campaign=x") == "ex.tj?p=12"


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "file:///etc/passwd", "ftp://x/y", "", "not a url"])
def test_url_key_rejects_non_http(bad):
    with pytest.raises(ValueError):
        url_key(bad)


@given(st.from_regex(r"https?://[a-zA-Z0-9]{1,10}\.(com|tj|ru)(/[a-zA-Z0-9_\-]{0,8}){0,3}(\?[a-z]{1,4}=[0-9]{1,3})?", fullmatch=True))
def test_url_key_idempotent(url):
    k = url_key(url)
    assert url_key("https://" + k) == k


def test_account_keys():
    assert account_key("twitter", "@Rahmon_Fan") == "twitter:rahmon_fan"
    assert blog_account_key("Nigoh.WordPress.com", "Nigoh  Saidova") == "blog:nigoh.wordpress.com/nigoh saidova"
    assert blog_account_key("ozodi.tj") == "blog:ozodi.tj"
    assert hashtag_key("#Выборы2013") == "выборы2013"


def test_profile_urls():
    assert profile_account("https://twitter.com/SomeOne") == "twitter:someone"
    assert profile_account("https://x.com/SomeOne/status/123") == "twitter:someone"
    assert profile_account("https://t.me/ozodi_channel") == "telegram:ozodi_channel"
    assert profile_account("https://vk.com/id1234") == "vk:id1234"
    assert profile_account("https://mastodon.social/@bob") == "mastodon:bob@mastodon.social"
    assert profile_account("https://bsky.app/profile/a.bsky.social") == "bluesky:a.bsky.social"
    assert profile_account("https://twitter.com/search?q=x") is None
    assert profile_account("https://nigoh.wordpress.com/") is None


def test_account_ref_accepts_keys_and_urls():
    assert account_ref("twitter:Foo") == "twitter:foo"
    assert account_ref("https://twitter.com/Foo") == "twitter:foo"
    assert account_ref("https://nigoh.wordpress.com/") == "blog:nigoh.wordpress.com"
    assert account_ref("https://nigoh.wordpress.com/author/nigoh/") == "blog:nigoh.wordpress.com/nigoh"
    assert account_ref("blog:Nigoh.wordpress.com/Nigoh") == "blog:nigoh.wordpress.com/nigoh"
    with pytest.raises(ValueError):
        account_ref("nonsense")


def test_site_key_hosted_blogs():
    assert site_key("https://nigoh.wordpress.com/2013/x") == "nigoh.wordpress.com"
    assert site_key("https://news.ozodi.tj/a") == "ozodi.tj"
