"""关怀版: large text and high contrast, remembered per visitor in a cookie."""

CARE_MODE_COOKIE = "yjs_care"
CARE_MODE_MAX_AGE = 365 * 24 * 60 * 60


def is_care_mode(request) -> bool:
    return request.COOKIES.get(CARE_MODE_COOKIE) == "1"
