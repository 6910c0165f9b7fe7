"""Short links (t.co, bit.ly, vk.cc, clck.ru, …): recognising and expanding them.

A share of a blog post often carries a short link, and a short link keys a
different ``Url`` than the post it points to, so the share would not reach
the post. Collectors use the expansion their source already gives first
(twarc2's ``expanded_url``, Telegram's text links); :func:`resolve_short`
is for the rest. It follows the redirect chain with ``HEAD`` requests through
the polite :class:`~netmap.collect.http.Fetcher` (robots.txt, rate limits,
address checks, cache), never downloads a body, and stops at the first URL
that is not itself a short link, so the destination site is never contacted.

Expansion costs one request per hop, so it is opt-in: a collector calls
:func:`resolver_for` with its options, which resolves only when
``options.extra["resolve_short"]`` is true (``netmap collect --resolve-short``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from urllib.parse import urlsplit

from .base import CollectOptions
from .http import Fetcher, FetchError

__all__ = ["SHORTENERS", "is_short", "resolve_short", "resolver_for"]

SHORTENERS: frozenset[str] = frozenset({
    # general-purpose
    "bit.ly", "bitly.com", "j.mp", "bit.do", "goo.gl", "ow.ly", "tinyurl.com", "tiny.cc",
    "is.gd", "v.gd", "buff.ly", "dlvr.it", "ift.tt", "rebrand.ly", "cutt.ly", "shorturl.at",
    "rb.gy", "t.ly", "s.id", "soo.gd", "shorte.st", "adf.ly", "po.st", "su.pr", "x.co",
    "lnkd.in", "trib.al", "wp.me", "tr.im", "snip.ly", "hubs.ly", "amzn.to",
    # platforms' own
    "t.co", "fb.me", "on.fb.me", "vk.cc", "ok.me", "youtu.be",
    # Russian-language services
    "clck.ru", "qps.ru", "u.to", "goo.su", "surl.li", "to.click",
    # news outlets' own shorteners
    "nyti.ms", "wapo.st", "bbc.in", "reut.rs", "bloom.bg", "econ.st",
})


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def is_short(url: str, hosts: Collection[str] | None = None) -> bool:
    """Whether ``url`` is a short link: http(s) on a shortener's host, with a code in its path.

    Parameters
    ----------
    url : str
        Any string.
    hosts : collection of str, optional
        Extra shortener hosts (e.g. a campaign's own ``go.example.org``).

    Examples
    --------
    >>> is_short("https://t.co/AbC123"), is_short("https://twitter.com/a/status/1")
    (True, False)
    """
    try:
        parts = urlsplit(url.strip())
    except (ValueError, AttributeError):
        return False
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return False
    if not parts.path.strip("/"):
        return False  # the shortener's home page is no short link
    host = _host(url)
    return host in SHORTENERS or bool(hosts and host in hosts)


def resolve_short(url: str, fetcher: Fetcher, *, max_hops: int = 10,
                  hosts: Collection[str] | None = None) -> str:
    """The URL a short link leads to, or ``url`` itself when it is no short link or fails.

    Redirects are followed with ``HEAD`` (``GET`` without reading the body
    when ``HEAD`` is refused) while the current URL is a short link, at most
    ``max_hops`` hops, only to http(s) targets. A failure (dead link, loop,
    robots.txt, too many hops) returns ``url`` unchanged; the reason is in
    ``fetcher.failures``.

    Examples
    --------
    >>> resolve_short("https://bit.ly/3xyz", Fetcher())   # doctest: +SKIP
    'https://pamirnotes.wordpress.com/2013/10/12/socseti-debaty/'
    """
    if not is_short(url, hosts):
        return url
    try:
        return fetcher.resolve_redirects(url, max_hops=max_hops,
                                         follow=lambda u: is_short(u, hosts))
    except FetchError:
        return url


def resolver_for(options: CollectOptions, *, limit: int = 100_000) -> Callable[[str], str]:
    """A ``url -> url`` function for a collector: expands short links when the run asks for it.

    Identity unless ``options.extra["resolve_short"]`` is true; then each
    distinct short link is resolved once per run (up to ``limit`` of them;
    past that, short links are kept as they are).
    """
    if not options.extra.get("resolve_short"):
        return _identity
    fetcher = options.fetcher or Fetcher(allow_private=options.allow_private)
    options.fetcher = fetcher  # share the fetcher (and its robots/rate state) with the run
    hosts = options.extra.get("short_hosts") or None
    memo: dict[str, str] = {}

    def resolve(url: str) -> str:
        if not is_short(url, hosts):
            return url
        hit = memo.get(url)
        if hit is None:
            if len(memo) >= limit:
                return url
            hit = memo[url] = resolve_short(url, fetcher, hosts=hosts)
        return hit

    return resolve


def _identity(url: str) -> str:
    return url
