"""Everything that changes protocols data, one module per area:

* ``counts`` — counting a contest with the engine;
* ``protocol`` — drafts, control checks, signatures, corrections, complaints;
* ``pdf`` — rendering, signing (PAdES) and storing protocol PDFs;
* ``aggregation`` — transmission of precinct protocols, TEC summary tables, the CEC result,
  preliminary figures;
* ``publication`` — publishing results, subscribers and results mail;
* ``archive`` — archive ZIPs and the purge of personal data after them.

Import from the module itself (``from protocols.services.protocol import protocol_sign``).
"""

from .counts import contest_count

__all__ = ["contest_count"]
