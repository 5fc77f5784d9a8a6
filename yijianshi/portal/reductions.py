"""What a life event saves, in plain words: 少交 12 份材料，少跑 5 次."""

from django.utils.translation import gettext as _

PHRASES = {
    "materials": lambda n: _("少交 %(n)d 份材料") % {"n": n},
    "visits": lambda n: _("少跑 %(n)d 次") % {"n": n},
    "days": lambda n: _("少等 %(n)d 个工作日") % {"n": n},
    "steps": lambda n: _("少走 %(n)d 个环节") % {"n": n},
}


def reduction_words(reductions: dict) -> str:
    """The savings against applying item by item, biggest first in the order people care about; "" if none."""
    saved = [(name, reductions[name]["before"] - reductions[name]["after"]) for name in PHRASES]
    return _("，").join(PHRASES[name](n) for name, n in saved if n > 0)
