"""Pages of ballot papers and the voting day: the print run (CEC), the precincts' days (PEC,
observers), the public turnout by hour."""

from .day import DayListView, DayView
from .print_run import PrintRunCsvView, PrintRunPdfView, PrintRunView
from .turnout import TurnoutView

__all__ = ["DayListView", "DayView", "PrintRunCsvView", "PrintRunPdfView", "PrintRunView", "TurnoutView"]
