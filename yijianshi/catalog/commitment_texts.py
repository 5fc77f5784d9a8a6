"""告知承诺书 versions: recorded when an item is published with a text that differs from its latest one."""

from yijianshi.catalog.models import CommitmentText
from yijianshi.core.crypto import sm3_hex

PARTS = ("conditions", "content", "liability")


def text_digest(text: dict) -> str:
    """SM3 over what an applicant is shown: the three parts, each labelled, in order."""
    shown = "\n".join(f"{part}:{text[part]}" for part in PARTS)
    return sm3_hex(shown.encode("utf-8"))


def commitment_texts_record(items: dict[str, tuple[int, dict]]) -> int:
    """For published items (code → (item id, item entry)) that allow commitments, store their text as a new version
    where it differs from the latest; return how many were stored."""
    wanted = {
        code: (item_id, entry["commitment"]["text"])
        for code, (item_id, entry) in items.items()
        if entry["commitment_allowed"] and all(entry["commitment"]["text"][p].strip() for p in PARTS)
    }
    if not wanted:
        return 0
    latest: dict[int, tuple[int, str]] = {}
    for item_id, version, digest in CommitmentText.objects.filter(
        item_id__in=[item_id for item_id, _text in wanted.values()]
    ).values_list("item_id", "version", "digest"):
        if version > latest.get(item_id, (0, ""))[0]:
            latest[item_id] = (version, digest)
    new = []
    for item_id, text in wanted.values():
        digest = text_digest(text)
        version, current = latest.get(item_id, (0, ""))
        if digest != current:
            new.append(
                CommitmentText(item_id=item_id, version=version + 1, digest=digest, **{p: text[p] for p in PARTS})
            )
    CommitmentText.objects.bulk_create(new)
    return len(new)


def latest_texts(codes) -> dict[str, CommitmentText]:
    """The text applicants sign now, per item code (items without one are left out)."""
    texts: dict[str, CommitmentText] = {}
    for text in CommitmentText.objects.filter(item__code__in=list(codes)).select_related("item").order_by("version"):
        texts[text.item.code] = text
    return texts
