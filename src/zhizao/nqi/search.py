"""Full-text search of the one-stop catalogue: a request in plain words
("40 把扭力扳手线上审核前要校准",
"our cemented-carbide inserts are exported to the EU: which standards apply?") ranks the
catalogue's services.

Text is segmented (jieba for Chinese; English words lower-cased and cut to a crude stem so that
"calibrate", "calibration" and "calibrated" meet) into space-separated terms; the offering
keeps its terms in ``search_text``. The database then searches those terms:

* PostgreSQL: ``to_tsvector('simple', search_text)`` with a GIN index on that expression
  (migration ``nqi.0002``), queried with the request's terms OR-ed, ranked by ``ts_rank``;
* SQLite (the embedded default): an FTS5 table ``nqi_offering_fts`` kept by
  :func:`index_offering`, ranked by ``bm25``.

Neither is substring matching: a service is found by the words it shares with the request.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import jieba  # type: ignore[import-untyped]
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection

from zhizao.nqi.models import ServiceOffering

jieba.setLogLevel(logging.WARNING)
FTS_TABLE = "nqi_offering_fts"
SEARCH_CONFIG = "simple"
MAX_TERMS = 40

# Domain words jieba's dictionary splits wrongly or not at all.
DOMAIN_WORDS = (
    "扭力扳手",
    "硬质合金",
    "轨道交通",
    "计量校准",
    "型式试验",
    "能力验证",
    "体系认证",
    "团体标准",
    "标准查新",
    "出口认证",
    "技术法规",
    "无损检测",
    "失效分析",
    "首件检验",
    "来料检验",
    "供应商审核",
    "量值溯源",
)
for _word in DOMAIN_WORDS:
    jieba.add_word(_word, freq=20000)

STOPWORDS = frozenset(
    [
        "的",
        "了",
        "要",
        "在",
        "是",
        "我",
        "我们",
        "你",
        "你们",
        "他们",
        "和",
        "与",
        "及",
        "或",
        "把",
        "被",
        "对",
        "给",
        "让",
        "将",
        "从",
        "到",
        "为",
        "于",
        "有",
        "吗",
        "呢",
        "吧",
        "啊",
        "哪些",
        "什么",
        "怎么",
        "如何",
        "怎样",
        "一下",
        "一些",
        "这",
        "那",
        "这个",
        "那个",
        "需要",
        "想",
        "请",
        "帮",
        "帮忙",
        "能",
        "能否",
        "可以",
        "之前",
        "前",
        "后",
        "个",
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "please",
        "that",
        "the",
        "their",
        "them",
        "this",
        "to",
        "us",
        "we",
        "what",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
        "need",
        "needs",
        "want",
    ]
)
WORD = re.compile(r"^\w+$")
ASCII_WORD = re.compile(r"^[a-z]+$")


def _stem(word: str) -> str:
    """A crude English suffix stripper, the same for the index and the query."""
    if not ASCII_WORD.match(word) or len(word) <= 4:
        return word
    if word.endswith("ation") and len(word) > 7:
        word = word[: -len("ation")] + "at"
    elif word.endswith("ies") and len(word) > 5:
        word = word[:-3] + "y"
    elif word.endswith("ing") and len(word) > 6:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 5:
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The search terms of ``text``: jieba's search-mode words, lower-cased and stemmed,
    without punctuation and stop words, in order, each once."""
    seen: dict[str, None] = {}
    for word in jieba.cut_for_search(text.lower()):
        word = word.strip()
        if not word or word in STOPWORDS or not WORD.match(word):
            continue
        seen.setdefault(_stem(word), None)
    return list(seen)[:MAX_TERMS] if len(seen) > MAX_TERMS else list(seen)


def offering_text(offering: ServiceOffering) -> str:
    return " ".join(
        terms(
            " ".join(
                (
                    offering.title,
                    offering.title_en,
                    offering.keywords,
                    offering.description,
                    offering.description_en,
                )
            )
        )
    )


def index_offering(offering: ServiceOffering) -> None:
    """Store the offering's terms (``search_text``) and, on SQLite, its FTS5 row. Called by
    the catalogue's services inside their transaction."""
    text = offering_text(offering)
    ServiceOffering.objects.filter(pk=offering.pk).update(search_text=text)
    offering.search_text = text
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [offering.pk])
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, search_text) VALUES (%s, %s)",
                [offering.pk, text],
            )


@dataclass(frozen=True)
class Hit:
    offering: ServiceOffering
    score: float  # higher is a better match


def rank(text: str, limit: int = 10) -> list[Hit]:
    """The catalogue's services that share words with ``text``, best first."""
    words = terms(text)
    if not words:
        return []
    if connection.vendor == "postgresql":
        scores = _rank_postgresql(words, limit)
    else:
        scores = _rank_sqlite(words, limit)
    offerings = ServiceOffering.objects.in_bulk([pk for pk, _score in scores])
    return [Hit(offerings[pk], score) for pk, score in scores if pk in offerings]


def _rank_postgresql(words: list[str], limit: int) -> list[tuple[int, float]]:
    query = SearchQuery(" | ".join(words), search_type="raw", config=SEARCH_CONFIG)
    vector = SearchVector("search_text", config=SEARCH_CONFIG)
    rows = (
        ServiceOffering.objects.annotate(vector=vector)
        .filter(vector=query)
        .annotate(score=SearchRank(vector, query))
        .order_by("-score", "pk")
        .values_list("pk", "score")[:limit]
    )
    return [(pk, float(score)) for pk, score in rows]


def _rank_sqlite(words: list[str], limit: int) -> list[tuple[int, float]]:
    match = " OR ".join(f'"{word}"' for word in words)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, bm25({FTS_TABLE}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"ORDER BY bm25({FTS_TABLE}), rowid LIMIT %s",
            [match, limit],
        )
        return [(pk, -float(score)) for pk, score in cursor.fetchall()]
