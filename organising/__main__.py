"""Command line: python -m organising COMMAND …

    demo      load the demo alliance into the configured store
    report    print the funder report (json, csv or md) from the configured store,
              or write it as a PDF with its charts (--format pdf --output FILE)
    import    load an .xlsx download of the alliance's Google Sheet into the embedded store
    sheets-doc  regenerate docs/SHEETS.md (the tabs and columns the app expects) from the forms
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import load_config
from .forms.spec import ConfigError
from .sheets import StoreUnavailable


def _open_store(config):
    # The command line is an outer layer like the pages: it may reach the
    # integrations; the rest of the domain package never does. The app alone
    # sends its outbox: a cron job sending it too could land a submission twice.
    from integrations.stores import open_store
    return open_store(config.settings, with_outbox=False)


def _holds_data(store, config) -> bool:
    from .tools.demo import is_empty
    return not is_empty(store.read_tabs(config.tabs).values())


def cmd_demo(args: argparse.Namespace) -> int:
    from .tools.demo import ALLIANCE, load_demo
    config = load_config()
    store = _open_store(config)
    if not args.force and _holds_data(store, config):
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

    from .counting.metrics import compute_report
    from .reporting.reports import as_csv, as_json, as_markdown
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
    if args.format == "pdf" and not args.output and sys.stdout.isatty():
        print("A PDF is binary and would garble the terminal: give --output report.pdf "
              "(or redirect: > report.pdf).", file=sys.stderr)
        return 2
    tabs = _open_store(config).read_tabs(config.tabs)
    report = compute_report(programme, tabs, config.forms, as_of)
    if args.format == "pdf":
        from .reporting.pdf_report import as_pdf
        content = as_pdf(report, programme, tabs, config.forms, args.year)
    else:
        content = {"json": as_json, "csv": as_csv, "md": as_markdown}[args.format](report, args.year).encode("utf-8")
    if args.output:
        Path(args.output).write_bytes(content)
        print(f"Wrote the {programme.name} report as of {as_of:%d %B %Y} to {args.output}.", file=sys.stderr)
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .tools.importer import WorkbookError, import_workbook, plural
    config = load_config()
    if config.settings.store != "sqlite":
        print(f"import loads the embedded store, but the configured store is {config.settings.store!r}: "
              "run it with ORGANISING_STORE=sqlite.", file=sys.stderr)
        return 2
    workbook = Path(args.workbook)
    if not workbook.is_file():
        print(f"No workbook at {workbook}: download the sheet with File > Download > Microsoft Excel (.xlsx).",
              file=sys.stderr)
        return 2
    store = _open_store(config)
    if not args.force and _holds_data(store, config):
        print("The store already holds data; nothing was imported. Use --force to replace the tabs the "
              "workbook holds (other tabs are left as they are).", file=sys.stderr)
        return 1
    try:
        results = import_workbook(store, workbook, config.forms,
                                  progress=lambda result: print(result.summary(), file=sys.stderr))
    except WorkbookError as exc:
        print(exc, file=sys.stderr)
        return 2
    imported = [r for r in results if r.tab]
    skipped = len(results) - len(imported)
    print(f"Imported {plural(sum(r.rows for r in imported), 'row')} in {plural(len(imported), 'tab')} from "
          f"{workbook.name} into {store!r}"
          + (f"; {plural(skipped, 'worksheet')} not imported (listed above)." if skipped else "."))
    return 0 if imported else 1


def cmd_sheets_doc(args: argparse.Namespace) -> int:
    from .tools.sheets_doc import write_sheets_doc
    print(f"Wrote {write_sheets_doc(load_config().forms)}.")
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
    report.add_argument("--format", choices=["json", "csv", "md", "pdf"], default="md")
    report.add_argument("--output", help="write to this file instead of printing (needed for pdf at a terminal)")
    report.set_defaults(run=cmd_report)
    load = sub.add_parser("import", help="load an .xlsx download of the alliance's Google Sheet into the embedded store")
    load.add_argument("workbook", help="the .xlsx file (File > Download > Microsoft Excel in Google Sheets)")
    load.add_argument("--force", action="store_true",
                      help="replace the tabs the workbook holds even if the store already holds data")
    load.set_defaults(run=cmd_import)
    doc = sub.add_parser("sheets-doc", help="regenerate docs/SHEETS.md from the forms")
    doc.set_defaults(run=cmd_sheets_doc)
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
