"""Make a group protocol's draft ready to sign, as a commission would: the observers present and
the three texts entered, and every difference from the portal's own count explained (a fixture's
figures are made up and rarely equal what the portal counted)."""

from protocols.models import Protocol
from protocols.selectors import protocol_checks
from protocols.services.protocol import protocol_update

RECOUNT = "Ручной пересчёт бюллетеней дал это число; расхождение с подсчётом портала занесено в протокол."


def complete_group(protocol: Protocol, actor, *, observers: int = 0) -> Protocol:
    figures = dict(protocol.figures)
    figures.setdefault("observers", observers)
    update = {"figures": figures}
    for field, text in (
        ("process_description", "Голосование и подсчёт прошли по положению о выборах."),
        ("observers_note", "Наблюдателей не было."),
        ("decision_text", "Решение об избрании принято по итогам подсчёта."),
    ):
        if not (getattr(protocol, field) or "").strip():
            update[field] = text
    protocol = protocol_update(protocol=protocol, actor=actor, **update)
    explanations = dict(protocol.check_explanations)
    for check in protocol_checks(protocol):
        if check.code.startswith("source_") and not check.ok and not check.explanation:
            explanations[check.code] = RECOUNT
    if explanations != protocol.check_explanations:
        protocol = protocol_update(protocol=protocol, actor=actor, explanations=explanations)
    return protocol
