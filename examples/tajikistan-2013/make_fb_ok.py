#!/usr/bin/env python3
"""Write the Facebook and Odnoklassniki part of the invented "Tajikistan 2013" example.

Everything here is made up, like the rest of the example (see README.md). The
files follow the real formats netmap reads:

* ``facebook/crowdtangle-pages.csv``: a CrowdTangle page-list export (2021
  column set; the dashboard's time zone is US Eastern, so times before
  3 November 2013 end in ``EDT`` and later ones in ``EST``; counts with
  thousands separators);
* ``ok/topics.json``: an Odnoklassniki ``mediatopic.getByIds`` response with
  ``entities`` (users, groups);
* ``ok/comments.json``: a ``discussions.getComments`` response, saved inside a
  ``{"request", "response"}`` wrapper that names the discussion.

It then appends the new accounts to ``truth.csv`` (once) and checks what it
wrote. ``make_dataset.py`` runs it at its end; run it alone with
``python3 examples/tajikistan-2013/make_fb_ok.py``.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
# US Eastern daylight time ended on 3 November 2013 at 06:00 UTC (no tz database needed).
DST_END_2013 = datetime(2013, 11, 3, 6, 0, tzinfo=UTC)

MAIN = "https://nigoh.wordpress.com/2013/10/28/sotsseti-vybory-2013/"
PG1 = "http://vatandor-info.tj/news/politics/1842-itogi-semiletki.html"
PG3 = "http://vatandor-info.tj/news/politics/1891-vybory-proshli-spokoyno.html"
B1 = "http://tahrim2013.blogspot.com/2013/10/blog-post.html"
B2 = "http://tahrim2013.blogspot.com/2013/11/blog-post.html"

# ---------------------------------------------------------------------------
# Facebook (CrowdTangle)

CT_SCORE = ("Overperforming Score (weighted  \u2014  Likes 1x Shares 1x Comments 1x Love 1x "
            "Wow 1x Haha 1x Sad 1x Angry 1x Care 1x )")
CT_HEADER = [
    "Page Name", "User Name", "Facebook Id", "Page Category", "Page Admin Top Country",
    "Page Description", "Page Created", "Likes at Posting", "Followers at Posting",
    "Post Created", "Post Created Date", "Post Created Time", "Type", "Total Interactions",
    "Likes", "Comments", "Shares", "Love", "Wow", "Haha", "Sad", "Angry", "Care",
    "Video Share Status", "Is Video Owner?", "Post Views", "Total Views",
    "Total Views For All Crossposts", "Video Length", "URL", "Message", "Link", "Final Link",
    "Image Text", "Link Text", "Description", "Sponsor Id", "Sponsor Name", "Sponsor Category",
    CT_SCORE,
]

# username -> (page name, facebook id, category, created, followers, group)
FB_PAGES = {
    "nigoh.tj": ("Нигоҳ", "100567890120001", "PERSONAL_BLOG", "2011-02-14 09:00:00", 2180,
                 "neutral"),
    "ozod.sado": ("Озод Садо", "100567890120002", "NEWS_SITE", "2012-01-09 12:30:00", 5920,
                  "critic"),
    "medialab.tj": ("Media Lab TJ", "100567890120003", "EDUCATION", "2012-09-01 08:00:00", 1310,
                    "neutral"),
    "vatandor.tj": ("Ватандор", "100567890120004", "MEDIA_NEWS_COMPANY", "2010-06-27 06:00:00",
                    18400, "supporter"),
    "tahrim.tj": ("Таҳрим 2013", "100567890120005", "COMMUNITY", "2013-09-20 17:45:00", 860,
                  "boycott"),
}
# A profile that was deleted later: CrowdTangle keeps its id only.
FB_DELETED = "100004561237890"


def eastern(day: str) -> tuple[str, str, str]:
    """CrowdTangle's Post Created / Date / Time for a UTC time, in the dashboard's zone."""
    utc = datetime.strptime(day, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    zone, hours = ("EDT", 4) if utc < DST_END_2013 else ("EST", 5)
    when = utc - timedelta(hours=hours)
    return (when.strftime("%Y-%m-%d %H:%M:%S ") + zone, when.strftime("%Y-%m-%d"),
            when.strftime("%H:%M:%S"))


def fmt(n: int) -> str:
    return f"{n:,}"


def ct_post(user: str | None, post_id: str, utc: str, ptype: str, message: str = "",
            link: str = "", final_link: str = "", link_text: str = "", likes: int = 0,
            comments: int = 0, shares: int = 0, angry: int = 0, love: int = 0,
            image_text: str = "", score: str = "1.00") -> list[str]:
    created, day, clock = eastern(utc)
    if user:
        name, fb_id, category, page_created, followers, _ = FB_PAGES[user]
        url = f"https://www.facebook.com/{user}/posts/{post_id}"
    else:
        name = fb_id = category = page_created = ""
        followers = 0
        url = f"https://www.facebook.com/permalink.php?story_fbid={post_id}&id={FB_DELETED}"
    total = likes + comments + shares + angry + love
    row = {
        "Page Name": name, "User Name": user or "", "Facebook Id": fb_id,
        "Page Category": category, "Page Admin Top Country": "TJ" if user else "",
        "Page Description": "", "Page Created": page_created,
        "Likes at Posting": fmt(int(followers * 0.93)) if user else "",
        "Followers at Posting": fmt(followers) if user else "",
        "Post Created": created, "Post Created Date": day, "Post Created Time": clock,
        "Type": ptype, "Total Interactions": fmt(total), "Likes": fmt(likes),
        "Comments": fmt(comments), "Shares": fmt(shares), "Love": str(love), "Wow": "0",
        "Haha": "0", "Sad": "0", "Angry": str(angry), "Care": "0", "URL": url,
        "Message": message, "Link": link, "Final Link": final_link, "Image Text": image_text,
        "Link Text": link_text, CT_SCORE: score,
    }
    return [row.get(h, "") for h in CT_HEADER]


def facebook_rows() -> list[list[str]]:
    return [
        ct_post("nigoh.tj", "10153101000000101", "2013-10-28 10:05:00", "Link",
                "Новый пост: соцсети наконец стали площадкой для спора о выборах.",
                link="http://bit.ly/1c0Nig0",
                final_link=MAIN + "?utm_source=facebook&utm_medium=social&utm_campaign=vybory2013",
                link_text="Соцсети и выборы-2013", likes=64, comments=9, shares=11),
        ct_post("ozod.sado", "10153101000000201", "2013-10-29 08:10:00", "Link",
                "Власти боятся интернета: на ТВ дебатов нет, а в Одноклассниках и Фейсбуке "
                "спорят. Читайте Нигоҳ.",
                link=MAIN + "?utm_source=facebook&utm_medium=social",
                final_link=MAIN + "?utm_source=facebook&utm_medium=social",
                link_text="Соцсети и выборы-2013", likes=1130, comments=87, shares=212, angry=41,
                score="3.12"),
        ct_post("medialab.tj", "10153101000000301", "2013-10-30 13:00:00", "Link",
                link="http://nigoh.wordpress.com/2013/10/28/sotsseti-vybory-2013/?fbclid=IwAR2nG0hX1",
                link_text="Соцсети и выборы-2013", likes=38, shares=6),
        ct_post("vatandor.tj", "10153101000000401", "2013-10-22 15:00:00", "Link",
                "Итоги семилетки: дороги, школы, свет. За стабильность!",
                link=PG1 + "?utm_source=facebook", final_link=PG1 + "?utm_source=facebook",
                link_text="Итоги семилетки", likes=2310, comments=140, shares=305, love=12),
        ct_post("vatandor.tj", "10153101000000402", "2013-11-07 06:30:00", "Photo",
                "Овоз додем! Ҳама ба интихобот — сулҳ ва ваҳдат.",
                link="https://www.facebook.com/vatandor.tj/photos/a.4890.1073741826.4455/10153101000000402/?type=3",
                image_text="Интихобот 2013", likes=3020, comments=95, shares=120, love=40),
        ct_post("tahrim.tj", "10153101000000501", "2013-10-25 17:20:00", "Link",
                "Почему мы не пойдём на выборы: читайте и делитесь. #бойкот",
                link=B1 + "?utm_source=facebook", final_link=B1 + "?utm_source=facebook",
                link_text="Почему мы не пойдём голосовать", likes=410, comments=66, shares=97),
        ct_post("tahrim.tj", "10153101000000502", "2013-11-05 19:00:00", "Status",
                "6-уми ноябр ба интихобот наравед! Бойкот — ягона ҷавоб. #бойкот",
                likes=505, comments=120, shares=160, angry=9),
        ct_post(None, "10153101000000601", "2013-10-31 11:45:00", "Link",
                "Нигоҳ пишет, что дебаты ушли в сеть. Полезно почитать.",
                link=MAIN + "?utm_source=facebook_share", final_link=MAIN + "?utm_source=facebook_share",
                link_text="Соцсети и выборы-2013", likes=12, shares=1, score="-0.35"),
    ]


def crowdtangle_csv() -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(CT_HEADER)
    w.writerows(facebook_rows())
    return out.getvalue()


# ---------------------------------------------------------------------------
# Odnoklassniki

OK_GROUPS = {  # shortname -> (gid, name, members, group)
    "intikhobot2013": ("53120000000001", "Интихобот 2013: муҳокима", 4210, "neutral"),
    "vatandortj": ("53120000000002", "Ватандор", 15800, "supporter"),
    "tahrim2013": ("53120000000003", "Таҳрим — Бойкот 2013", 930, "boycott"),
}
OK_USERS = {  # uid -> (shortname or None, first name, last name, group)
    "575000000101": ("farzona.r", "Фарзона", "Раҳимова", "critic"),
    "575000000102": (None, "Ҷамшед", "Назаров", "supporter"),
    "575000000103": ("shahlo.m", "Шаҳло", "Мирзоева", "boycott"),
}


def ok_key(kind: str, ident: str) -> str:
    if kind == "group":
        return "ok:" + ident
    short = OK_USERS[ident][0]
    return "ok:" + (short if short else "user" + ident)


def out_link(url: str) -> str:
    """OK's 2013 outbound-link wrapper."""
    return "http://www.odnoklassniki.ru/dk?st.cmd=outLinkWarning&st.rfn=" + quote(url, safe="")


def ms(utc: str) -> int:
    return int(datetime.strptime(utc, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp() * 1000)


def topic(tid: str, utc: str, author: str, owner: str, media: list[dict], comments: int,
          likes: int, reshares: int) -> dict:
    return {
        "id": tid, "created_ms": ms(utc), "media": media, "author_ref": author,
        "owner_ref": owner, "has_more": False, "is_commenting_denied": False,
        # the API writes counts as numbers; some clients re-save them as strings
        "discussion_summary": {"comments_count": comments},
        "like_summary": {"count": str(likes), "self": False},
        "reshare_summary": {"count": reshares, "self": False, "reshare_possible": True},
    }


def gref(short: str) -> str:
    return "group:" + OK_GROUPS[short][0]


T_MAIN = "62700000001001"
T_VATANDOR = "62700000001003"


def ok_topics() -> dict:
    farzona, jamshed, shahlo = "user:575000000101", "user:575000000102", "user:575000000103"
    topics = [
        topic(T_MAIN, "2013-10-29 05:30:00", gref("intikhobot2013"), gref("intikhobot2013"), [
            {"type": "text", "text": "Блогер Нигоҳ пишет, что спор о выборах переехал в "
                                     "Одноклассники и Фейсбук. Согласны?"},
            {"type": "link", "url": out_link(MAIN + "?utm_source=odnoklassniki&utm_medium=social"),
             "title": "Соцсети и выборы-2013", "description": "nigoh.wordpress.com"},
        ], 4, 57, 9),
        topic("62700000001002", "2013-10-29 09:12:00", farzona, gref("intikhobot2013"), [
            {"type": "text", "text": "Правильно пишет! Власти боятся интернета: дебатов на ТВ "
                                     "нет. " + MAIN + "?utm_source=ok"},
        ], 2, 31, 3),
        topic(T_VATANDOR, "2013-10-22 16:00:00", gref("vatandortj"), gref("vatandortj"), [
            {"type": "text", "text": "Итоги семилетки: дороги, школы, свет. Ватани обод!"},
            {"type": "link", "url": out_link(PG1 + "?utm_source=ok"), "title": "Итоги семилетки"},
        ], 12, 1204, 88),
        topic("62700000001004", "2013-10-23 07:40:00", jamshed, jamshed, [
            {"type": "text", "text": "Ҳақ гап! Сулҳ ва ваҳдат."},
            {"type": "reshare", "reshared_topic_ref": "media_topic:" + T_VATANDOR},
        ], 0, 4, 0),
        topic("62700000001005", "2013-11-02 15:00:00", gref("tahrim2013"), gref("tahrim2013"), [
            {"type": "text", "text": "Бойкот! Интихобот — тақлид. Не ходите на выборы. #бойкот"},
            {"type": "link", "url": out_link(B2 + "?utm_source=ok"),
             "title": "Вопросы и ответы о бойкоте"},
        ], 8, 140, 35),
        topic("62700000001006", "2013-11-02 18:20:00", shahlo, shahlo, [
            {"type": "reshare", "reshared_topic_ref": "media_topic:62700000001005"},
        ], 0, 2, 0),
        topic("62700000001007", "2013-11-06 04:10:00", gref("vatandortj"), gref("vatandortj"), [
            {"type": "photo", "photo_refs": ["group_photo:889100000001"]},
        ], 3, 640, 12),
    ]
    users = []
    for uid, (short, first, last, _) in OK_USERS.items():
        u = {"uid": uid, "first_name": first, "last_name": last, "name": f"{first} {last}",
             "gender": "female" if first in ("Фарзона", "Шаҳло") else "male",
             "location": {"city": "Душанбе", "country": "TAJIKISTAN", "countryCode": "TJ"},
             "url_profile": f"https://ok.ru/{short}" if short else f"https://ok.ru/profile/{uid}"}
        users.append(u)
    groups = [{"uid": gid, "name": name, "shortname": short, "members_count": members,
               "description": ""} for short, (gid, name, members, _) in OK_GROUPS.items()]
    return {"media_topics": topics, "entities": {"users": users, "groups": groups}}


def ok_comments() -> dict:
    return {
        "request": {"method": "discussions.getComments",
                    "params": {"discussionId": T_MAIN, "discussionType": "GROUP_TOPIC",
                               "count": "100", "order": "FIRST"}},
        "response": {
            "comments": [
                {"id": "MTM4MzAzMDAwMDAwMDoxMDAx", "text": "Шумо хато мекунед: интихобот озод "
                 "аст, ҳама ба интихобот!", "author_id": "575000000102", "author_type": "USER",
                 "date": "2013-10-29 06:10:00", "like_count": 3},
                {"id": "MTM4MzAzMDAwMDAwMDoxMDAy", "text": "Озод? На ТВ нет дебатов, одна имитация.",
                 "author_id": "575000000101", "author_type": "USER",
                 "date": "2013-10-29 06:25:00", "reply_to_comment_id": "MTM4MzAzMDAwMDAwMDoxMDAx",
                 "like_count": 7},
                {"id": "MTM4MzAzMDAwMDAwMDoxMDAz", "text": "Не ходите голосовать вообще.",
                 "author_id": "575000000103", "author_type": "USER",
                 "date": "2013-10-29 07:02:00", "reply_to_id": "575000000101", "like_count": 1},
                {"id": "MTM4MzAzMDAwMDAwMDoxMDA0", "text": "Просим спорить вежливо.",
                 "author_id": OK_GROUPS["intikhobot2013"][0], "author_type": "GROUP",
                 "date": "2013-10-29 08:00:00", "like_count": 0},
            ],
            "has_more": False, "anchor": "MTM4MzAzMDAwMDAwMDoxMDA0",
        },
    }


# ---------------------------------------------------------------------------


def truth_rows() -> list[tuple[str, str]]:
    rows = [(f"facebook:{user}", g) for user, (*_, g) in FB_PAGES.items()]
    rows.append((f"facebook:{FB_DELETED}", "neutral"))
    rows += [(f"ok:{short}", g) for short, (*_, g) in OK_GROUPS.items()]
    rows += [(ok_key("user", uid), g) for uid, (*_, g) in OK_USERS.items()]
    return rows


def append_truth() -> None:
    path = HERE / "truth.csv"
    text = path.read_text(encoding="utf-8")
    have = {line.split(",", 1)[0] for line in text.splitlines()}
    new = [f"{k},{g}\n" for k, g in truth_rows() if k not in have]
    if new:
        path.write_text(text + ("" if text.endswith("\n") else "\n") + "".join(new),
                        encoding="utf-8")


def write_all() -> None:
    (HERE / "facebook").mkdir(exist_ok=True)
    (HERE / "ok").mkdir(exist_ok=True)
    (HERE / "facebook" / "crowdtangle-pages.csv").write_bytes(crowdtangle_csv().encode("utf-8"))
    for name, obj in (("topics.json", ok_topics()), ("comments.json", ok_comments())):
        (HERE / "ok" / name).write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
    append_truth()


def validate() -> None:
    problems: list[str] = []
    with open(HERE / "facebook" / "crowdtangle-pages.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if any(len(r) != len(CT_HEADER) for r in rows):
        problems.append("crowdtangle-pages.csv: a row has the wrong number of fields")
    topics = json.loads((HERE / "ok" / "topics.json").read_text(encoding="utf-8"))
    comments = json.loads((HERE / "ok" / "comments.json").read_text(encoding="utf-8"))
    truth = dict(csv.reader((HERE / "truth.csv").open(encoding="utf-8")))
    fb_seen = {f"facebook:{r['User Name'] or r['URL'].rsplit('id=', 1)[-1]}" for r in rows}
    refs = {t["author_ref"] for t in topics["media_topics"]}
    refs |= {("group:" if c.get("author_type") == "GROUP" else "user:") + c["author_id"]
             for c in comments["response"]["comments"]}
    by_gid = {gid: short for short, (gid, *_) in OK_GROUPS.items()}
    ok_seen = {ok_key("group", by_gid[r[6:]]) if r.startswith("group:") else ok_key("user", r[5:])
               for r in refs}
    for key, _ in truth_rows():
        if truth.get(key) is None:
            problems.append(f"truth.csv lacks {key}")
        if key not in fb_seen | ok_seen:
            problems.append(f"truth account {key} never posts")
    shares_main = sum(1 for r in rows if MAIN.split("//")[1].rstrip("/") in
                      (r["Final Link"] or r["Link"]))
    if shares_main != 4:
        problems.append(f"expected 4 Facebook posts linking the main post, found {shares_main}")
    if problems:
        print("\n".join("PROBLEM: " + p for p in problems), file=sys.stderr)
        sys.exit(1)
    print(f"facebook: {len(rows)} CrowdTangle rows ({shares_main} link the main post); "
          f"ok: {len(topics['media_topics'])} topics, "
          f"{len(comments['response']['comments'])} comments; "
          f"{len(truth_rows())} accounts added to truth.csv")


if __name__ == "__main__":
    write_all()
    validate()
