#!/usr/bin/env python3
"""Regenerate the invented "Tajikistan 2013" example dataset for netmap.

Everything here is made up: handles, names, blog hosts, posts, comments and
tweets.  The *shape* follows the 2013 Tajik presidential election debate
(vote on 6 November 2013) and the files follow the real source formats:
WordPress RSS 2.0 (+ comment feed), LiveJournal and Blogger Atom 1.0, a
windows-1251 DataLife-Engine-style RSS feed, twarc2 API v2 response pages and
twarc2 "flatten" output.

Run:  python3 examples/tajikistan-2013/make_dataset.py
The output is deterministic (random.Random(2013)); the script validates what
it wrote and prints a summary.
"""

from __future__ import annotations

import csv
import io
import json
import re
import random
import string
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
RNG = random.Random(2013)
UTC = timezone.utc
TJT = timezone(timedelta(hours=5))  # Dushanbe time, UTC+5
END = datetime(2013, 11, 19, 20, 0, tzinfo=UTC)
TWITTER_EPOCH_MS = 1288834974657

# --------------------------------------------------------------------------
# Accounts
# --------------------------------------------------------------------------

# Twitter accounts: handle, display name, group, created, followers,
# description, profile url (or ""), location
TWITTER = [
    # ---- supporters ----
    ("VatandorTJ", "Ватандор-инфо", "supporter", "2011-05-17", 4210,
     "Новости и аналитика. Мир, единство, созидание. Официальный аккаунт портала vatandor-info.tj",
     "http://vatandor-info.tj/", "Душанбе"),
    ("obod_vatan", "Ободон", "supporter", "2012-02-03", 388,
     "Ватан обод бод! Люблю Душанбе и свою семью.", "", "Душанбе"),
    ("vahdat_tj", "Vahdat", "supporter", "2012-06-27", 521,
     "Единство — наша сила. Поддерживаю курс Лидера нации.", "", "Tajikistan"),
    ("sarbaland_tj", "Сарбаланд", "supporter", "2011-09-09", 640,
     "Горжусь страной. Пишу по-русски ва бо забони тоҷикӣ.", "", "Душанбе"),
    ("DushanbePatriot", "Dushanbe Patriot", "supporter", "2013-03-21", 212,
     "Stability, peace, development. Dushanbe born and raised.", "", "Dushanbe"),
    ("sulh_va_vahdat", "Сулҳ ва Ваҳдат", "supporter", "2013-06-27", 305,
     "27 июня 1997 года — день, который нельзя забыть.", "", ""),
    ("nuri_tojik", "Нури тоҷик", "supporter", "2012-09-01", 274,
     "Студент, волонтёр молодёжного движения.", "", "Душанбе"),
    ("bahor_2013", "Bahor", "supporter", "2013-01-15", 97,
     "Весна начинается с порядка в доме.", "", ""),
    ("kuhiston_tj", "Кӯҳистон", "supporter", "2010-11-30", 733,
     "Горы, чай и политика без истерик.", "", "Варзоб"),
    ("somon_tj", "Somon", "supporter", "2011-03-08", 1180,
     "Экономист. Сомони крепнет — страна растёт.", "", "Dushanbe"),
    ("zafar_obod", "Zafar", "supporter", "2012-04-12", 156,
     "Khujand. Football, family, homeland.", "", "Khujand"),
    ("mehr_vatan", "Меҳри Ватан", "supporter", "2013-08-30", 64,
     "Любовь к родине — не лозунг.", "", ""),
    # ---- critics ----
    ("ozod_sado", "Садои Озод", "critic", "2010-02-11", 6120,
     "Журналист-фрилансер. Свобода слова и интернет в Центральной Азии. Мнения личные.",
     "https://www.facebook.com/sadoi.ozod.notes", "Душанбе / Прага"),
    ("TajNet_Watch", "TajNet Watch", "critic", "2012-07-19", 1840,
     "Мониторинг блокировок и свободы интернета в Таджикистане. Internet freedom monitor.",
     "", "Tajikistan"),
    ("fikri_ozod", "Фикри озод", "critic", "2011-04-22", 902,
     "Свободная мысль. Юрист.", "", "Душанбе"),
    ("pamir_voice", "Pamir Voice", "critic", "2011-08-14", 1320,
     "Хорог — Душанбе — Москва. Голос с гор.", "", "Хорог"),
    ("haqiqat_tj", "Ҳақиқат", "critic", "2012-03-03", 415,
     "Правда неудобна. Пишу о том, о чём молчит ТВ.", "", ""),
    ("shahrvand_tj", "Шаҳрванд", "critic", "2013-02-10", 233,
     "Гражданин, а не подданный.", "", "Душанбе"),
    ("qonun_tj", "Qonun", "critic", "2010-06-01", 688,
     "Конституция для всех. Правозащитник.", "", "Dushanbe"),
    ("emigrant_msk", "Мигрант из Москвы", "critic", "2012-11-05", 540,
     "Работаю в Москве, сердце в Кулябе. О жизни мигрантов.", "", "Москва"),
    ("CentralAsiaObs", "Central Asia Observer", "critic", "2009-10-02", 3050,
     "Researcher. Elections, media and authoritarianism in Central Asia. Views my own.",
     "", "Berlin"),
    ("steppe_analyst", "Steppe Analyst", "critic", "2011-01-24", 1475,
     "Political analysis, Central Asia. EN/RU.", "", ""),
    ("ozodi_fikr_tj", "Ozodi Fikr", "critic", "2012-05-03", 2380,
     "Независимое интернет-издание. Новости, мнения, расследования.",
     "https://ozodi-fikr.tj/", "Душанбе"),
    ("digital_dushanbe", "Digital Dushanbe", "critic", "2012-10-10", 610,
     "IT, соцсети, цензура. Айтишник.", "", "Душанбе"),
    ("rosti_gap", "Rosti gap", "critic", "2013-05-05", 188,
     "Рост гап — говорю как есть.", "", ""),
    ("navruz_k", "Navruz K.", "critic", "2011-03-21", 347,
     "Преподаватель. Верю в честные выборы — когда-нибудь.", "", "Худжанд"),
    # ---- boycott ----
    ("tahrim_tj", "Таҳрим | Бойкот-2013", "boycott", "2013-09-18", 1960,
     "Не участвуем в имитации. Блог: tahrim2013.blogspot.com",
     "http://tahrim2013.blogspot.com/", "Душанбе"),
    ("boykot_2013", "Бойкот-2013", "boycott", "2013-10-02", 410,
     "6 ноября — остаёмся дома.", "", ""),
    ("imitatsiya_tj", "Имитация", "boycott", "2013-10-04", 357,
     "Выборы без выбора — это имитация.", "", ""),
    ("ne_golosuy", "Не голосуй", "boycott", "2013-09-25", 298,
     "Явка — их единственная цель. Не давайте её.", "", ""),
    ("khomush_tj", "Хомӯш", "boycott", "2012-12-12", 176,
     "Молчание — тоже ответ.", "", ""),
    ("sado_az_moskva", "Садо аз Маскав", "boycott", "2013-04-14", 822,
     "Голос таджикских мигрантов в России. За бойкот.", "", "Москва"),
    ("bebovar_tj", "Бебовар", "boycott", "2012-08-08", 143,
     "Не верю. Не голосую.", "", ""),
    ("pustye_urny", "Пустые урны", "boycott", "2013-10-20", 121,
     "Пустые участки — лучший ответ.", "", ""),
    ("qadam_tj", "Қадам", "boycott", "2013-07-07", 89,
     "Шаг назад от урны — шаг к правде.", "", ""),
    # ---- neutral ----
    ("nigoh_tj", "Nigoh", "neutral", "2011-02-14", 2240,
     "Блогер. Смотрю, как интернет меняет разговор об обществе. Блог: nigoh.wordpress.com",
     "https://nigoh.wordpress.com/", "Душанбе"),
    ("tj_newsfeed", "TJ Newsfeed", "neutral", "2012-01-09", 3310,
     "Лента новостей о Таджикистане. RT ≠ endorsement.", "", "Tajikistan"),
    ("CAElectionWatch", "CA Election Watch", "neutral", "2012-09-17", 2760,
     "Tracking elections across Central Asia. Non-partisan. EN/RU.", "", ""),
    ("SilkRoad_Reporter", "Silk Road Reporter", "neutral", "2010-05-26", 1905,
     "Reporter covering Central Asia. EN/RU.", "", "Almaty"),
    ("media_lab_tj", "Медиа-лаб", "neutral", "2012-12-01", 820,
     "Исследуем медиа и соцсети в Таджикистане.", "", "Душанбе"),
    ("student_rtsu", "Студент РТСУ", "neutral", "2013-02-01", 132,
     "Международные отношения. Спорю вежливо.", "", "Душанбе"),
    ("Khujand_Daily", "Khujand Daily", "neutral", "2011-07-01", 1240,
     "Новости Худжанда и Согда.", "", "Khujand"),
    ("itdushanbe", "IT Dushanbe", "neutral", "2012-03-15", 960,
     "Айти-сообщество Душанбе.", "", "Душанбе"),
    ("malika_reads", "Malika", "neutral", "2012-10-28", 301,
     "Читаю всё, верю половине.", "", ""),
]

GROUP = {h.lower(): g for h, _, g, *_ in TWITTER}
HUBS = {"supporter": "VatandorTJ", "critic": "ozod_sado", "boycott": "tahrim_tj"}

# Blog side ------------------------------------------------------------------
NIGOH_HOST = "nigoh.wordpress.com"
NIGOH = "https://" + NIGOH_HOST
NIGOH_AUTHOR = "Nigoh"
LJ_HOST = "dushanbe-notes.livejournal.com"
LJ = "https://" + LJ_HOST
LJ_AUTHOR = "dushanbe_notes"
PG_HOST = "vatandor-info.tj"
PG = "http://" + PG_HOST
BOY_HOST = "tahrim2013.blogspot.com"
BOY = "http://" + BOY_HOST
BOY_AUTHOR = "Bedor"

# nigoh.wordpress.com posts
N0 = NIGOH + "/2013/10/14/odnoklassniki-kak-ploshchad/"
N1 = NIGOH + "/2013/10/28/sotsseti-vybory-2013/"          # the main post
N2 = NIGOH + "/2013/11/02/kto-takie-boykotchiki/"
N3 = NIGOH + "/2013/11/08/posle-6-noyabrya/"
# dushanbe-notes.livejournal.com
LJ1 = LJ + "/48213.html"
LJ2 = LJ + "/48577.html"
LJ3 = LJ + "/49102.html"
# vatandor-info.tj (pro-government outlet, no author on items)
PG1 = PG + "/news/politics/1842-itogi-semiletki.html"
PG2 = PG + "/news/politics/1867-boykot-iz-za-granicy.html"
PG3 = PG + "/news/politics/1891-vybory-proshli-spokoyno.html"
# tahrim2013.blogspot.com (boycott blog)
B1 = BOY + "/2013/10/blog-post.html"
B2 = BOY + "/2013/11/blog-post.html"
B3 = BOY + "/2013/11/blog-post_7.html"
# news sites (not accounts)
NEWS_DEBATES = "https://ozodi-fikr.tj/ru/news/2013/10/27/debaty-v-efire-otmeneny.html"
NEWS_OBSERVERS = "https://ozodi-fikr.tj/ru/news/2013/11/07/nablyudateli-vybora-ne-bylo.html"
NEWS_CEC = "http://akhbori-ruz.tj/ru/2013/10/26/cik-kandidaty/"
NEWS_RESULTS = "http://akhbori-ruz.tj/ru/2013/11/07/predvaritelnye-itogi/"
NEWS_BLOCK = "https://ozodi-fikr.tj/ru/news/2013/11/04/facebook-snova-nedostupen.html"

# Blog commenters on nigoh.wordpress.com (name as in dc:creator -> group)
COMMENTERS = {
    "Sitora D.": "neutral",
    "Rustam K.": "supporter",
    "Manizha": "critic",
    "dushanbe_notes": "neutral",   # the LiveJournal blogger, links his blog
    "Bedor": "boycott",            # the boycott blogger, links her blog
    "Nigoh": "neutral",            # the post author answering
    "Farid_77": "boycott",
    "Zarrina": "supporter",
    "Bakhtiyor": "critic",
    "Mehrangez": "neutral",
    "Daler": "supporter",
}


def tw_key(handle: str) -> str:
    return "twitter:" + handle.lower()


# --------------------------------------------------------------------------
# Twitter users
# --------------------------------------------------------------------------

def rand_token(n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(RNG.choice(alphabet) for _ in range(n))


def tco() -> str:
    return "http://t.co/" + rand_token(10)


def display_url(url: str) -> str:
    s = re.sub(r"^https?://(www\.)?", "", url)
    if s.endswith("/") and s.count("/") == 1:
        s = s[:-1]
    return s if len(s) <= 26 else s[:26] + "\u2026"


def user_id_for(created: str) -> str:
    year = int(created[:4])
    lo, hi = {2009: (20_000_000, 90_000_000), 2010: (100_000_000, 230_000_000),
              2011: (240_000_000, 450_000_000), 2012: (460_000_000, 1_000_000_000),
              2013: (1_050_000_000, 2_100_000_000)}[year]
    return str(RNG.randint(lo, hi))


USERS: dict[str, dict] = {}        # lower handle -> user object
USER_BY_ID: dict[str, dict] = {}
for handle, name, group, created, followers, desc, url, loc in TWITTER:
    created_dt = datetime.fromisoformat(created).replace(
        hour=RNG.randint(0, 23), minute=RNG.randint(0, 59), second=RNG.randint(0, 59), tzinfo=UTC)
    u = {
        "id": user_id_for(created),
        "name": name,
        "username": handle,
        "created_at": created_dt.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "description": desc,
        "url": "",
        "public_metrics": {
            "followers_count": followers,
            "following_count": RNG.randint(40, 900),
            "tweet_count": RNG.randint(300, 25000),
            "listed_count": max(0, followers // RNG.randint(40, 120)),
        },
    }
    if loc:
        u["location"] = loc
    if url:
        short = tco()
        u["url"] = short
        u["entities"] = {"url": {"urls": [{
            "start": 0, "end": len(short), "url": short,
            "expanded_url": url, "display_url": display_url(url)}]}}
    USERS[handle.lower()] = u
    USER_BY_ID[u["id"]] = u

# --------------------------------------------------------------------------
# Tweets
# --------------------------------------------------------------------------

TWEETS: dict[str, dict] = {}      # id -> tweet object (API v2 shape)
META: dict[str, dict] = {}        # id -> bookkeeping (dt, kind, handle, links)
NAMED: dict[str, str] = {}        # name -> id
TAJIK_LETTERS = re.compile("[ғӣқҳҷӯҒӢҚҲҶӮ]")
MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{1,15})")
HASHTAG_RE = re.compile(r"(?<![\w&/])#(\w+)")


def dt(s: str) -> datetime:
    """'10-29 07:42' (UTC) -> datetime with random seconds."""
    d = datetime.strptime("2013-" + s, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    return d + timedelta(seconds=RNG.randint(0, 59))


def snowflake(when: datetime) -> str:
    ms = int(when.timestamp() * 1000) + RNG.randint(0, 999)
    return str(((ms - TWITTER_EPOCH_MS) << 22) | RNG.getrandbits(22))


def iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def guess_lang(text: str) -> str:
    body = HASHTAG_RE.sub("", MENTION_RE.sub("", text))
    body = re.sub(r"http://t\.co/\w+", "", body)
    if TAJIK_LETTERS.search(body):
        return "und"          # Twitter has no Tajik language label
    if re.search("[А-Яа-яЁё]", body):
        return "ru"
    return "en"


def entities_for(text: str, urls: list[tuple[str, str]]) -> dict:
    ent: dict = {}
    tags = [{"start": m.start(), "end": m.end(), "tag": m.group(1)}
            for m in HASHTAG_RE.finditer(text)]
    if tags:
        ent["hashtags"] = tags
    mentions = []
    for m in MENTION_RE.finditer(text):
        u = USERS[m.group(1).lower()]          # every mention is a known user
        mentions.append({"start": m.start(), "end": m.end(),
                         "username": u["username"], "id": u["id"]})
    if mentions:
        ent["mentions"] = mentions
    if urls:
        items = []
        for short, expanded in urls:
            s = text.index(short)
            items.append({"start": s, "end": s + len(short), "url": short,
                          "expanded_url": expanded, "display_url": display_url(expanded)})
        ent["urls"] = items
    return ent


def add_tweet(handle: str, when: datetime, text: str, links=(), *, name=None,
              reply_to=None, quote=None, lang=None, kind="original") -> str:
    """Add an original, reply or quote tweet. `{L}` in text = next link,
    `{Q}` = permalink of the quoted tweet."""
    author = USERS[handle.lower()]
    urls = []
    for link in links:
        short = tco()
        text = text.replace("{L}", short, 1)
        urls.append((short, link))
    refs = []
    if quote:
        q = TWEETS[NAMED.get(quote, quote)]
        qu = USER_BY_ID[q["author_id"]]
        short = tco()
        text = text.replace("{Q}", short, 1)
        urls.append((short, "https://twitter.com/%s/status/%s" % (qu["username"], q["id"])))
        refs.append({"type": "quoted", "id": q["id"]})
        kind = "quote"
    assert "{L}" not in text and "{Q}" not in text, text
    assert len(text) <= 140, (len(text), text)
    tid = snowflake(when)
    tweet = {
        "id": tid,
        "text": text,
        "author_id": author["id"],
        "created_at": iso(when),
        "conversation_id": tid,
        "lang": lang or guess_lang(text),
        "edit_history_tweet_ids": [tid],
    }
    if reply_to:
        parent = TWEETS[NAMED.get(reply_to, reply_to)]
        tweet["conversation_id"] = parent["conversation_id"]
        tweet["in_reply_to_user_id"] = parent["author_id"]
        refs.append({"type": "replied_to", "id": parent["id"]})
        kind = "reply"
        assert when > META[parent["id"]]["dt"]
    if refs:
        tweet["referenced_tweets"] = refs
    ent = entities_for(text, urls)
    if ent:
        tweet["entities"] = ent
    TWEETS[tid] = tweet
    META[tid] = {"dt": when, "kind": kind, "handle": handle.lower(),
                 "links": [u for _, u in urls]}
    if name:
        NAMED[name] = tid
    return tid


def add_retweet(handle: str, orig_ref: str, when: datetime) -> str | None:
    orig = TWEETS[NAMED.get(orig_ref, orig_ref)]
    ou = USER_BY_ID[orig["author_id"]]
    if when <= META[orig["id"]]["dt"] or when > END:
        return None
    if any(m["kind"] == "retweet" and m["handle"] == handle.lower() and m["of"] == orig["id"]
           for m in META.values()):
        return None
    if handle.lower() == ou["username"].lower():
        return None
    prefix = "RT @%s: " % ou["username"]
    text = prefix + orig["text"]
    if len(text) > 140:
        text = text[:139] + "\u2026"
    tid = snowflake(when)
    ent: dict = {"mentions": [{"start": 3, "end": 4 + len(ou["username"]),
                               "username": ou["username"], "id": ou["id"]}]}
    shift = len(prefix)
    for k in ("hashtags", "mentions", "urls"):
        for e in orig.get("entities", {}).get(k, []):
            if e["end"] + shift <= len(text):
                ent.setdefault(k, []).append(dict(e, start=e["start"] + shift, end=e["end"] + shift))
    tweet = {
        "id": tid,
        "text": text,
        "author_id": USERS[handle.lower()]["id"],
        "created_at": iso(when),
        "conversation_id": tid,
        "lang": orig["lang"],
        "edit_history_tweet_ids": [tid],
        "referenced_tweets": [{"type": "retweeted", "id": orig["id"]}],
        "entities": {k: ent[k] for k in ("hashtags", "mentions", "urls") if k in ent},
    }
    TWEETS[tid] = tweet
    META[tid] = {"dt": when, "kind": "retweet", "handle": handle.lower(), "of": orig["id"],
                 "links": [e["expanded_url"] for e in orig.get("entities", {}).get("urls", [])]}
    return tid


def later(ref: str, lo_min: float = 4, hi_min: float = 26 * 60) -> datetime:
    base = META[NAMED.get(ref, ref)]["dt"]
    return base + timedelta(minutes=RNG.uniform(lo_min, hi_min))


# ---- original tweets -------------------------------------------------------
O = add_tweet
UTM_TW = "?utm_source=twitter&utm_medium=social&utm_campaign=vybory2013"

# supporters
O("VatandorTJ", dt("10-22 10:05"), "Итоги семилетки: новые школы, дороги, электростанции. Подробный обзор {L} #Таджикистан #выборы2013",
  [PG1 + "?utm_source=twitter&utm_medium=social"], name="pg_itogi")
O("VatandorTJ", dt("10-25 06:30"), "ЦИК зарегистрировал кандидатов в президенты. Голосование — 6 ноября. #выборы2013", name="pg_cec")
O("VatandorTJ", dt("11-01 09:12"), "Бойкот из-за границы: кому выгодно, чтобы таджики не голосовали? {L} #бойкот #выборы2013",
  [PG2], name="pg_boykot")
O("VatandorTJ", dt("11-04 12:40"), "Мир и единство не падают с неба. Их строили двадцать лет. #Таджикистан", name="pg_mir")
O("VatandorTJ", dt("11-06 01:30"), "Участки открылись. Ба интихобот биёед! Овози шумо — ояндаи Ватан. #выборы2013 #Тоҷикистон",
  lang="und", name="pg_open")
O("VatandorTJ", dt("11-07 08:20"), "Выборы прошли спокойно и организованно — наблюдатели СНГ. {L} #выборы2013",
  [PG3 + "?utm_source=twitter"], name="pg_calm")
O("obod_vatan", dt("10-26 15:02"), "Кто помнит 1992-й, тот не будет играть в «бойкоты». #выборы2013")
O("obod_vatan", dt("11-05 16:45"), "Ватан обод бод! Фардо ҳама ба интихобот. #Тоҷикистон", name="obod_fardo")
O("vahdat_tj", dt("10-23 07:10"), "Лидер нации Эмомали Рахмон — гарант мира. Это не лозунг, это опыт страны. #выборы2013", name="vahdat_lider")
O("vahdat_tj", dt("10-30 11:25"), "Читайте {L} — цифры, а не крики из соцсетей. #Таджикистан", [PG1], name="vahdat_read")
O("sarbaland_tj", dt("10-27 17:30"), "Интернет-крикуны не представляют народ. Народ придёт на участки. #выборы2013", name="sarb_krik")
O("sarbaland_tj", dt("11-05 05:15"), "Сулҳ, ваҳдат, бунёдкорӣ. Ман ба интихобот меравам! #Тоҷикистон", name="sarb_tj")
O("DushanbePatriot", dt("10-24 13:00"), "Tajikistan chooses stability. Those who remember the 1990s know why. #Tajikistan #election", name="dp_stab")
O("DushanbePatriot", dt("11-03 14:20"), "Boycott calls come from people who don't live here. We do. #Tajikistan", name="dp_boy")
O("sulh_va_vahdat", dt("10-29 04:50"), "27 июня 1997-го мы выбрали мир. 6 ноября подтвердим этот выбор. #выборы2013", name="sulh_27")
O("nuri_tojik", dt("11-02 10:10"), "Раздавали с ребятами листовки «Все на выборы» у Шохмансура. Люди настроены хорошо. #выборы2013", name="nuri_list")
O("nuri_tojik", dt("11-06 04:05"), "Проголосовал! С утра очередь, бабушки с внуками. #выборы2013", name="nuri_voted")
O("bahor_2013", dt("10-29 16:40"), "Соцсети — это сто человек, которые ругают всё подряд. Страна — восемь миллионов. #выборы2013", name="bahor_100")
O("kuhiston_tj", dt("10-31 09:35"), "Спокойно, без истерик: экономика растёт, Рогун строится. Что предлагают «критики»? #Таджикистан", name="kuh_rogun")
O("somon_tj", dt("11-01 12:00"), "Курс сомони стабилен, переводы растут. Стабильность — это не скучно. #выборы2013", name="somon_kurs")
O("zafar_obod", dt("11-06 05:45"), "Khujand is voting today. Calm, sunny, families at polling stations. #Tajikistan #election", name="zafar_vote")
O("mehr_vatan", dt("11-02 18:20"), "Кто называет выборы «имитацией», тот просто не ходил на участок. #выборы2013", name="mehr_imit")
O("mehr_vatan", dt("11-07 07:00"), "Поздравляем! Мир и единство выбраны снова. #Таджикистан", name="mehr_congr")

# critics
O("ozod_sado", dt("10-20 08:15"), "Единственный реальный альтернативный кандидат не смог собрать подписи. Совпадение? #выборы2013", name="os_cand")
O("ozod_sado", dt("10-29 07:42"), "Власти боятся интернета: на ТВ дебатов нет, а в Одноклассниках, ВК и Фейсбуке спорят о выборах. {L} #Таджикистан",
  [N1 + UTM_TW], name="KEY")
O("ozod_sado", dt("11-03 11:05"), "Снова перебои с Фейсбуком в Душанбе. За три дня до выборов. #Tajikistan #выборы2013", name="os_fb")
O("ozod_sado", dt("11-06 09:30"), "Явка «под 90%» уже к обеду. Интересно, кого считают. #выборы2013", name="os_turnout")
O("ozod_sado", dt("11-09 10:00"), "Выборы прошли, разговор в сети остался. Это главное, что изменилось в 2013-м. #Таджикистан", name="os_after")
O("TajNet_Watch", dt("11-04 06:30"), "4 ноября: в Душанбе недоступны ряд сайтов и страницы в Фейсбуке {L} Сообщайте о блокировках. #Tajikistan",
  [NEWS_BLOCK], name="tnw_block")
O("TajNet_Watch", dt("10-18 12:00"), "Internet freedom in #Tajikistan before the vote: throttling, blocked pages, pressure on group admins.", name="tnw_en")
O("fikri_ozod", dt("10-26 10:45"), "Шесть кандидатов, из которых пятерых никто не видел ни в одном эфире. #выборы2013", name="fo_six")
O("fikri_ozod", dt("11-01 15:30"), "Закон дебаты разрешает. Закон дебаты не запрещает. Дебатов нет. #выборы2013", name="fo_law")
O("pamir_voice", dt("10-30 14:10"), "Из Хорога: о выборах говорят только в ВК и на кухнях. #выборы2013 #Таджикистан", name="pv_khorog")
O("pamir_voice", dt("11-04 17:50"), "Не согласен с бойкотом, но понимаю, откуда он: когда выбора нет, люди ищут хоть какой-то жест.", name="pv_boy")
O("haqiqat_tj", dt("10-28 08:00"), "На ТВ один кандидат, в газетах один кандидат, на билбордах один кандидат. #выборы2013", name="hq_one")
O("shahrvand_tj", dt("10-31 19:05"), "Я гражданин, а не массовка. Имитация выборов — это унижение. #выборы2013", name="sh_mass")
O("qonun_tj", dt("10-24 09:30"), "Конституция гарантирует право избирать и быть избранным. Со вторым в этом году сложно. #выборы2013", name="qonun_const")
O("emigrant_msk", dt("10-27 20:15"), "В Москве сотни тысяч таджиков, а участков — единицы. Кто-то хочет, чтобы мы голосовали? #выборы2013", name="em_msk")
O("CentralAsiaObs", dt("10-21 15:00"), "The #Tajikistan vote is a foregone conclusion; the interesting story is the online debate around it.", name="cao_fore")
O("CentralAsiaObs", dt("11-02 13:40"), "No televised debates, one dominant candidate, sporadic blocking. A textbook managed election. #Tajikistan", name="cao_managed")
O("steppe_analyst", dt("10-30 18:00"), "Russian-language blogs in #Tajikistan are doing what state TV won't: arguing about the election.", name="sa_blogs")
O("ozodi_fikr_tj", dt("10-27 06:10"), "Теледебаты кандидатов отменены без объяснений {L} #выборы2013",
  [NEWS_DEBATES + "?utm_source=twitter"], name="of_debates")
O("ozodi_fikr_tj", dt("11-07 12:30"), "Международные наблюдатели: у избирателей не было реальной альтернативы {L} #Таджикистан",
  [NEWS_OBSERVERS], name="of_obs")
O("digital_dushanbe", dt("11-03 08:25"), "Фейсбук опять открывается только через VPN. Совпадение перед выборами? #Таджикистан", name="dd_vpn")
O("rosti_gap", dt("11-01 19:40"), "Рост гап: это имитация выборов, а мы — зрители в зале. #выборы2013", name="rg_imit")
O("navruz_k", dt("10-31 13:15"), "Студенты спрашивают, зачем голосовать, если всё известно. Честно — не знаю, что ответить. #выборы2013", name="nk_students")

# boycott
O("tahrim_tj", dt("10-24 17:30"), "Почему я не пойду на выборы 6 ноября — новый пост {L} #бойкот #выборы2013",
  [B1 + "?utm_source=twitter&utm_medium=social"], name="tah_b1")
O("tahrim_tj", dt("10-30 06:45"), "Boycott the imitation. Stay home on 6 November. #Tajikistan #boycott", name="tah_en")
O("tahrim_tj", dt("11-01 16:10"), "Бойкот: вопросы и ответы. Читайте и делитесь {L} #бойкот", [B2], name="tah_b2")
O("tahrim_tj", dt("11-05 15:00"), "Завтра остаёмся дома. Пустой участок скажет больше, чем 90% «за». #бойкот #выборы2013", name="tah_home")
O("tahrim_tj", dt("11-07 14:20"), "Пустые участки: фото и рассказы читателей {L} #бойкот", [B3 + "#more"], name="tah_b3")
O("boykot_2013", dt("10-28 12:30"), "6 ноября — остаёмся дома. Явка — единственное, что им нужно. #бойкот #выборы2013", name="bk_home")
O("imitatsiya_tj", dt("10-26 18:00"), "Спектакль «Выборы-2013»: режиссёр известен, финал известен, зрителей сгоняют. #бойкот", name="im_spect")
O("imitatsiya_tj", dt("11-02 07:50"), "Учителей и врачей обязали прийти на участки по спискам. Это выборы? #выборы2013 #бойкот", name="im_teachers")
O("ne_golosuy", dt("10-29 10:20"), "Не голосуй — не легитимизируй. #бойкот #выборы2013", name="ng_legit")
O("khomush_tj", dt("11-01 11:30"), "Ман овоз намедиҳам. Интихоботи бе интихоб. #бойкот", name="kh_tj")
O("sado_az_moskva", dt("10-31 16:00"), "Мигранты, не ходите в посольство 6 ноября. Наш голос — наше молчание. #бойкот", name="sm_migr")
O("bebovar_tj", dt("11-04 09:10"), "Не верю ни одной цифре ЦИК. Не голосую. #бойкот #выборы2013", name="bb_cec")
O("pustye_urny", dt("11-06 08:40"), "Фото с участков: пусто. Присылайте свои. #бойкот #выборы2013", name="pu_photo")
O("qadam_tj", dt("11-03 17:25"), "Шаг назад от урны — шаг к правде. #бойкот", name="qd_step")

# neutral
O("nigoh_tj", dt("10-14 08:30"), "Новый пост: Одноклассники как городская площадь {L}", [N0], name="ng_n0")
O("nigoh_tj", dt("10-28 09:40"), "Написал о том, как соцсети впервые понесли на себе предвыборный спор {L} #выборы2013",
  [N1 + "#more-412"], name="ng_n1")
O("nigoh_tj", dt("11-02 09:05"), "Кто такие «бойкотчики» и чего они хотят — попытка разобраться {L} #бойкот", [N2], name="ng_n2")
O("nigoh_tj", dt("11-08 10:15"), "После 6 ноября: что осталось от онлайн-спора {L} #выборы2013", [N3], name="ng_n3")
O("tj_newsfeed", dt("10-29 09:00"), "Соцсети и выборы: блогер о спорах в Одноклассниках и ВК {L} #Таджикистан",
  [N1.replace("https://", "http://") + "?utm_source=twitterfeed&utm_medium=twitter"], name="tjn_n1")
O("tj_newsfeed", dt("10-26 05:30"), "ЦИК: голосование 6 ноября продлится с 6:00 до 20:00. #выборы2013 {L}", [NEWS_CEC], name="tjn_cec")
O("tj_newsfeed", dt("10-30 12:00"), "Блог dushanbe_notes: «Спорят — значит, живые» {L} #выборы2013", [LJ1], name="tjn_lj")
O("tj_newsfeed", dt("11-07 03:15"), "Предварительные итоги: действующий президент лидирует с большим отрывом {L} #выборы2013",
  [NEWS_RESULTS], name="tjn_results")
O("CAElectionWatch", dt("10-29 14:10"), "Russian-language post on how Odnoklassniki, VK and Facebook carry the #Tajikistan election debate {L}",
  [N1], name="caew_n1")
O("CAElectionWatch", dt("10-22 09:00"), "Tajikistan votes 6 Nov: six candidates, no TV debates, lively social media. Following here. #Tajikistan",
  name="caew_intro")
O("CAElectionWatch", dt("11-06 15:10"), "Polls closed in #Tajikistan. Roundup of online reactions from all sides tomorrow.", name="caew_closed")
O("SilkRoad_Reporter", dt("10-31 11:00"), "In Dushanbe more people argue about the election on Odnoklassniki than in teahouses. #Tajikistan", name="srr_ok")
O("media_lab_tj", dt("10-30 08:40"), "Считаем: за неделю в открытых группах ВК о выборах — больше 3 тыс. постов. Раньше в разы меньше. #выборы2013",
  name="ml_count")
O("media_lab_tj", dt("10-30 15:20"), "Хороший разбор в ЖЖ о том, почему онлайн-спор важен {L} #выборы2013", [LJ1], name="ml_lj")
O("student_rtsu", dt("11-01 17:00"), "В группе спорим до хрипоты: идти или нет. Я пойду, но понимаю обе стороны. #выборы2013", name="st_group")
O("Khujand_Daily", dt("11-06 02:10"), "Худжанд: участки открылись вовремя, очередей пока нет. #выборы2013", name="kd_open")
O("itdushanbe", dt("11-03 12:15"), "Напоминаем: VPN — не преступление. Берегите пароли и аккаунты. #Таджикистан", name="itd_vpn")
O("malika_reads", dt("11-02 20:30"), "Читаю и сторонников, и критиков, и бойкотчиков. Впервые интереснее, чем ТВ. #выборы2013", name="mr_read")
O("malika_reads", dt("11-05 18:10"), "Дневник ЖЖ накануне выборов — спокойно и по делу {L}", [LJ2], name="mr_lj2")

# ---- replies (arguing across camps) ---------------------------------------
R = add_tweet
R("sarbaland_tj", later("KEY", 30, 90), "@ozod_sado Никто ничего не боится. Вы же пишете, и ничего вам не будет. Шум это, а не дебаты.",
  reply_to="KEY", name="r_sarb")
R("ozod_sado", later("r_sarb", 10, 60), "@sarbaland_tj Пишем. Пока Фейсбук снова не заблокировали, как в прошлом году.",
  reply_to="r_sarb", name="r_os")
R("bahor_2013", later("KEY", 120, 300), "@ozod_sado Опять «власти боятся». Сколько можно одно и то же.", reply_to="KEY")
R("nigoh_tj", later("KEY", 60, 180), "@ozod_sado Спасибо, что поделились! Правда, я писал не про страх, а про то, что спорить стали все.",
  reply_to="KEY", name="r_nigoh")
R("DushanbePatriot", later("tah_home", 30, 120), "@tahrim_tj Easy to call for a boycott from abroad. Come and see the queues tomorrow.",
  reply_to="tah_home", name="r_dp")
R("tahrim_tj", later("r_dp", 15, 60), "@DushanbePatriot Я в Душанбе, никуда не уезжала. И завтра никуда не пойду.", reply_to="r_dp")
R("nigoh_tj", later("kh_tj", 60, 200), "@khomush_tj Бойкот оставляет площадь тем, кто её и так занял. Не уверен, что это работает.",
  reply_to="kh_tj", name="r_ng_kh")
R("khomush_tj", later("r_ng_kh", 20, 90), "@nigoh_tj А участие что-то меняет? За двадцать лет — ни разу.", reply_to="r_ng_kh")
R("CAElectionWatch", later("pg_calm", 40, 120), "@VatandorTJ Do you have turnout figures by district? Would help compare with observer reports.",
  reply_to="pg_calm", name="r_caew")
R("VatandorTJ", later("r_caew", 30, 120), "@CAElectionWatch Данные по районам ЦИК опубликует на этой неделе, дадим ссылку.", reply_to="r_caew")
R("pamir_voice", later("pg_calm", 20, 100), "@VatandorTJ «Спокойно» — потому что выбирать было не из кого.", reply_to="pg_calm", name="r_pv")
R("obod_vatan", later("r_pv", 10, 60), "@pamir_voice А кого вы хотели? Назовите хоть одного, кто сделал для страны больше.", reply_to="r_pv")
R("fikri_ozod", later("ng_legit", 60, 240), "@ne_golosuy Бойкот никто не заметит. Лучше прийти и испортить бюллетень — его хотя бы посчитают.",
  reply_to="ng_legit", name="r_fo")
R("ne_golosuy", later("r_fo", 20, 90), "@fikri_ozod Посчитают так, как им нужно. Дома надёжнее.", reply_to="r_fo")
R("vahdat_tj", later("cao_managed", 60, 240), "@CentralAsiaObs Foreign experts again explaining to Tajiks how to vote. We will manage, thanks.",
  reply_to="cao_managed", name="r_vahdat")
R("CentralAsiaObs", later("r_vahdat", 30, 120), "@vahdat_tj Not telling anyone how to vote, just describing what observers report.", reply_to="r_vahdat")
R("student_rtsu", later("tah_b1", 120, 600), "@tahrim_tj А если все несогласные останутся дома, кто будет наблюдать за подсчётом?", reply_to="tah_b1")
R("imitatsiya_tj", later("somon_kurs", 60, 300), "@somon_tj Сомони стабилен, потому что миллион мигрантов кормит страну из России.", reply_to="somon_kurs")
R("haqiqat_tj", later("mehr_imit", 30, 200), "@mehr_vatan Ходил. Урна прозрачная, всё остальное — нет.", reply_to="mehr_imit")

# ---- quotes ------------------------------------------------------------------
Q = add_tweet
Q("CAElectionWatch", later("KEY", 200, 400), "Worth reading, whatever you think of the framing. {Q}", quote="KEY", name="q_caew_key")
Q("VatandorTJ", later("KEY", 300, 600), "Вот так «боятся интернета»: пишут что хотят, и ничего. {Q}", quote="KEY", name="q_pg_key")
Q("pamir_voice", later("tah_home", 40, 200), "Не согласен с бойкотом, но аргументы стоит прочитать. {Q}", quote="tah_home", name="q_pv")
Q("tj_newsfeed", later("tah_b2", 60, 240), "Сторонники бойкота объясняют свою позицию: {Q}", quote="tah_b2", name="q_tjn")
Q("bahor_2013", later("pg_itogi", 100, 600), "Вот что надо читать вместо твиттерных истерик. {Q}", quote="pg_itogi")
Q("boykot_2013", later("tah_b1", 30, 300), "Подписываюсь под каждым словом. {Q} #бойкот", quote="tah_b1")
Q("haqiqat_tj", later("os_fb", 20, 120), "Это уже не совпадение. {Q}", quote="os_fb")
Q("steppe_analyst", later("caew_n1", 60, 300), "Good pointer on the #Tajikistan online debate. {Q}", quote="caew_n1")

# ---- old-style manual retweets (2013 habit; no referenced_tweets) ---------
key_text = TWEETS[NAMED["KEY"]]["text"]
O("qonun_tj", later("KEY", 45, 240), "Точно. RT @ozod_sado: " + key_text.split(" http")[0][:90].rstrip(" ,:") + "\u2026", kind="manual_rt")
O("mehr_vatan", later("pg_mir", 10, 200), "+1 RT @VatandorTJ: Мир и единство не падают с неба. Их строили двадцать лет. #Таджикистан",
  kind="manual_rt")

# ---- retweets ------------------------------------------------------------------
# The key share of the nigoh post is the most retweeted tweet of the dataset.
for h in ["TajNet_Watch", "fikri_ozod", "pamir_voice", "haqiqat_tj", "shahrvand_tj", "emigrant_msk",
          "digital_dushanbe", "rosti_gap", "navruz_k", "steppe_analyst", "ozodi_fikr_tj", "CentralAsiaObs",
          "nigoh_tj", "tj_newsfeed", "malika_reads", "student_rtsu", "ne_golosuy"]:
    add_retweet(h, "KEY", later("KEY", 3, 40 * 60))

# Bridges, planted on purpose.
PLANTED = [
    # tj_newsfeed (neutral aggregator) retweets every camp
    ("tj_newsfeed", "pg_calm"), ("tj_newsfeed", "pg_itogi"), ("tj_newsfeed", "tah_b3"),
    ("tj_newsfeed", "caew_closed"), ("tj_newsfeed", "ng_n3"), ("tj_newsfeed", "of_obs"), ("tj_newsfeed", "ml_count"),
    # CAElectionWatch (neutral, English) retweets several camps
    ("CAElectionWatch", "ng_n1"), ("CAElectionWatch", "of_obs"), ("CAElectionWatch", "pg_calm"),
    ("CAElectionWatch", "tah_en"), ("CAElectionWatch", "ml_count"),
    # ... and is retweeted by several camps
    ("steppe_analyst", "caew_closed"), ("DushanbePatriot", "caew_closed"), ("SilkRoad_Reporter", "caew_intro"),
    ("nigoh_tj", "caew_n1"), ("CentralAsiaObs", "caew_intro"), ("zafar_obod", "caew_closed"),
    # pamir_voice (critic) bridges critics and the boycott camp
    ("pamir_voice", "tah_home"), ("pamir_voice", "tah_b2"), ("pamir_voice", "im_teachers"),
    ("khomush_tj", "pv_boy"), ("sado_az_moskva", "pv_boy"), ("qadam_tj", "pv_khorog"), ("bebovar_tj", "pv_boy"),
    # emigrant_msk (critic) is close to the migrant boycott account
    ("emigrant_msk", "sm_migr"), ("emigrant_msk", "tah_home"), ("sado_az_moskva", "em_msk"),
    # nigoh_tj (the blogger) talks to everyone
    ("nigoh_tj", "ml_count"), ("nigoh_tj", "sa_blogs"), ("media_lab_tj", "ng_n1"), ("malika_reads", "ng_n2"),
    ("student_rtsu", "ng_n3"), ("SilkRoad_Reporter", "ng_n1"), ("itdushanbe", "ng_n1"),
    ("TajNet_Watch", "ng_n1"), ("navruz_k", "ng_n2"), ("kuhiston_tj", "ng_n3"),
    ("Khujand_Daily", "tjn_results"), ("Khujand_Daily", "caew_closed"), ("SilkRoad_Reporter", "tjn_lj"),
    ("media_lab_tj", "caew_intro"), ("student_rtsu", "ml_count"),
    ("malika_reads", "ml_lj"),
    # supporters spread the outlet's posts
    ("vahdat_tj", "pg_boykot"), ("obod_vatan", "pg_boykot"), ("kuhiston_tj", "pg_itogi"),
    ("somon_tj", "pg_itogi"), ("sulh_va_vahdat", "pg_open"), ("mehr_vatan", "pg_calm"),
    ("DushanbePatriot", "pg_boykot"), ("nuri_tojik", "pg_open"), ("zafar_obod", "pg_calm"),
    ("sarbaland_tj", "q_pg_key"), ("bahor_2013", "pg_boykot"),
    # boycotters spread the boycott blog
    ("boykot_2013", "tah_b2"), ("imitatsiya_tj", "tah_b1"), ("ne_golosuy", "tah_b2"), ("khomush_tj", "tah_home"),
    ("sado_az_moskva", "tah_b1"), ("bebovar_tj", "tah_b3"), ("pustye_urny", "tah_home"), ("qadam_tj", "tah_b2"),
    # critics amplify each other
    ("ozod_sado", "of_debates"), ("ozod_sado", "tnw_block"), ("TajNet_Watch", "os_fb"), ("fikri_ozod", "of_obs"),
]
for h, ref in PLANTED:
    add_retweet(h, ref, later(ref, 3, 30 * 60))

# Ordinary in-camp retweets, weighted towards each camp's hub.
for group in ("supporter", "critic", "boycott"):
    members = [h for h, _, g, *_ in TWITTER if g == group]
    pool = [tid for tid, m in META.items()
            if m["kind"] == "original" and GROUP[m["handle"]] == group]
    hub = HUBS.get(group, "").lower()
    for h in members:
        k = 1
        cands = [t for t in pool if META[t]["handle"] != h.lower()]
        weights = [5 if META[t]["handle"] == hub else 1 for t in cands]
        chosen: set[str] = set()
        while len(chosen) < k and len(chosen) < len(cands):
            chosen.add(RNG.choices(cands, weights)[0])
        for t in sorted(chosen):
            add_retweet(h, t, later(t, 3, 30 * 60))

# ---- public metrics ------------------------------------------------------------
for tid, t in TWEETS.items():
    if META[tid]["kind"] == "retweet":
        continue
    rts = sum(1 for m in META.values() if m["kind"] == "retweet" and m["of"] == tid)
    replies = sum(1 for x in TWEETS.values()
                  for r in x.get("referenced_tweets", []) if r["type"] == "replied_to" and r["id"] == tid)
    quotes = sum(1 for x in TWEETS.values()
                 for r in x.get("referenced_tweets", []) if r["type"] == "quoted" and r["id"] == tid)
    t["public_metrics"] = {"retweet_count": rts, "reply_count": replies,
                           "like_count": rts + RNG.randint(0, 6) + rts // 2, "quote_count": quotes}
for tid, t in TWEETS.items():
    if META[tid]["kind"] == "retweet":
        orig = TWEETS[META[tid]["of"]]
        t["public_metrics"] = {"retweet_count": orig["public_metrics"]["retweet_count"],
                               "reply_count": 0, "like_count": 0, "quote_count": 0}

# Fixed key order, close to what the v2 API returns.
KEY_ORDER = ["edit_history_tweet_ids", "lang", "conversation_id", "author_id", "referenced_tweets",
             "in_reply_to_user_id", "entities", "created_at",
             "public_metrics", "id", "text"]


def ordered(t: dict) -> dict:
    return {k: t[k] for k in KEY_ORDER if k in t}

# --------------------------------------------------------------------------
# Flattened tweets (a later `twarc2 timeline ... | twarc2 flatten`)
# --------------------------------------------------------------------------
FLAT_NAMES = []


def flat_tweet(*args, **kw) -> str:
    tid = add_tweet(*args, **kw)
    FLAT_NAMES.append(tid)
    return tid


flat_tweet("nigoh_tj", dt("11-12 07:20"), "Спасибо всем, кто спорил у меня в комментариях: сторонникам, критикам и бойкотчикам. Продолжим после паузы.",
           name="f_nigoh")
flat_tweet("ozod_sado", dt("11-11 09:00"), "Итог кампании: ТВ показало одного кандидата, соцсети — всю страну. #Таджикистан", name="f_os")
flat_tweet("VatandorTJ", dt("11-13 06:00"), "ЦИК опубликовал окончательные итоги. Поздравляем народ Таджикистана! #выборы2013", name="f_pg")
flat_tweet("tahrim_tj", dt("11-10 16:30"), "Спасибо всем, кто остался дома 6 ноября. Нас было больше, чем покажут цифры. #бойкот", name="f_tah")
flat_tweet("CAElectionWatch", dt("11-10 11:45"), "Roundup of online reactions to the #Tajikistan vote, from all camps. Start with this post {L}",
           [N3 + "?utm_source=twitter&utm_campaign=roundup"], name="f_caew")
flat_tweet("sarbaland_tj", later("f_os", 30, 120), "@ozod_sado Соцсети — не вся страна. Вся страна проголосовала.", reply_to="f_os",
           name="f_sarb")
FLAT_NAMES.append(add_retweet("pamir_voice", "f_tah", later("f_tah", 20, 300)))
for tid in FLAT_NAMES:
    t = TWEETS[tid]
    if META[tid]["kind"] == "retweet":
        t["public_metrics"] = {"retweet_count": 2, "reply_count": 0, "like_count": 0, "quote_count": 0}
    else:
        t["public_metrics"] = {"retweet_count": RNG.randint(1, 9), "reply_count": 0,
                               "like_count": RNG.randint(2, 25), "quote_count": 0}
TWEETS[NAMED["f_os"]]["public_metrics"]["reply_count"] = 1
FLAT_IDS = set(FLAT_NAMES)
PAGE_IDS = [tid for tid in TWEETS if tid not in FLAT_IDS]

# --------------------------------------------------------------------------
# twarc2 output
# --------------------------------------------------------------------------
EXPANSIONS = ("author_id,in_reply_to_user_id,referenced_tweets.id,referenced_tweets.id.author_id,"
              "entities.mentions.username")
TWEET_FIELDS = ("author_id,conversation_id,created_at,"
                "edit_history_tweet_ids,entities,id,in_reply_to_user_id,lang,public_metrics,"
                "referenced_tweets,text")
USER_FIELDS = ("created_at,description,entities,id,location,name,"
               "public_metrics,url,username")
QUERY = ('(#выборы2013 OR #Таджикистан OR #Тоҷикистон OR #Tajikistan OR #бойкот OR url:"nigoh.wordpress.com" '
         'OR url:"vatandor-info.tj" OR url:"tahrim2013" OR @ozod_sado OR @VatandorTJ OR @tahrim_tj OR @nigoh_tj)')
PAGE_SIZE = 75


def users_for(tweets: list[dict]) -> list[dict]:
    ids: list[str] = []

    def want(uid):
        if uid and uid not in ids:
            ids.append(uid)

    for t in tweets:
        want(t["author_id"])
        want(t.get("in_reply_to_user_id"))
        for m in t.get("entities", {}).get("mentions", []):
            want(m["id"])
    return [USER_BY_ID[i] for i in ids]


def pages() -> list[dict]:
    data = sorted(PAGE_IDS, key=int, reverse=True)
    out = []
    token = None
    retrieved = datetime(2023, 2, 27, 14, 5, 11, tzinfo=UTC)
    for i in range(0, len(data), PAGE_SIZE):
        chunk = [TWEETS[t] for t in data[i:i + PAGE_SIZE]]
        ref_ids: list[str] = []
        for t in chunk:
            for r in t.get("referenced_tweets", []):
                if r["id"] not in ref_ids:
                    ref_ids.append(r["id"])
        refs = [TWEETS[r] for r in ref_ids]
        params = {"expansions": EXPANSIONS, "tweet.fields": TWEET_FIELDS, "user.fields": USER_FIELDS,
                  "start_time": "2013-10-01T00:00:00+00:00", "end_time": "2013-11-20T00:00:00+00:00",
                  "query": QUERY, "max_results": PAGE_SIZE}
        if token:
            params["next_token"] = token
        url = "https://api.twitter.com/2/tweets/search/all?" + urlencode(params)
        last = i + PAGE_SIZE >= len(data)
        token = None if last else rand_token(44, string.ascii_lowercase + string.digits)
        meta = {"newest_id": chunk[0]["id"], "oldest_id": chunk[-1]["id"], "result_count": len(chunk)}
        if token:
            meta["next_token"] = token
        retrieved += timedelta(seconds=RNG.randint(2, 5))
        out.append({
            "data": [ordered(t) for t in chunk],
            "includes": {"users": users_for(chunk + refs), "tweets": [ordered(t) for t in refs]},
            "meta": meta,
            "__twarc": {"url": url, "version": "2.14.0",
                        "retrieved_at": retrieved.isoformat()},
        })
    return out


def flat_lines() -> list[dict]:
    """twarc2 flatten: one tweet a line, author (and referenced tweets,
    reply-to user, mentioned users) inlined, __twarc kept."""
    out = []
    retrieved = datetime(2023, 3, 2, 9, 41, 3, tzinfo=UTC)
    for tid in sorted(FLAT_IDS, key=int, reverse=True):
        t = json.loads(json.dumps(ordered(TWEETS[tid])))
        author = USER_BY_ID[t["author_id"]]
        for m in t.get("entities", {}).get("mentions", []):
            m.update({k: v for k, v in USER_BY_ID[m["id"]].items() if k != "id"})
        if "referenced_tweets" in t:
            full = []
            for r in t["referenced_tweets"]:
                rt = dict(ordered(TWEETS[r["id"]]))
                rt["type"] = r["type"]
                rt["author"] = USER_BY_ID[rt["author_id"]]
                full.append(rt)
            t["referenced_tweets"] = full
        if "in_reply_to_user_id" in t:
            t["in_reply_to_user"] = USER_BY_ID[t["in_reply_to_user_id"]]
        t["author"] = author
        retrieved += timedelta(seconds=RNG.randint(1, 3))
        params = {"expansions": EXPANSIONS, "tweet.fields": TWEET_FIELDS, "user.fields": USER_FIELDS,
                  "start_time": "2013-11-10T00:00:00+00:00", "end_time": "2013-11-20T00:00:00+00:00",
                  "max_results": 100}
        t["__twarc"] = {"url": "https://api.twitter.com/2/users/%s/tweets?%s" % (author["id"], urlencode(params)),
                        "version": "2.14.0", "retrieved_at": retrieved.isoformat()}
        out.append(t)
    return out

# --------------------------------------------------------------------------
# Blogs
# --------------------------------------------------------------------------

def rfc822(when: datetime) -> str:
    return format_datetime(when)


def cdata(s: str) -> str:
    assert "]]>" not in s
    return "<![CDATA[" + s + "]]>"


def wdt(s: str, tz=UTC) -> datetime:
    """'10-28 09:15:32' local to tz."""
    return datetime.strptime("2013-" + s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz)


def strip_tags(html: str) -> str:
    txt = re.sub(r"<[^>]+>", "", html)
    return re.sub(r"\s+", " ", txt).strip()


KEY_TWEET_URL = "https://twitter.com/ozod_sado/status/" + NAMED["KEY"]

# ---- nigoh.wordpress.com: posts -------------------------------------------------
NIGOH_POSTS = [
    {
        "pid": 371, "url": N0, "when": wdt("10-14 08:05:10"),
        "title": "Одноклассники как городская площадь",
        "cats": ["Интернет", "Общество"], "comments": 6,
        "html": (
            '<p>Пока мы спорим, нужен ли Таджикистану «свой Фейсбук», половина страны уже живёт в '
            '<a href="https://www.odnoklassniki.ru/">Одноклассниках</a>. Там ищут одноклассников, поздравляют '
            'с Наврузом, продают машины и — всё чаще — обсуждают новости.</p>\n'
            '<p>Ребята из <a href="https://twitter.com/media_lab_tj">Медиа-лаба</a> посчитали, что за лето число '
            'открытых групп о жизни в Душанбе выросло почти вдвое. Это уже не сайт знакомств, а городская площадь: '
            'шумная, неудобная, но своя.</p>\n'
            '<p>Интересно, что будет с этой площадью осенью, когда начнётся избирательная кампания.</p>'),
    },
    {
        "pid": 412, "url": N1, "when": wdt("10-28 09:15:32"),
        "title": "Выборы-2013: спор наконец переехал в соцсети",
        "cats": ["Выборы", "Интернет", "Общество"], "comments": 14,
        "html": (
            '<p>Впервые за все годы, что я веду этот блог, о президентских выборах спорят не на кухне и не шёпотом '
            'в маршрутке, а открыто — в <a href="https://www.odnoklassniki.ru/group/52348811230001">группах '
            'Одноклассников</a>, во <a href="https://vk.com/vybory_tj_2013">ВКонтакте</a> и на '
            '<a href="https://www.facebook.com/groups/tajik.debate.2013/">Фейсбуке</a>.</p>\n'
            '<p>Телевизионных дебатов, как известно, '
            '<a href="' + NEWS_DEBATES + '?utm_source=facebook&amp;utm_medium=social#main">не будет</a>. ЦИК '
            '<a href="' + NEWS_CEC + '?utm_source=rss&amp;utm_medium=rss&amp;utm_campaign=cik-kandidaty">'
            'зарегистрировал шесть кандидатов</a>, но пятерых из них мало кто видел в эфире. Зато в сети у каждой '
            'стороны появился свой голос.</p>\n'
            '<span id="more-412"></span>\n'
            '<p>Сторонники действующего президента пишут об итогах последних лет — например, '
            '<a href="' + PG1 + '?utm_source=nigoh&amp;utm_medium=referral">вот обзор на «Ватандоре»</a>. '
            'Критики называют кампанию имитацией. Есть и те, кто призывает вовсе не ходить на участки, — '
            '<a href="' + B1 + '#more">их аргументы можно прочитать здесь</a>.</p>\n'
            '<p>Можно сколько угодно повторять, что соцсети — это шум. Но две недели назад я '
            '<a href="' + N0 + '">писал</a>, что Одноклассники стали городской площадью, и теперь на этой площади '
            'обсуждают выборы. Мои родители, которые до сих пор путают «репост» и «пост», спорят в комментариях '
            'с племянниками из Москвы.</p>\n'
            '<p>Это ещё не дебаты в полном смысле слова. Но это разговор, которого раньше не было. '
            'Напишите в комментариях, где спорите вы.</p>'),
    },
    {
        "pid": 436, "url": N2, "when": wdt("11-02 08:50:04"),
        "title": "Кто такие «бойкотчики» и чего они хотят",
        "cats": ["Выборы", "Общество"], "comments": 3,
        "html": (
            '<p>За последнюю неделю призывы не ходить на выборы стали заметны: у них есть '
            '<a href="' + B1 + '">блог</a>, <a href="https://twitter.com/tahrim_tj">аккаунт в Твиттере</a> '
            'и даже <a href="' + B2 + '?utm_source=nigoh.wordpress.com">список ответов на частые вопросы</a>.</p>\n'
            '<p>Их логика проста: если выбора нет, участие только придаёт спектаклю вес. Ответ сторонников власти '
            'тоже понятен — <a href="' + PG2 + '?utm_source=nigoh&amp;utm_medium=referral#comments">«бойкот '
            'придумали за границей»</a>.</p>\n'
            '<p>Мне кажется, обе стороны недооценивают третью группу: тех, кто просто читает и впервые видит '
            'спор целиком. Я не призываю ни идти, ни не идти. Я призываю читать друг друга.</p>'),
    },
    {
        "pid": 451, "url": N3, "when": wdt("11-08 09:50:47"),
        "title": "После 6 ноября: что осталось от онлайн-спора",
        "cats": ["Выборы", "Интернет"], "comments": 3,
        "html": (
            '<p>Итоги известны, и сюрпризов не случилось: <a href="' + PG3 + '">«Ватандор» пишет</a>, что всё '
            'прошло спокойно, <a href="' + B3 + '">сторонники бойкота</a> публикуют фотографии пустых участков, '
            'а <a href="' + NEWS_OBSERVERS + '?utm_source=nigoh&amp;utm_medium=blog">наблюдатели</a> отмечают '
            'отсутствие реальной альтернативы.</p>\n'
            '<p>Но кое-что всё-таки изменилось. Мой пост про соцсети разошёлся в Твиттере благодаря '
            '<a href="' + KEY_TWEET_URL + '">одному твиту</a> — с заголовком, с которым я не совсем согласен, '
            'но спасибо. Коллега из ЖЖ <a href="' + LJ3 + '?utm_source=nigoh#cutid1">подвёл свои итоги</a>, '
            'и они похожи на мои: спор был, и он никуда не денется.</p>\n'
            '<p>Следующий вопрос — что будет с этими площадками между выборами.</p>'),
    },
]

# ---- nigoh.wordpress.com: comments (site-wide comment feed, latest 20) ----------
# (comment id, post pid, author, when UTC, html, parent comment id)
NIGOH_COMMENTS = [
    (1281, 412, "Sitora D.", "10-28 10:02:41",
     "<p>Наконец-то кто-то об этом написал! У моих родителей в Одноклассниках спорят о кандидатах — такого раньше не было.</p>", None),
    (1282, 412, "Rustam K.", "10-28 11:47:15",
     "<p>Это шум, а не дебаты. В соцсетях сидит сотня одних и тех же людей, которые ругают всё подряд. "
     "Народ решит на участках.</p>", None),
    (1283, 412, "Manizha", "10-28 12:30:09",
     "<p>Рустам, а где ещё спорить? На ТВ не было ни одних дебатов.</p>", 1282),
    (1284, 412, "Rustam K.", "10-28 13:05:52",
     "<p>Спорить можно, врать нельзя. Половина постов про «фальсификации» пишется из-за границы.</p>", 1283),
    (1285, 412, "dushanbe_notes", "10-28 16:20:33",
     "<p>Хороший разбор, подпишусь под каждым словом. Напишу у себя подробнее про то, как это выглядит "
     "изнутри ВК (my blog: <a href=\"https://dushanbe-notes.livejournal.com/\" rel=\"nofollow\">"
     "https://dushanbe-notes.livejournal.com/</a>)</p>", None),
    (1287, 412, "Bedor", "10-29 08:10:27",
     "<p>Спорить в соцсетях — хорошо. Но не надо делать вид, что это выборы. Выбора нет — значит, не идём. "
     "(my blog: <a href=\"http://tahrim2013.blogspot.com/\" rel=\"nofollow\">http://tahrim2013.blogspot.com/</a>)</p>", None),
    (1288, 412, "Nigoh", "10-29 09:00:58",
     "<p>Бойкот — тоже позиция, но разве он не оставляет всё поле одной стороне?</p>", 1287),
    (1289, 412, "Farid_77", "10-29 10:15:40",
     "<p>Поля нет. Есть сцена. Мы просто не играем в этом спектакле.</p>", 1288),
    (1290, 412, "Zarrina", "10-29 12:40:18",
     "<p>Хватит называть выборы спектаклем. Мой дед голосует с 1994 года и знает цену миру.</p>", None),
    (1292, 412, "Bakhtiyor", "10-29 15:55:02",
     "<p>Статья верная. Фейсбук в прошлом году блокировали именно потому, что там говорят свободно. "
     "Власти боятся не оппозиции, а разговоров.</p>", None),
    (1293, 412, "Mehrangez", "10-30 07:30:44",
     "<p>Добавлю: в ВК студенты устроили опрос о выборах — четыре тысячи голосов за два дня.</p>", None),
    (1294, 412, "Daler", "10-30 08:45:21",
     "<p>Опрос в ВК — не выборы. Там одни школьники.</p>", 1293),
    (1295, 412, "Mehrangez", "10-30 09:20:13",
     "<p>Школьникам тоже скоро голосовать :)</p>", 1294),
    (1297, 412, "Manizha", "10-31 06:10:37",
     "<p>Ваш пост разошёлся в Твиттере — <a href=\"" + KEY_TWEET_URL + "\" rel=\"nofollow\">вот твит</a>, "
     "посмотрите, сколько ретвитов.</p>", None),
    (1301, 436, "Farid_77", "11-02 11:00:05",
     "<p>Спасибо, что не называете нас «врагами». Мы не против страны, мы против спектакля.</p>", None),
    (1302, 436, "Zarrina", "11-02 13:30:50",
     "<p>Бойкот — это лень, а не позиция. Прийти и проголосовать — вот позиция.</p>", None),
    (1303, 436, "Nigoh", "11-02 15:00:26",
     "<p>Фарид, а как вы поймёте, сколько вас? Цифры всё равно считает ЦИК.</p>", 1301),
    (1310, 451, "Rustam K.", "11-08 11:20:39",
     "<p>Ну вот, всё прошло спокойно, как я и говорил. А шума было.</p>", None),
    (1311, 451, "Sitora D.", "11-08 12:05:14",
     "<p>Спасибо за серию постов. Было интересно читать всех, даже тех, с кем не согласна.</p>", None),
    (1312, 451, "Bakhtiyor", "11-08 14:40:03",
     "<p>Спокойно — не значит честно.</p>", 1310),
]
POST_BY_PID = {p["pid"]: p for p in NIGOH_POSTS}


def comment_guid(pid: int, cid: int) -> str:
    return "http://nigoh.wordpress.com/?p=%d#comment-%d" % (pid, cid)


def comment_link(pid: int, cid: int) -> str:
    return POST_BY_PID[pid]["url"] + "#comment-%d" % cid


def wp_footer(pid: int) -> str:
    return ('<br />  <a rel="nofollow" href="http://feeds.wordpress.com/1.0/gocomments/nigoh.wordpress.com/%d/">'
            '<img alt="" border="0" src="http://feeds.wordpress.com/1.0/comments/nigoh.wordpress.com/%d/" /></a> '
            '<img alt="" border="0" src="https://pixel.wp.com/b.gif?host=nigoh.wordpress.com&#038;blog=52876410'
            '&#038;post=%d&#038;subd=nigoh&#038;ref=&#038;feed=1" width="1" height="1" />' % (pid, pid, pid))


WP_NS = '''<rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	xmlns:media="http://search.yahoo.com/mrss/"%s
	>'''


def nigoh_feed() -> str:
    posts = sorted(NIGOH_POSTS, key=lambda p: p["when"], reverse=True)
    out = ['<?xml version="1.0" encoding="UTF-8"?>' + WP_NS % "", "", "<channel>",
           "\t<title>Nigoh</title>",
           '\t<atom:link href="https://nigoh.wordpress.com/feed/" rel="self" type="application/rss+xml" />',
           "\t<link>https://nigoh.wordpress.com</link>",
           "\t<description>Взгляд из Душанбе: интернет, общество, разговоры</description>",
           "\t<lastBuildDate>%s</lastBuildDate>" % rfc822(posts[0]["when"] + timedelta(hours=6)),
           "\t<language>ru-RU</language>",
           "\t<sy:updatePeriod>hourly</sy:updatePeriod>",
           "\t<sy:updateFrequency>1</sy:updateFrequency>",
           "\t<generator>http://wordpress.com/</generator>",
           "<cloud domain='nigoh.wordpress.com' port='80' path='/?rsscloud=notify' registerProcedure='' protocol='http-post' />",
           "<image>\n\t\t<url>https://s2.wp.com/i/buttonw-com.png</url>\n\t\t<title>Nigoh</title>\n"
           "\t\t<link>https://nigoh.wordpress.com</link>\n\t</image>",
           '\t<atom:link rel="search" type="application/opensearchdescription+xml" '
           'href="https://nigoh.wordpress.com/osd.xml" title="Nigoh" />',
           "\t<atom:link rel='hub' href='https://nigoh.wordpress.com/?pushpress=hub'/>"]
    for p in posts:
        excerpt = strip_tags(p["html"])
        excerpt = excerpt[:300].rsplit(" ", 1)[0] + " [&#8230;]"
        out += ["\t<item>",
                "\t\t<title>%s</title>" % escape(p["title"]),
                "\t\t<link>%s</link>" % p["url"],
                "\t\t<comments>%s#comments</comments>" % p["url"],
                "\t\t<pubDate>%s</pubDate>" % rfc822(p["when"]),
                "\t\t<dc:creator>%s</dc:creator>" % cdata(NIGOH_AUTHOR)]
        out += ["\t\t<category>%s</category>" % cdata(c) for c in p["cats"]]
        out += ['\t\t<guid isPermaLink="false">http://nigoh.wordpress.com/?p=%d</guid>' % p["pid"],
                "\t\t<description>%s</description>" % cdata(excerpt),
                "\t\t<content:encoded>%s</content:encoded>" % cdata(p["html"] + wp_footer(p["pid"])),
                "\t\t<wfw:commentRss>%sfeed/</wfw:commentRss>" % p["url"],
                "\t\t<slash:comments>%d</slash:comments>" % p["comments"],
                '\t\t<media:content url="https://0.gravatar.com/avatar/5f1c3a9d0e7b42a8c6d9e3f1a2b4c6d8?s=96&#38;d=identicon&#38;r=G" medium="image">',
                '\t\t\t<media:title type="html">nigoh</media:title>',
                "\t\t</media:content>",
                "\t</item>"]
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def nigoh_comments_feed() -> str:
    cs = sorted(NIGOH_COMMENTS, key=lambda c: c[3], reverse=True)
    parent_pid = {c[0]: c[1] for c in NIGOH_COMMENTS}
    out = ['<?xml version="1.0" encoding="UTF-8"?>' + WP_NS % '\n\txmlns:thr="http://purl.org/syndication/thread/1.0"',
           "<channel>",
           "\t<title>Comments for Nigoh</title>",
           '\t<atom:link href="https://nigoh.wordpress.com/comments/feed/" rel="self" type="application/rss+xml" />',
           "\t<link>https://nigoh.wordpress.com</link>",
           "\t<description>Взгляд из Душанбе: интернет, общество, разговоры</description>",
           "\t<lastBuildDate>%s</lastBuildDate>" % rfc822(wdt(cs[0][3])),
           "\t<sy:updatePeriod>hourly</sy:updatePeriod>",
           "\t<sy:updateFrequency>1</sy:updateFrequency>",
           "\t<generator>http://wordpress.com/</generator>"]
    for cid, pid, author, when, html, parent in cs:
        post = POST_BY_PID[pid]
        out += ["\t<item>",
                "\t\t<title>%s</title>" % escape("Comment on %s by %s" % (post["title"], author)),
                "\t\t<link>%s</link>" % comment_link(pid, cid),
                "\t\t<dc:creator>%s</dc:creator>" % cdata(author),
                "\t\t<pubDate>%s</pubDate>" % rfc822(wdt(when)),
                '\t\t<guid isPermaLink="false">%s</guid>' % comment_guid(pid, cid),
                "\t\t<description>%s</description>" % cdata(strip_tags(html)),
                "\t\t<content:encoded>%s</content:encoded>" % cdata(html)]
        if parent:
            assert parent_pid[parent] == pid
            out.append('\t\t<thr:in-reply-to ref="%s" href="%s" type="text/html" />'
                       % (comment_guid(pid, parent), comment_link(pid, parent)))
        out.append("\t</item>")
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


# ---- dushanbe-notes.livejournal.com (Atom) --------------------------------------
LJ_POSTS = [
    {
        "itemid": 48213, "url": LJ1, "when": wdt("10-30 11:22:10"), "tags": ["выборы", "интернет"], "replies": 7,
        "title": "Спорят — значит, живые",
        "html": (
            '<p>Коллега <a href="http://nigoh.wordpress.com/2013/10/28/sotsseti-vybory-2013/'
            '?utm_source=livejournal&amp;utm_medium=blog#comments">nigoh пишет</a>, что предвыборный спор впервые '
            'переехал в соцсети. Аплодирую и самому тексту, и тому, что под ним творится в комментариях.</p>'
            '<p>Я неделю читаю группы во ВКонтакте. Там есть всё: и «мир любой ценой», и «имитация», и '
            '«не ходите». Грубостей хватает, но впервые люди отвечают друг другу, а не телевизору.</p>'
            '<p>Да, это не дебаты. Но без такой разминки дебатов не будет никогда.</p>'),
    },
    {
        "itemid": 48577, "url": LJ2, "when": wdt("11-05 14:40:55"), "tags": ["выборы"], "replies": 4,
        "title": "Накануне",
        "html": (
            '<p>Завтра голосование. За неделю я прочитал <a href="' + PG2 + '">«Ватандор»</a>, '
            '<a href="' + B2 + '">блог сторонников бойкота</a> и <a href="' + NEWS_BLOCK + '">новости о '
            'блокировках</a>. У каждого своя правда, и каждый уверен, что остальные — шум.</p>'
            '<p>Сам я пойду на участок. Не потому, что жду сюрпризов, а потому, что хочу видеть, как это '
            'выглядит.</p>'),
    },
    {
        "itemid": 49102, "url": LJ3, "when": wdt("11-08 07:15:30"), "tags": ["выборы", "итоги"], "replies": 9,
        "title": "После выборов: заметки с участка",
        "html": (
            '<p>Сходил, посмотрел. Тихо, вежливо, в десять утра человек пятнадцать. Учителя из соседней школы '
            'пришли вместе, со списком.</p>'
            '<lj-cut text="Дальше"><a name="cutid1"></a>'
            '<p>Что дальше с онлайн-спором? <a href="' + NEWS_RESULTS + '?utm_source=lj">Цифры ЦИК</a> никого не '
            'удивили, а <a href="' + N2 + '">разговор о бойкоте у nigoh</a> собрал больше откликов, чем '
            'любой предвыборный эфир. Думаю, площадки останутся.</p></lj-cut>'),
    },
]


def lj_feed() -> str:
    posts = sorted(LJ_POSTS, key=lambda p: p["when"], reverse=True)
    author = ("<author>\n    <name>%s</name>\n    <uri>%s/</uri>\n  </author>" % (LJ_AUTHOR, LJ))
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:lj="http://www.livejournal.org/rss/lj/1.0/">',
           "  <id>urn:lj:livejournal.com:atom1:%s</id>" % LJ_AUTHOR,
           "  <title>Заметки из Душанбе</title>",
           "  <subtitle>%s</subtitle>" % LJ_AUTHOR,
           "  " + author,
           '  <link rel="alternate" type="text/html" href="%s/"/>' % LJ,
           '  <link rel="self" type="text/xml" href="%s/data/atom"/>' % LJ,
           "  <updated>%s</updated>" % posts[0]["when"].strftime("%Y-%m-%dT%H:%M:%SZ"),
           '  <lj:journal userid="61524877" username="%s" type="personal"/>' % LJ_AUTHOR,
           "  <generator>LiveJournal / LiveJournal.com</generator>"]
    for p in posts:
        stamp = p["when"].strftime("%Y-%m-%dT%H:%M:%SZ")
        out += ["  <entry>",
                "    <id>urn:lj:livejournal.com:atom1:%s:%d</id>" % (LJ_AUTHOR, p["itemid"]),
                '    <link rel="alternate" type="text/html" href="%s"/>' % p["url"],
                '    <link rel="self" type="text/xml" href="%s/data/atom/?itemid=%d"/>' % (LJ, p["itemid"]),
                "    <title>%s</title>" % escape(p["title"]),
                "    <published>%s</published>" % stamp,
                "    <updated>%s</updated>" % stamp,
                "    " + author.replace("\n  ", "\n    ")]
        out += ['    <category term="%s"/>' % t for t in p["tags"]]
        out += ["    <lj:security>public</lj:security>",
                "    <lj:poster user=\"%s\" userid=\"61524877\"/>" % LJ_AUTHOR,
                "    <lj:reply-count>%d</lj:reply-count>" % p["replies"],
                '    <content type="html">%s</content>' % escape(p["html"]),
                "  </entry>"]
    out += ["</feed>", ""]
    return "\n".join(out)


# ---- vatandor-info.tj (DataLife-Engine-style RSS, windows-1251, no authors) ----
# cp1251 has no Tajik letters (ғ ӣ қ ҳ ҷ ӯ), so Tajik words are written with
# Russian look-alikes, as many sites did at the time.
PG_POSTS = [
    {
        "url": PG1, "when": wdt("10-22 14:50:00", TJT), "cat": "Политика",
        "title": "Итоги семилетки: что изменилось в стране",
        "html": (
            '<p>За последние семь лет в республике построены сотни школ и больниц, тысячи километров дорог, '
            'введены в строй новые энергоблоки. Подробные цифры приводит '
            '<a href="http://akhbori-ruz.tj/ru/2013/10/21/statistika-semiletki/">Агентство статистики</a>.</p>'
            '<p>Главное достижение — мир и единство. «Сулх ва вахдат» для нашего народа не лозунг, а опыт, '
            'оплаченный дорогой ценой. Именно поэтому курс Пешвои миллат поддерживает большинство граждан '
            'Точикистона.</p>'
            '<p>Читайте также: <a href="' + PG + '/news/society/1835-den-molodezhi.html">молодёжь — за '
            'созидание</a>.</p>'),
    },
    {
        "url": PG2, "when": wdt("11-01 13:45:00", TJT), "cat": "Политика",
        "title": "Бойкот из-за границы: кому выгодно?",
        "html": (
            '<p>В интернете появились призывы не участвовать в выборах 6 ноября. Один из таких '
            '<a href="' + B1 + '">блогов</a> прямо называет голосование «имитацией» и призывает граждан '
            'оставаться дома.</p>'
            '<p>Авторы подобных призывов, как правило, давно живут за пределами республики и не несут '
            'ответственности за её будущее. Напомним: участие в выборах — право и гражданский долг каждого.</p>'
            '<p>«Ба интихобот биёед!» — обращаются к землякам ветераны и молодёжь.</p>'),
    },
    {
        "url": PG3, "when": wdt("11-07 12:30:00", TJT), "cat": "Выборы-2013",
        "title": "Выборы прошли спокойно и организованно",
        "html": (
            '<p>Голосование 6 ноября прошло в спокойной обстановке. По данным ЦИК, явка превысила 85 процентов. '
            'Наблюдатели от СНГ '
            '<a href="' + NEWS_RESULTS + '?utm_source=vatandor&amp;utm_medium=rss">отметили</a> открытость и '
            'хорошую организацию процесса.</p>'
            '<p>Жители Душанбе, Худжанда и Куляба с утра приходили на участки семьями. Призывы к бойкоту, '
            'которые звучали в соцсетях, поддержки не нашли.</p>'),
    },
]


def pg_feed() -> str:
    posts = sorted(PG_POSTS, key=lambda p: p["when"], reverse=True)
    out = ['<?xml version="1.0" encoding="windows-1251"?>',
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/">',
           "<channel>",
           "<title>Ватандор-инфо</title>",
           "<link>%s/</link>" % PG,
           "<language>ru</language>",
           "<description>Ватандор-инфо — новости и аналитика Таджикистана</description>",
           "<generator>DataLife Engine</generator>"]
    for p in posts:
        out += ["<item>",
                "<title>%s</title>" % escape(p["title"]),
                "<guid isPermaLink=\"true\">%s</guid>" % p["url"],
                "<link>%s</link>" % p["url"],
                "<description>%s</description>" % cdata(p["html"]),
                "<category>%s</category>" % cdata(p["cat"]),
                "<pubDate>%s</pubDate>" % rfc822(p["when"]),
                "</item>"]
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


# ---- tahrim2013.blogspot.com (Blogger Atom) --------------------------------------
BLOG_ID = "7306419952874125590"
BOY_PROFILE = "https://www.blogger.com/profile/09182736455463728190"
BOY_POSTS = [
    {
        "post_id": "2871640093512284417", "url": B1, "when": wdt("10-24 22:05:00", TJT), "replies": 12,
        "labels": ["бойкот", "выборы2013"], "title": "Почему я не пойду на выборы 6 ноября",
        "html": (
            '<p>Я голосовала на всех выборах с тех пор, как мне исполнилось восемнадцать. В этот раз не пойду.</p>'
            '<p>Шесть фамилий в бюллетене, пять из которых никто не слышал. Ни одних '
            '<a href="' + NEWS_DEBATES + '?utm_source=blogger">дебатов</a>. Единственного настоящего '
            'соперника не зарегистрировали. Это не выборы, это имитация, и участвовать в ней — значит '
            'подписаться под результатом заранее.</p>'
            '<a name="more"></a>'
            '<p>Бойкот — не лень и не равнодушие. Это единственный голос, который у нас не могут '
            'пересчитать. Пишите мне в <a href="https://twitter.com/tahrim_tj">Твиттер</a>.</p>'),
    },
    {
        "post_id": "5520917348861120043", "url": B2, "when": wdt("11-01 20:40:00", TJT), "replies": 18,
        "labels": ["бойкот", "вопросы"], "title": "Бойкот: вопросы и ответы",
        "html": (
            '<p><b>«Бойкот ничего не изменит».</b> Участие тоже. Но явка — то, чем они гордятся больше всего.</p>'
            '<p><b>«Вас финансируют из-за границы».</b> Этот блог стоит ноль сомони. Почитайте '
            '<a href="' + PG1 + '">«итоги семилетки»</a> и спросите себя, кто тут тратит деньги.</p>'
            '<p><b>«Соцсети — это не народ».</b> Согласна. Но даже '
            '<a href="' + N1 + '?utm_source=blogger&amp;utm_medium=referral">блогеры, далёкие от политики</a>, '
            'видят, что спор впервые вышел наружу.</p>'),
    },
    {
        "post_id": "1148825670032559981", "url": B3, "when": wdt("11-07 19:05:00", TJT), "replies": 9,
        "labels": ["бойкот", "фото"], "title": "Пустые участки",
        "html": (
            '<p>Спасибо всем, кто прислал фотографии. Участок в Сино в полдень: три человека и скучающие '
            'члены комиссии. Участок в Кулябе: пусто.</p>'
            '<a name="more"></a>'
            '<p>Официальные цифры будут красивыми — в этом никто не сомневался. Но мы видели то, что видели. '
            'Спокойный и честный разбор того, что вообще было в сети перед выборами, — '
            '<a href="' + N2 + '#comments">у nigoh</a>.</p>'),
    },
]


def boycott_feed() -> str:
    posts = sorted(BOY_POSTS, key=lambda p: p["when"], reverse=True)
    ts = lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.000+05:00")
    author = ("<author><name>%s</name><uri>%s</uri><email>noreply@blogger.com</email>"
              "<gd:image rel='http://schemas.google.com/g/2005#thumbnail' width='16' height='16' "
              "src='https://img1.blogblog.com/img/b16-rounded.gif'/></author>" % (BOY_AUTHOR, BOY_PROFILE))
    labels = sorted({l for p in BOY_POSTS for l in p["labels"]})
    out = ["<?xml version='1.0' encoding='UTF-8'?>"
           "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' "
           "xmlns:blogger='http://schemas.google.com/blogger/2008' xmlns:georss='http://www.georss.org/georss' "
           "xmlns:gd=\"http://schemas.google.com/g/2005\" xmlns:thr='http://purl.org/syndication/thread/1.0'>",
           "<id>tag:blogger.com,1999:blog-%s</id>" % BLOG_ID,
           "<updated>%s</updated>" % ts(posts[0]["when"] + timedelta(minutes=14))]
    out += ["<category term='%s'/>" % l for l in labels]
    out += ["<title type='text'>Таҳрим-2013</title>",
            "<subtitle type='html'>Блог о бойкоте президентских выборов 6 ноября 2013 года. Выборы без выбора — не выборы.</subtitle>",
            "<link rel='http://schemas.google.com/g/2005#feed' type='application/atom+xml' href='%s/feeds/posts/default'/>" % BOY,
            "<link rel='self' type='application/atom+xml' href='http://www.blogger.com/feeds/%s/posts/default'/>" % BLOG_ID,
            "<link rel='alternate' type='text/html' href='%s/'/>" % BOY,
            "<link rel='hub' href='http://pubsubhubbub.appspot.com/'/>",
            author,
            "<generator version='7.00' uri='http://www.blogger.com'>Blogger</generator>",
            "<openSearch:totalResults>%d</openSearch:totalResults>" % len(posts),
            "<openSearch:startIndex>1</openSearch:startIndex>",
            "<openSearch:itemsPerPage>25</openSearch:itemsPerPage>"]
    for p in posts:
        pid = p["post_id"]
        out += ["<entry>",
                "<id>tag:blogger.com,1999:blog-%s.post-%s</id>" % (BLOG_ID, pid),
                "<published>%s</published>" % ts(p["when"]),
                "<updated>%s</updated>" % ts(p["when"] + timedelta(minutes=RNG.randint(3, 90)))]
        out += ["<category scheme='http://www.blogger.com/atom/ns#' term='%s'/>" % l for l in p["labels"]]
        out += ["<title type='text'>%s</title>" % escape(p["title"]),
                "<content type='html'>%s</content>" % escape(p["html"]),
                "<link rel='replies' type='application/atom+xml' href='%s/feeds/%s/comments/default' "
                "title='Комментарии к сообщению'/>" % (BOY, pid),
                "<link rel='replies' type='text/html' href='%s#comment-form' title='Комментарии: %d'/>"
                % (p["url"], p["replies"]),
                "<link rel='edit' type='application/atom+xml' href='http://www.blogger.com/feeds/%s/posts/default/%s'/>"
                % (BLOG_ID, pid),
                "<link rel='self' type='application/atom+xml' href='http://www.blogger.com/feeds/%s/posts/default/%s'/>"
                % (BLOG_ID, pid),
                "<link rel='alternate' type='text/html' href='%s' title=%s/>"
                % (p["url"], "'" + escape(p["title"], {"'": "&apos;"}) + "'"),
                author,
                "<thr:total>%d</thr:total>" % p["replies"],
                "</entry>"]
    out += ["</feed>", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------
# Ground truth and seeds
# --------------------------------------------------------------------------

def blog_key(host: str, author: str | None = None) -> str:
    """netmap's canonical blog account key: the author name as the feed gives
    it, whitespace collapsed and lower-cased (netmap.keys.blog_account_key)."""
    if not author:
        return "blog:" + host.lower()
    return "blog:%s/%s" % (host.lower(), " ".join(author.split()).replace("/", "\u2215").lower())


def truth_rows() -> list[tuple[str, str]]:
    rows = [(tw_key(h), g) for h, _, g, *_ in TWITTER]
    rows.append((blog_key(NIGOH_HOST, NIGOH_AUTHOR), "neutral"))
    rows.append((blog_key(LJ_HOST, LJ_AUTHOR), "neutral"))
    rows.append((blog_key(PG_HOST), "supporter"))
    rows.append((blog_key(BOY_HOST, BOY_AUTHOR), "boycott"))
    for name, g in COMMENTERS.items():
        key = blog_key(NIGOH_HOST, name)
        if key not in dict(rows):
            rows.append((key, g))
    return rows


SEEDS = [
    ("twitter:vatandortj", "supporter"),
    ("https://twitter.com/obod_vatan", "supporter"),
    ("http://vatandor-info.tj/", "supporter"),
    ("twitter:ozod_sado", "critic"),
    ("https://twitter.com/TajNet_Watch", "critic"),
    ("twitter:fikri_ozod", "critic"),
    ("twitter:tahrim_tj", "boycott"),
    ("https://twitter.com/boykot_2013", "boycott"),
    ("twitter:ne_golosuy", "boycott"),
    ("twitter:silkroad_reporter", "neutral"),
    ("https://twitter.com/Khujand_Daily", "neutral"),
    ("twitter:media_lab_tj", "neutral"),
]


def seed_key(s: str) -> str:
    """How netmap's key conventions read a seed cell."""
    if s.startswith(("twitter:", "blog:")):
        return s
    parts = urlsplit(s)
    host = parts.hostname or ""
    if host in ("twitter.com", "www.twitter.com", "x.com"):
        return tw_key(parts.path.strip("/").split("/")[0])
    return blog_key(host)


def write_csv(path: Path, rows) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["account", "group"])
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


# --------------------------------------------------------------------------
# Write, validate, summarise
# --------------------------------------------------------------------------

def write_all() -> None:
    (HERE / "blogs").mkdir(exist_ok=True)
    (HERE / "twitter").mkdir(exist_ok=True)
    (HERE / "blogs/nigoh-blog.rss.xml").write_text(nigoh_feed(), encoding="utf-8")
    (HERE / "blogs/nigoh-blog-comments.rss.xml").write_text(nigoh_comments_feed(), encoding="utf-8")
    (HERE / "blogs/second-blog.atom.xml").write_text(lj_feed(), encoding="utf-8")
    (HERE / "blogs/pro-government.rss.xml").write_bytes(pg_feed().encode("cp1251"))
    (HERE / "blogs/boycott-blog.atom.xml").write_text(boycott_feed(), encoding="utf-8")
    with open(HERE / "twitter/tweets.jsonl", "w", encoding="utf-8") as f:
        for page in pages():
            f.write(json.dumps(page, ensure_ascii=False) + "\n")
    with open(HERE / "twitter/flat.jsonl", "w", encoding="utf-8") as f:
        for t in flat_lines():
            f.write(json.dumps(t, ensure_ascii=False) + "\n")
    write_csv(HERE / "truth.csv", truth_rows())
    write_csv(HERE / "seeds.csv", SEEDS)


def validate() -> dict:
    problems: list[str] = []
    for p in sorted((HERE / "blogs").glob("*.xml")):
        try:
            ET.parse(p)
        except ET.ParseError as e:
            problems.append("%s: %s" % (p.name, e))
    pg = (HERE / "blogs/pro-government.rss.xml").read_bytes()
    if not pg.startswith(b'<?xml version="1.0" encoding="windows-1251"?>'):
        problems.append("pro-government feed lacks the windows-1251 declaration")
    try:
        pg.decode("utf-8")
        problems.append("pro-government feed is valid UTF-8, expected cp1251 bytes")
    except UnicodeDecodeError:
        pass

    pages_ = [json.loads(l) for l in (HERE / "twitter/tweets.jsonl").read_text(encoding="utf-8").splitlines()]
    flat = [json.loads(l) for l in (HERE / "twitter/flat.jsonl").read_text(encoding="utf-8").splitlines()]
    all_users = {u["id"] for pg_ in pages_ for u in pg_["includes"]["users"]}
    seen_ids: set[str] = set()
    for n, page in enumerate(pages_, 1):
        users = {u["id"] for u in page["includes"]["users"]}
        inc = {t["id"] for t in page["includes"]["tweets"]}
        if page["meta"]["result_count"] != len(page["data"]):
            problems.append("page %d: result_count" % n)
        for t in page["data"] + page["includes"]["tweets"]:
            need = [t["author_id"]] + [m["id"] for m in t.get("entities", {}).get("mentions", [])]
            if "in_reply_to_user_id" in t:
                need.append(t["in_reply_to_user_id"])
            for uid in need:
                if uid not in users:
                    problems.append("page %d: tweet %s user %s not in includes.users" % (n, t["id"], uid))
            for k in ("hashtags", "mentions", "urls"):
                for e in t.get("entities", {}).get(k, []):
                    frag = t["text"][e["start"]:e["end"]]
                    want = {"hashtags": "#" + e.get("tag", ""), "mentions": "@" + e.get("username", ""),
                            "urls": e.get("url")}[k]
                    if frag != want:
                        problems.append("tweet %s: %s entity %r != %r" % (t["id"], k, frag, want))
        for t in page["data"]:
            if t["id"] in seen_ids:
                problems.append("duplicate tweet %s" % t["id"])
            seen_ids.add(t["id"])
            for r in t.get("referenced_tweets", []):
                if r["id"] not in inc:
                    problems.append("page %d: referenced %s not in includes.tweets" % (n, r["id"]))
    for t in flat:
        if t["id"] in seen_ids:
            problems.append("flat tweet %s also in pages" % t["id"])
        if t["author_id"] not in all_users:
            problems.append("flat author %s unknown" % t["author_id"])
        if "__twarc" not in t or t["author"]["id"] != t["author_id"]:
            problems.append("flat tweet %s malformed" % t["id"])

    truth = dict(csv.reader((HERE / "truth.csv").open(encoding="utf-8")))
    truth.pop("account")
    for s, g in list(csv.reader((HERE / "seeds.csv").open(encoding="utf-8")))[1:]:
        if truth.get(seed_key(s)) != g:
            problems.append("seed %s -> %s not in truth as %s" % (s, seed_key(s), g))
    # every twitter account in truth tweets; every blog key in truth shows up in a feed
    authors = {USER_BY_ID[t["author_id"]]["username"].lower() for t in TWEETS.values()}
    blog_text = "".join(p.read_bytes().decode("cp1251" if "pro-gov" in p.name else "utf-8")
                        for p in (HERE / "blogs").glob("*.xml"))
    for key in truth:
        if key.startswith("twitter:") and key[8:] not in authors:
            problems.append("truth %s never tweets" % key)
        if key.startswith("blog:"):
            host, _, who = key[5:].partition("/")
            if host not in blog_text or (who and who not in blog_text.lower()):
                problems.append("truth %s not found in feeds" % key)
    size = sum(p.stat().st_size for p in HERE.rglob("*")
               if p.is_file() and p.name not in ("make_dataset.py", "README.md"))
    if size > 400_000:
        problems.append("data files are %d bytes" % size)
    if problems:
        print("\n".join("PROBLEM: " + p for p in problems), file=sys.stderr)
        sys.exit(1)
    return {"size": size, "truth": truth}


def summary(info: dict) -> None:
    from collections import Counter
    kinds = Counter(META[t]["kind"] for t in TWEETS if t not in FLAT_IDS)
    blog_posts = (N0, N1, N2, N3, LJ1, LJ2, LJ3, PG1, PG2, PG3, B1, B2, B3)

    def post_of(url: str):
        for p in blog_posts:
            if url.split("?")[0].split("#")[0].replace("http://", "https://") == p.replace("http://", "https://"):
                return p
        return None

    shares = Counter()
    for tid in PAGE_IDS:
        for u in META[tid]["links"]:
            p = post_of(u)
            if p:
                shares[(META[tid]["kind"] == "retweet", p)] += 1
    print("accounts per group:", dict(Counter(info["truth"].values())), "total", len(info["truth"]))
    print("tweets in pages:", sum(kinds.values()), dict(kinds), "| flat:", len(FLAT_IDS))
    print("blog posts:", len(NIGOH_POSTS) + len(LJ_POSTS) + len(PG_POSTS) + len(BOY_POSTS),
          "| nigoh comments in feed:", len(NIGOH_COMMENTS))
    print("tweets.jsonl tweets linking blog posts (own tweet / retweet):")
    for p in blog_posts:
        if shares[(False, p)] or shares[(True, p)]:
            print("   %-62s %2d / %2d" % (p, shares[(False, p)], shares[(True, p)]))
    rt_of = Counter(USER_BY_ID[TWEETS[META[t]["of"]]["author_id"]]["username"]
                    for t in TWEETS if META[t]["kind"] == "retweet" and t not in FLAT_IDS)
    print("most retweeted accounts:", rt_of.most_common(6))
    print("key tweet:", KEY_TWEET_URL, "retweets:", TWEETS[NAMED["KEY"]]["public_metrics"]["retweet_count"])
    print("data files: %d bytes" % info["size"])


if __name__ == "__main__":
    write_all()
    summary(validate())


# --------------------------------------------------------------------------
# Facebook and Odnoklassniki
# --------------------------------------------------------------------------
# make_fb_ok.py writes facebook/ and ok/ and appends their accounts to
# truth.csv, which write_all() above has just rewritten without them.

if __name__ == "__main__":
    import runpy

    runpy.run_path(str(HERE / "make_fb_ok.py"), run_name="__main__")
