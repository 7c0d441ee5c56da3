"""The campaign between registration and voting (seed 003 items 15, 27–38, 40), by area:
``representatives`` (authorised representatives and proxies with their credentials), ``funds``
(the candidates' and parties' election funds, their three reports and the rows in them)."""

from .funds import CampaignFund, FundEntry, FundReport, FundRules
from .representatives import Representative

__all__ = ["CampaignFund", "FundEntry", "FundReport", "FundRules", "Representative"]
