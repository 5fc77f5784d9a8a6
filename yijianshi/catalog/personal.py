"""A plan for whoever asks: the catalog's plan is the same for everyone, but a signed-in applicant also learns which
materials a license they hold stands in for (免提交) and which form fields their consented profile fills.

The catalog sits below licenses in the dependency order, so it does not import them: the licenses app registers the
function that knows what an applicant holds (`plan_personalizer_register`, in its AppConfig.ready)."""

from collections.abc import Callable

_personalizers: list[Callable[[dict, object], dict]] = []


def plan_personalizer_register(function: Callable[[dict, object], dict]) -> None:
    if function not in _personalizers:
        _personalizers.append(function)


def plan_personalize(plan: dict, principal) -> dict:
    """The plan as `principal` sees it (unchanged for anonymous callers and staff)."""
    for function in _personalizers:
        plan = function(plan, principal)
    return plan
