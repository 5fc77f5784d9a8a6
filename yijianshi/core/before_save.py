"""What a row held before the save that is changing it: receivers that must also tell whoever it belonged to before
(a membership given to another user, a subscription moved to another system) read it here."""

from django.db.models.signals import pre_save


def keep_before_save(model, attname: str) -> None:
    """Before each save of a stored instance of `model`, keep what its row holds for `attname` (one read)."""

    def keep(sender, instance, **kwargs):
        if instance.pk is not None:
            held = sender.objects.filter(pk=instance.pk).values_list(attname, flat=True).first()
            instance.__dict__.setdefault("_held_before_save", {})[attname] = held

    pre_save.connect(keep, sender=model, weak=False, dispatch_uid=f"keep_before_save:{model._meta.label}:{attname}")


def now_and_before(instance, attname: str) -> set:
    """What the instance holds for `attname` and what its row held before its last save, None left out."""
    before = instance.__dict__.get("_held_before_save", {}).get(attname)
    return {getattr(instance, attname), before} - {None}
