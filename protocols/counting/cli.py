"""Command-line core of the ``tally`` command.

``main(argv, stdout, stderr) -> exit code`` never calls ``sys.exit``; the Django management
command wraps it.  Usage::

    tally --method plurality|approval|irv|stv-scottish|stv-meek|hare|dhondt|sainte-lague
          [--seats N] (--blt FILE | --votes FILE.csv | --ballots FILE.json|FILE.csv)
          [--threshold PCT] [--threshold-base participants|valid|list]
          [--alternates N] [--batch-elimination]
          [--tie-rule backwards|forwards|lot|commission] [--tie-fallback lot|commission]
          [--seed N] [--tie-order NAME ...]
          [--format json|text]

* ``--seats`` is required with ``--votes``; with ``--blt`` it defaults to the file's seat count.
* ``--ballots`` reads a contest's anonymised ballot set as the portal publishes it (``ballotset``):
  its JSON names the method, seats, alternates, threshold and tie rule (each option given on the
  command line overrides the file's) and its fingerprint, which is checked against its ballots;
  the CSV matrix needs ``--method`` and ``--seats``.
* plurality / approval count first preferences / every marked candidate of a BLT file, or the
  numbers of a votes CSV; IRV and STV need ``--blt``; the list methods need ``--votes``.
* ``--threshold`` (percent of ``--threshold-base``, default ``valid``) applies to list methods only.
* ``--alternates`` (plurality default 1, approval default 0) and ``--batch-elimination`` (IRV).
* ``--tie-rule`` (default ``backwards``, falling back to ``--tie-fallback``, default ``lot``);
  ``--seed`` makes a lot reproducible (without it a seed is generated and reported);
  ``--tie-order`` (repeat it, most favoured first) is the commission's decision for a
  ``commission`` tie.

Exit codes: 0 count done (including "runoff needed" and unfilled seats), 1 an unexpected failure
of the engine (one line naming it; please report it), 2 bad arguments or a malformed input file
(the message names the line), 3 the count stopped at a tie for the commission (the report lists
the tied candidates), 130 interrupted (Ctrl-C). Never a traceback: every failure is one line on
stderr.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn, TextIO

from .ballotset import BallotSet, read_ballot_set, to_profile, to_vote_counts
from .blt import read_blt
from .dispatch import count
from .errors import CountingInputError
from .listvotes import read_list_votes
from .party_list import LIST_METHODS
from .report import to_json, to_text
from .ties import FALLBACK_RULES, TIE_RULES, TieBreaker
from .types import BASE_VALID, BASES, STATUS_TIE, Result

CLI_METHODS = ("plurality", "approval", "irv", "stv-scottish", "stv-meek", "hare", "dhondt", "sainte-lague")

RANKED = ("irv", "stv-scottish", "stv-meek")

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_TIE = 3
EXIT_INTERRUPTED = 130
#: more seats or alternates than any election fills (a party-list count works seat by seat)
MAX_SEATS = 10_000


class _UsageError(Exception):
    pass


class _Exit(Exception):
    def __init__(self, status: int):
        self.status = status


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting and prints to the given streams."""

    def __init__(self, stdout: TextIO, stderr: TextIO, **kwargs: object):
        self._out = stdout
        self._err = stderr
        super().__init__(exit_on_error=False, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._err.write(message)
        raise _Exit(status)

    def _print_message(self, message: str, file: TextIO | None = None) -> None:
        if message:
            (self._err if file is sys.stderr else self._out).write(message)


def build_parser(stdout: TextIO, stderr: TextIO) -> argparse.ArgumentParser:
    parser = _Parser(stdout, stderr, prog="tally", description="Count an election and print the report.")
    parser.add_argument(
        "--method", choices=CLI_METHODS, help="counting method (required, unless a JSON ballot set names it)"
    )
    parser.add_argument("--seats", type=int, help="seats to fill (default: from the BLT file)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--blt", metavar="FILE", help="ballot file in BLT format")
    source.add_argument("--votes", metavar="FILE.csv", help="CSV with columns name,votes,kind")
    source.add_argument(
        "--ballots", metavar="FILE", help="a contest's ballot set as the portal publishes it (JSON or CSV)"
    )
    parser.add_argument("--threshold", metavar="PCT", help="list methods: threshold in percent")
    parser.add_argument(
        "--threshold-base",
        choices=BASES,
        default=BASE_VALID,
        help="what the threshold is a percentage of (default: valid)",
    )
    parser.add_argument("--alternates", type=int, help="plurality/approval: alternates after the seats")
    parser.add_argument(
        "--batch-elimination", action="store_true", help="irv: exclude together all candidates who cannot win"
    )
    parser.add_argument(
        "--tie-rule",
        choices=TIE_RULES,
        help="how ties are resolved (default: backwards, or the ballot set's)",
    )
    parser.add_argument(
        "--tie-fallback",
        choices=FALLBACK_RULES,
        help="when backwards/forwards cannot decide (default: lot, or the ballot set's)",
    )
    parser.add_argument("--seed", type=int, help="seed of the lot (recorded in the report)")
    parser.add_argument(
        "--tie-order",
        action="append",
        metavar="NAME",
        help="commission decision: tied names in order of preference (repeat)",
    )
    parser.add_argument("--format", choices=("json", "text"), default="json", help="output format")
    return parser


def main(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    """Run the command line ``argv`` (without the program name); return the exit code. Never
    raises and never prints a traceback: every failure is one line on ``stderr``."""
    try:
        return _main(argv, stdout, stderr)
    except KeyboardInterrupt:
        stderr.write("tally: interrupted\n")
        return EXIT_INTERRUPTED
    except (MemoryError, RecursionError) as exc:
        stderr.write(f"tally: error: the input is too large to count ({type(exc).__name__})\n")
        return EXIT_FAILURE
    except Exception as exc:  # noqa: BLE001 - the command's promise: one line, never a traceback
        detail = " ".join(str(exc).split())[:200]
        stderr.write(f"tally: error: unexpected failure ({type(exc).__name__}: {detail}); please report it\n")
        return EXIT_FAILURE


def _main(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    parser = build_parser(stdout, stderr)
    try:
        args = parser.parse_args(argv)
    except _Exit as done:
        return done.status
    except (_UsageError, argparse.ArgumentError) as exc:
        stderr.write(f"tally: error: {' '.join(str(exc).split())} (tally --help lists the options)\n")
        return EXIT_USAGE
    try:
        result = _run(args)
    except _UsageError as exc:
        stderr.write(f"tally: error: {exc}\n")
        return EXIT_USAGE
    except CountingInputError as exc:
        stderr.write(f"tally: error: {exc}\n")
        return EXIT_USAGE
    stdout.write(to_json(result) + "\n" if args.format == "json" else to_text(result))
    return EXIT_TIE if result.status == STATUS_TIE else EXIT_OK


def _run(args: argparse.Namespace) -> Result:
    ballot_set = None
    if args.ballots is not None:
        ballot_set = read_ballot_set(args.ballots, ranked=args.method in RANKED)
        _defaults_from(args, ballot_set)
    method = args.method
    if method is None:
        raise _UsageError("--method is required")
    if args.seats is not None and args.seats < 1:
        raise _UsageError("--seats must be at least 1")
    if args.seats is not None and args.seats > MAX_SEATS:
        raise _UsageError(f"--seats must be at most {MAX_SEATS}")
    if args.alternates is not None and args.alternates < 0:
        raise _UsageError("--alternates must not be negative")
    if args.alternates is not None and args.alternates > MAX_SEATS:
        raise _UsageError(f"--alternates must be at most {MAX_SEATS}")
    if args.threshold is not None and method not in LIST_METHODS:
        raise _UsageError("--threshold applies only to the list methods (hare, dhondt, sainte-lague)")
    if args.alternates is not None and method not in ("plurality", "approval"):
        raise _UsageError("--alternates applies only to plurality and approval")
    if args.batch_elimination and method != "irv":
        raise _UsageError("--batch-elimination applies only to irv")
    if method in LIST_METHODS and args.votes is None and ballot_set is None:
        raise _UsageError(f"{method} needs --votes FILE.csv")
    if method in RANKED and args.blt is None and ballot_set is None:
        raise _UsageError(f"{method} needs --blt FILE")
    if args.votes is not None and args.seats is None:
        raise _UsageError("--seats is required with --votes")
    if ballot_set is not None and args.seats is None:
        raise _UsageError("--seats is required with a ballot set in CSV")
    tb = TieBreaker(
        args.tie_rule or "backwards",
        seed=args.seed,
        decision=args.tie_order,
        decisions=getattr(args, "tie_decisions", None),
        fallback=args.tie_fallback or "lot",
    )
    if ballot_set is not None:
        return _count_ballot_set(method, ballot_set, args, tb)
    if args.blt is not None:
        profile = read_blt(args.blt)
        return count(
            method,
            profile=profile,
            seats=args.seats,
            alternates=args.alternates,
            tie_breaker=tb,
            batch_elimination=args.batch_elimination,
        )
    counts = read_list_votes(args.votes)
    return count(
        method,
        counts=counts,
        seats=args.seats,
        alternates=args.alternates,
        threshold=args.threshold,
        threshold_base=args.threshold_base,
        tie_breaker=tb,
    )


def _defaults_from(args: argparse.Namespace, ballot_set: BallotSet) -> None:
    """Fill what the command line left open from the ballot set's own description (JSON)."""
    same_method = args.method is None or args.method == ballot_set.method
    if args.method is None:
        args.method = ballot_set.method
    if args.seats is None:
        args.seats = ballot_set.seats
    if same_method:
        if args.alternates is None and ballot_set.alternates and args.method in ("plurality", "approval"):
            args.alternates = ballot_set.alternates
        if args.threshold is None and ballot_set.threshold is not None and args.method in LIST_METHODS:
            args.threshold = ballot_set.threshold
            if ballot_set.threshold_base in BASES:
                args.threshold_base = ballot_set.threshold_base
    if args.tie_rule is None and ballot_set.tie_rule:
        args.tie_rule = ballot_set.tie_rule
        args.tie_fallback = args.tie_fallback or ballot_set.tie_fallback
    args.tie_decisions = [list(d) for d in ballot_set.tie_decisions] if not args.tie_order else None


def _count_ballot_set(method: str, ballot_set: BallotSet, args: argparse.Namespace, tb: TieBreaker) -> Result:
    if method in RANKED:
        result = count(
            method,
            profile=to_profile(ballot_set, args.seats),
            seats=args.seats,
            tie_breaker=tb,
            batch_elimination=args.batch_elimination,
        )
    else:
        result = count(
            method,
            counts=to_vote_counts(ballot_set),
            seats=args.seats,
            alternates=args.alternates,
            threshold=args.threshold,
            threshold_base=args.threshold_base,
            tie_breaker=tb,
        )
    stored = len(ballot_set.ballots)
    batches = len(ballot_set.batches)
    note = f"ballot set: ballots {stored}" + (f", paper batches {batches}" if batches else "")
    if ballot_set.declared_fingerprint:
        note += f"; fingerprint {ballot_set.declared_fingerprint} matches the ballots"
    result.notes.append(note)
    return result


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:], sys.stdout, sys.stderr))
