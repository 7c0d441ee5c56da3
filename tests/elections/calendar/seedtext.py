"""Reading the dates printed in a seed's deadline cell, by the plan's conventions."""

import re
from datetime import datetime, timedelta

MONTHS = {
    "января": 1,
    "февраля": 2,
    "марта": 3,
    "апреля": 4,
    "мая": 5,
    "июня": 6,
    "июля": 7,
    "августа": 8,
    "сентября": 9,
    "октября": 10,
    "ноября": 11,
    "декабря": 12,
}
_DATE = re.compile(
    r"(?P<pre>до 24\.00 часов|[Дд]о|с|в 8\.00ч\.)?\s*\(?(?P<d>\d{1,2}) (?P<m>" + "|".join(MONTHS) + r")"
    r"(?: (?P<y>\d{4}) года)?(?P<post> с 8\.00 до 20\.00 часов)?"
)


def printed_instants(text: str, default_year: int) -> set[datetime]:
    """Local instants printed in ``text``:

    "до D" -> D 00:00; "до 24.00 часов D" -> D+1 00:00; "в 8.00ч. D" -> D 08:00;
    "с D" or a bare "D" -> D 00:00 (a start or an exact day);
    "D с 8.00 до 20.00 часов" -> D 08:00 and D 20:00.
    """
    out: set[datetime] = set()
    for m in _DATE.finditer(text):
        day = datetime(int(m["y"] or default_year), MONTHS[m["m"]], int(m["d"]))
        pre = m["pre"]
        if m["post"]:
            out |= {day.replace(hour=8), day.replace(hour=20)}
        elif pre == "до 24.00 часов":
            out.add(day + timedelta(days=1))
        elif pre == "в 8.00ч.":
            out.add(day.replace(hour=8))
        else:
            out.add(day)
    return out


def yaml_instants(spec) -> set[datetime]:
    """The printed dates a template row claims (expected_start/expected_due/milestones[].expected);
    the due of an exact day (the next midnight) is implied, not printed."""
    out = set()
    if spec.expected_start:
        out.add(spec.expected_start)
    if spec.expected_due and spec.rule.kind != "exact_day":
        out.add(spec.expected_due)
    out |= {m.expected for m in spec.rule.milestones if m.expected}
    return out
