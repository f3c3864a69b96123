"""Command line: python -m organising COMMAND …

    demo      load the demo alliance into the configured store
    report    print the funder report (json, csv or md) from the configured store
"""
from __future__ import annotations

import argparse
import sys

from .config import load_config
from .forms import ConfigError
from .sheets import StoreUnavailable


def _open_store(config):
    # The command line is an outer layer like the pages: it may reach the
    # integrations; the rest of the domain package never does.
    from integrations.stores import open_store
    return open_store(config.settings)


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import ALLIANCE, is_empty, load_demo
    config = load_config()
    store = _open_store(config)
    if not args.force and not is_empty(store.read_tabs([f.tab for f in config.forms.values()]).values()):
        print("The store already holds data; demo data was not loaded. "
              "Use --force to add the demo rows anyway (they are marked 'demo data').", file=sys.stderr)
        return 1
    stored = load_demo(store, config.forms,
                       progress=lambda done, total: print(f"\r{done}/{total} rows", end="", file=sys.stderr))
    print(file=sys.stderr)
    print(f"Loaded {stored} demo rows for {ALLIANCE} into {store!r}.")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    import datetime as dt

    from .metrics import compute_report
    from .reports import as_csv, as_json, as_markdown
    config = load_config()
    programmes = config.programmes
    if args.programme not in programmes:
        print(f"No programme named {args.programme!r}; configured: {', '.join(programmes)}", file=sys.stderr)
        return 2
    programme = programmes[args.programme]
    if args.year and args.year not in [y.label for y in programme.years]:
        print(f"{programme.name} has no year {args.year!r}; its years: "
              f"{', '.join(y.label for y in programme.years)}", file=sys.stderr)
        return 2
    try:
        as_of = dt.date.fromisoformat(args.as_of) if args.as_of else dt.date.today()
    except ValueError:
        print(f"--as-of {args.as_of!r} is not a date like 2022-03-31", file=sys.stderr)
        return 2
    tabs = _open_store(config).read_tabs(list(dict.fromkeys(f.tab for f in config.forms.values())))
    report = compute_report(programme, tabs, config.aliases, as_of)
    print({"json": as_json, "csv": as_csv, "md": as_markdown}[args.format](report, args.year), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m organising", description="Organising alliance tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="load demo data for a fictional alliance into the configured store")
    demo.add_argument("--force", action="store_true", help="load even if the store already holds data")
    demo.set_defaults(run=cmd_demo)
    report = sub.add_parser("report", help="print the funder report: target against actual, aggregates only")
    report.add_argument("--programme", required=True, help="a programme name from config/targets.yaml")
    report.add_argument("--year", help="one programme year, such as 2021-22 (default: every year)")
    report.add_argument("--as-of", help="the date to report at, such as 2022-03-31 (default: today)")
    report.add_argument("--format", choices=["json", "csv", "md"], default="md")
    report.set_defaults(run=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ConfigError as exc:
        print(f"Configuration problem: {exc}", file=sys.stderr)
        return 2
    except StoreUnavailable as exc:
        print(f"The data store cannot be reached: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
