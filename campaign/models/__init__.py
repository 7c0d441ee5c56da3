"""The campaign between registration and voting (seed 003 items 15, 27–38, 40), by area:
``representatives`` (authorised representatives and proxies with their credentials), ``funds``
(the candidates' and parties' election funds, their three reports and the rows in them), ``events``
(campaign events and places, media rates, notices to voters)."""

from .events import CampaignEvent, CampaignPlace, MediaRate, VoterNotice
from .funds import CampaignFund, FundEntry, FundReport, FundRules
from .representatives import Representative

__all__ = [
    "CampaignEvent",
    "CampaignPlace",
    "MediaRate",
    "VoterNotice",
    "CampaignFund",
    "FundEntry",
    "FundReport",
    "FundRules",
    "Representative",
]
