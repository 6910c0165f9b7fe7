"""Canonical keys for accounts, posts, URLs, sites and hashtags.

* URLs: :func:`url_key` normalises with ``ural`` (lower-case host, ``www.`` and
  mobile subdomains dropped, tracking parameters such as ``utm_*``/``fbclid``
  stripped, fragments dropped, AMP variants folded, scheme dropped so http and
  https variants meet). The key is what joins a tweet's link to a blog post.
* Accounts: ``platform:handle``; handles are lower-cased on platforms that
  treat them case-insensitively. Blog authors are ``blog:<host>/<author>``, a
  blog without authors is ``blog:<host>``.
* :func:`account_ref` turns what an analyst types (a key or a profile URL) into
  an account key.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

from ural import get_domain_name, normalize_url

__all__ = [
    "url_key",
    "host_of",
    "site_key",
    "account_key",
    "blog_account_key",
    "hashtag_key",
    "post_key",
    "account_ref",
    "is_http_url",
    "profile_account",
]

_CASE_INSENSITIVE = {"twitter", "telegram", "vk", "mastodon", "bluesky", "ok", "facebook", "blog"}

# Path segments on social hosts that are not profiles.
_NOT_HANDLES = {
    "share", "intent", "home", "search", "hashtag", "i", "status", "statuses",
    "wall", "feed", "login", "s", "joinchat", "tags", "explore", "settings",
    "sharer", "sharer.php", "dialog", "groups", "pages", "profile.php", "watch",
}

_CASELESS_PATH_HOSTS = {
    "twitter.com", "x.com", "t.me", "telegram.me", "vk.com", "bsky.app", "ok.ru",
}

_TWITTER_HOSTS = {"twitter.com", "x.com", "mobile.twitter.com"}
_TELEGRAM_HOSTS = {"t.me", "telegram.me", "telegram.dog"}
_VK_HOSTS = {"vk.com", "vkontakte.ru", "m.vk.com"}
_FB_HOSTS = {"facebook.com", "fb.com"}
_OK_HOSTS = {"ok.ru", "odnoklassniki.ru"}


def is_http_url(value: str | None) -> bool:
    if not value or not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def url_key(url: str) -> str:
    """Canonical key of a web URL (scheme-less), e.g. ``nigoh.wordpress.com/2013/10/12/post``.

    Raises ValueError for anything that is not an http(s) URL.
    """
    if not is_http_url(url):
        raise ValueError(f"not an http(s) URL: {url[:200]!r}")
    key = normalize_url(url.strip(), strip_fragment=True)
    host, sep, rest = key.partition("/")
    host = host.lower()
    if host in _CASELESS_PATH_HOSTS:
        # handles in these paths are case-insensitive: t.me/AsiaPlus/1 is t.me/asiaplus/1
        path, qsep, query = rest.partition("?")
        rest = path.lower() + qsep + query
    return host + sep + rest


def host_of(url: str) -> str:
    """Lower-cased host without ``www.``/``m.`` of an http(s) URL."""
    host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
    return host


def site_key(url: str) -> str:
    """The Site a URL belongs to: the blog host for hosted blogs, else the registered domain."""
    host = host_of(url)
    domain = get_domain_name(url) or host
    # Hosted-blog platforms give every blog its own subdomain: that subdomain is the site.
    if host != domain and domain in _BLOG_HOSTING:
        return host
    return domain


_BLOG_HOSTING = {
    "wordpress.com", "blogspot.com", "livejournal.com", "medium.com", "tumblr.com",
    "substack.com", "blogger.com", "liveinternet.ru", "ucoz.ru", "narod.ru", "dreamwidth.org",
}


def _norm_handle(platform: str, handle: str) -> str:
    handle = unicodedata.normalize("NFC", handle.strip())
    handle = handle.lstrip("@") if platform != "mastodon" else handle.lstrip("@")
    return handle.lower() if platform in _CASE_INSENSITIVE else handle


def account_key(platform: str, handle: str) -> str:
    """``platform:handle`` with the platform's case rules applied."""
    platform = platform.strip().lower()
    if not platform or not handle or not str(handle).strip():
        raise ValueError("account key needs a platform and a handle")
    return f"{platform}:{_norm_handle(platform, str(handle))}"


def _clean_name(name: str) -> str:
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    return name.replace("/", "\u2215")  # keep '/' as the host/author separator


def blog_account_key(host: str, author: str | None = None) -> str:
    """``blog:<host>/<author>`` or ``blog:<host>`` when the blog names no author."""
    host = host.strip().lower()
    if not host:
        raise ValueError("blog account key needs a host")
    if author and author.strip():
        return f"blog:{host}/{_clean_name(author).lower()}"
    return f"blog:{host}"


def hashtag_key(tag: str) -> str:
    tag = unicodedata.normalize("NFC", tag.strip().lstrip("#＃"))
    return tag.casefold()


def post_key(platform: str, ident: str | int) -> str:
    """Key of a post that has no canonical URL: ``platform:id``."""
    return f"{platform.strip().lower()}:{ident}"


def profile_account(url: str) -> str | None:
    """Account key a social profile URL points at, or None if it is no profile.

    ``https://twitter.com/Foo`` -> ``twitter:foo``; ``https://t.me/chan`` ->
    ``telegram:chan``; ``https://vk.com/id1`` -> ``vk:id1``;
    ``https://mastodon.social/@bob`` -> ``mastodon:bob@mastodon.social``;
    ``https://bsky.app/profile/a.bsky.social`` -> ``bluesky:a.bsky.social``.
    """
    if not is_http_url(url):
        return None
    parts = urlsplit(url.strip())
    host = host_of(url)
    segs = [unquote(s) for s in parts.path.split("/") if s]
    if host in _TWITTER_HOSTS | _TELEGRAM_HOSTS | _VK_HOSTS | _FB_HOSTS | _OK_HOSTS:
        if not segs or segs[0].lower() in _NOT_HANDLES:
            return None
        if host in _TWITTER_HOSTS and len(segs) > 1 and segs[1] == "status":
            return account_key("twitter", segs[0])
        if len(segs) > 1 and host not in _TELEGRAM_HOSTS:
            return None
        platform = (
            "twitter" if host in _TWITTER_HOSTS
            else "telegram" if host in _TELEGRAM_HOSTS
            else "vk" if host in _VK_HOSTS
            else "facebook" if host in _FB_HOSTS
            else "ok"
        )
        if platform == "telegram" and segs[0] == "s" and len(segs) > 1:
            return account_key(platform, segs[1])
        if not re.fullmatch(r"[\w.\-]+", segs[0]):
            return None
        return account_key(platform, segs[0])
    if host == "bsky.app" and len(segs) >= 2 and segs[0] == "profile":
        return account_key("bluesky", segs[1])
    if len(segs) == 1 and segs[0].startswith("@") and len(segs[0]) > 1:
        return f"mastodon:{segs[0][1:].lower()}@{host}"
    return None


def account_ref(ref: str) -> str:
    """Account key for what a user typed: a key (``twitter:Foo``) or a profile/blog URL."""
    ref = ref.strip()
    if not ref:
        raise ValueError("empty account reference")
    if is_http_url(ref):
        prof = profile_account(ref)
        if prof:
            return prof
        parts = urlsplit(ref)
        segs = [unquote(s) for s in parts.path.split("/") if s]
        host = host_of(ref)
        if len(segs) >= 2 and segs[0].lower() == "author":
            return blog_account_key(host, segs[1])
        return blog_account_key(host)
    platform, sep, handle = ref.partition(":")
    if not sep or not handle:
        raise ValueError(
            f"{ref!r} is neither an account key like 'twitter:handle' nor an http(s) profile URL"
        )
    if platform.lower() == "blog":
        host, _, author = handle.partition("/")
        return blog_account_key(host, author or None)
    return account_key(platform, handle)
