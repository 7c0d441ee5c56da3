"""Regions of Kazakhstan (seed 000: the CCM elections count voters "and their geography").

The 17 regions (облысы) and 3 cities of republican significance as of 2024 (Abai, Zhetisu and
Ulytau regions were formed in 2022). A registration stores the code; the protocol counts by it.
"""

from django.utils.translation import gettext_lazy as _

REGIONS = [
    ("astana", _("Astana (city)")),
    ("almaty-city", _("Almaty (city)")),
    ("shymkent", _("Shymkent (city)")),
    ("abai", _("Abai Region")),
    ("akmola", _("Akmola Region")),
    ("aktobe", _("Aktobe Region")),
    ("almaty", _("Almaty Region")),
    ("atyrau", _("Atyrau Region")),
    ("east-kz", _("East Kazakhstan Region")),
    ("zhambyl", _("Zhambyl Region")),
    ("zhetisu", _("Zhetisu Region")),
    ("west-kz", _("West Kazakhstan Region")),
    ("karaganda", _("Karaganda Region")),
    ("kostanay", _("Kostanay Region")),
    ("kyzylorda", _("Kyzylorda Region")),
    ("mangystau", _("Mangystau Region")),
    ("pavlodar", _("Pavlodar Region")),
    ("north-kz", _("North Kazakhstan Region")),
    ("turkistan", _("Turkistan Region")),
    ("ulytau", _("Ulytau Region")),
    ("abroad", _("Outside Kazakhstan")),
]
REGION_LABELS = dict(REGIONS)
