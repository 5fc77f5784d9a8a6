"""Search over the published catalog, the way people speak: jieba segmentation, synonyms and BM25 (bm25s).

Each process keeps one in-memory index of published life events and items and rebuilds it when the catalog's
generation counter moves (publishing and importing bump it). A query costs one indexed read of that counter.
"""

import html
import logging
import re
import threading
from dataclasses import dataclass, field

import bm25s
import jieba
import numpy as np

from yijianshi.catalog.models import SearchSynonym
from yijianshi.catalog.selectors import SNAPSHOTS, current_item_versions, current_life_event_versions
from yijianshi.catalog.services import catalog_generation

logger = logging.getLogger(__name__)
jieba.setLogLevel(logging.WARNING)

NAME_WEIGHT = 4  # a word in the name or an alias counts as much as four in the guide text
# A life event does the whole thing at once; when it matches about as well as one of its items, it comes first.
LIFE_EVENT_BOOST = 1.5
SNIPPET_LENGTH = 60
PUNCTUATION = re.compile(r"^[\s\W_]+$", re.UNICODE)
# Domain words jieba's general dictionary splits badly.
DOMAIN_WORDS = [
    "新生儿", "出生医学证明", "预防接种证", "户口登记", "社会保障卡", "社保卡", "医保", "营业执照", "食品经营许可",
    "餐饮店", "一件事", "公积金", "残疾人证", "退休", "告知承诺", "容缺", "报装", "信用修复", "死亡证明",
]  # fmt: skip


def tokenize(text: str) -> list[str]:
    """Words of a text for indexing and querying: jieba's search segmentation, lower case, no punctuation."""
    return [t for t in (w.strip().lower() for w in jieba.cut_for_search(text or "")) if t and not PUNCTUATION.match(t)]


@dataclass
class Document:
    kind: str  # "life_event" or "item"
    code: str
    name: str
    aliases: list[str]
    text: str
    audience: str = ""
    department: str = ""

    def tokens(self) -> list[str]:
        weighted = " ".join([self.name, *self.aliases]) + " "
        return tokenize(weighted * NAME_WEIGHT + self.text)


@dataclass
class Index:
    generation: int
    documents: list[Document]
    synonyms: dict[str, list[str]]
    retriever: bm25s.BM25 | None = field(default=None, repr=False)
    boost: np.ndarray | None = field(default=None, repr=False)


_lock = threading.Lock()
_index: Index | None = None
_jieba_ready = False


def _ensure_jieba() -> None:
    global _jieba_ready
    if not _jieba_ready:
        for word in DOMAIN_WORDS:
            jieba.add_word(word)
        _jieba_ready = True


def build_index(generation: int) -> Index:
    """Index the live versions: what the public sees, not rows being edited."""
    _ensure_jieba()
    documents = []
    for snapshot in SNAPSHOTS.many(list(current_life_event_versions().order_by("life_event__code"))):
        event, items, departments = snapshot["life_event"], snapshot["items"], snapshot["departments"]
        documents.append(
            Document(
                kind="life_event",
                code=event["code"],
                name=event["name"],
                aliases=list(event["aliases"]),
                text=" ".join([event["description"], *(items[m["item"]]["name"] for m in event["items"])]),
                audience=event["audience"],
                department=departments[event["lead_department"]]["name"],
            )
        )
    for snapshot in SNAPSHOTS.many(list(current_item_versions().order_by("item__code"))):
        item = next(iter(snapshot["items"].values()))
        department = snapshot["departments"][item["department"]]["name"]
        documents.append(
            Document(
                kind="item",
                code=item["code"],
                name=item["name"],
                aliases=list(item["aliases"]),
                text=" ".join([item["applicable_to"], item["conditions"], item["result"]["name"], department]),
                department=department,
            )
        )
    synonyms = {s.term: list(s.expansions) for s in SearchSynonym.objects.all()}
    retriever = None
    if documents:
        retriever = bm25s.BM25()
        retriever.index([d.tokens() for d in documents], show_progress=False)
    boost = np.array([LIFE_EVENT_BOOST if d.kind == "life_event" else 1.0 for d in documents])
    return Index(generation=generation, documents=documents, synonyms=synonyms, retriever=retriever, boost=boost)


def current_index() -> Index:
    """This process's index, rebuilt when the published catalog has changed since it was built."""
    global _index
    generation = catalog_generation()
    if _index is None or _index.generation != generation:
        with _lock:
            if _index is None or _index.generation != generation:
                _index = build_index(generation)
                logger.info("search index built", extra={"documents": len(_index.documents), "generation": generation})
    return _index


def query_terms(index: Index, query: str) -> list[str]:
    """The query's words plus what its colloquial phrases mean in the catalog's words."""
    normalized = query.strip().lower()
    terms = tokenize(normalized)
    for term, expansions in index.synonyms.items():
        if term in normalized:
            for expansion in expansions:
                terms += tokenize(expansion)
    return list(dict.fromkeys(terms))


def _highlight(text: str, terms: list[str]) -> str:
    """The text as HTML with each query word wrapped in <mark>: matched in the plain text, then escaped piece by
    piece (matching escaped text would find "amp" inside "&amp;")."""
    words = sorted({t for t in terms if t}, key=len, reverse=True)
    if not words:
        return html.escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces += [html.escape(text[last : match.start()]), f"<mark>{html.escape(match.group(0))}</mark>"]
        last = match.end()
    pieces.append(html.escape(text[last:]))
    return "".join(pieces)


def _snippet(text: str, terms: list[str]) -> str:
    text = " ".join(text.split())
    positions = [text.lower().find(t) for t in terms if t and t in text.lower()]
    start = max(min(positions) - 15, 0) if positions else 0
    piece = text[start : start + SNIPPET_LENGTH]
    return ("…" if start else "") + piece + ("…" if start + SNIPPET_LENGTH < len(text) else "")


def search(query: str, *, limit: int = 10, kind: str | None = None) -> dict:
    """Life events and items matching the query, best first, with highlights."""
    index = current_index()
    terms = query_terms(index, query)
    if not terms or index.retriever is None:
        return {"query": query, "terms": terms, "results": []}
    scores = index.retriever.get_scores(terms) * index.boost
    if kind:
        scores = scores * np.array([d.kind == kind for d in index.documents])
    candidates = np.flatnonzero(scores > 0)
    if len(candidates) > limit:
        candidates = candidates[np.argpartition(-scores[candidates], limit)[:limit]]
    ranked = sorted(
        candidates, key=lambda i: (-scores[i], index.documents[i].kind != "life_event", index.documents[i].code)
    )
    results = []
    for position in ranked[:limit]:
        document = index.documents[position]
        results.append(
            {
                "kind": document.kind,
                "code": document.code,
                "name": document.name,
                "highlight": _highlight(document.name, terms),
                "snippet": _highlight(_snippet(document.text, terms), terms),
                "department": document.department,
                "audience": document.audience,
                "score": round(float(scores[position]), 4),
            }
        )
    return {"query": query, "terms": terms, "results": results}


def suggest(query: str, *, limit: int = 6) -> list[dict]:
    """What to offer while someone is still typing: names and aliases containing what was typed come first (half a
    word is enough: "开办" finds 开办餐饮店), then the best search matches for the rest."""
    index = current_index()
    typed = " ".join(query.split()).lower()
    if not typed:
        return []
    named = [d for d in index.documents if typed in d.name.lower() or any(typed in a.lower() for a in d.aliases)]
    named.sort(key=lambda d: (d.kind != "life_event", not d.name.lower().startswith(typed), len(d.name), d.code))
    chosen = named[:limit]
    terms = query_terms(index, query)
    if len(chosen) < limit:
        taken = {(d.kind, d.code) for d in chosen}
        scores = index.retriever.get_scores(terms) * index.boost if index.retriever and terms else []
        for position in sorted(np.flatnonzero(np.asarray(scores) > 0), key=lambda i: -scores[i]):
            document = index.documents[position]
            if (document.kind, document.code) not in taken:
                chosen.append(document)
                if len(chosen) == limit:
                    break
    terms = [typed, *terms]
    return [
        {
            "kind": d.kind,
            "code": d.code,
            "name": d.name,
            "highlight": _highlight(d.name, terms),
            "department": d.department,
        }
        for d in chosen
    ]
