"""Command line: python -m organising COMMAND …

    demo      load the demo alliance into the configured store
    report    print the funder report (json, csv or md) from the configured store,
              or write it as a PDF with its charts (--format pdf --output FILE)
    import    load an .xlsx download of the alliance's Google Sheet into the embedded store
    sheets-doc  regenerate docs/SHEETS.md (the tabs and columns the app expects) from the forms
    translations  list what is still in English per language (forms and the app's words); exit 1 if anything
    forms import FILE.xlsx   write the app's form spec from an XLSForm (KoboToolbox, ODK), listing what it could not carry
    forms export [FORM_ID ...] --output FILE.xlsx   write forms back as XLSForms
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
    report = compute_report(programme, tabs, config.aliases, as_of)
    if args.format == "pdf":
        from .reporting.pdf_report import as_pdf
        content = as_pdf(report, programme, tabs, config.aliases, args.year)
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


def cmd_translations(args: argparse.Namespace) -> int:
    from .i18n import language_code
    from .tools.translations import code_messages, report_text, translation_gaps
    forms = load_config().forms
    try:
        languages = [language_code(code) for code in args.language or []]
    except ValueError as exc:
        print(f"--language: {exc}", file=sys.stderr)
        return 2
    report = translation_gaps(forms, code_messages(), languages=languages)
    print(report_text(report, forms))
    return 1 if any(report.values()) else 0


def cmd_forms_import(args: argparse.Namespace) -> int:
    import tempfile

    from .config import config_dir
    from .forms.spec import load_choice_lists, load_form, load_forms
    from .tools.importer import WorkbookError, plural
    from .tools.xlsform import read_xlsform
    source, folder = Path(args.file), config_dir()
    if not source.is_file():
        print(f"No XLSForm at {source}: download it from KoboToolbox (Form > Download XLS) or give the .xlsx "
              "you built it in.", file=sys.stderr)
        return 2
    try:
        imported = read_xlsform(source, form_id=args.id, tab=args.tab)
    except WorkbookError as exc:
        print(exc, file=sys.stderr)
        return 2
    settings = imported.spec["settings"]
    target = Path(args.output) if args.output else folder / "forms" / f"{settings['id']}.yaml"
    if target.exists() and not args.force:
        print(f"{target} already exists; nothing was written. Use --force to replace it, or --output another file.",
              file=sys.stderr)
        return 1
    others = [f for f in load_forms(folder).values() if Path(f.path).resolve() != target.resolve()]
    for key in ("id", "tab"):
        taken = next((f for f in others if getattr(f, key) == settings[key]), None)
        if taken:
            print(f"The {key} {settings[key]!r} is already used by {taken.path}; nothing was written. Choose "
                  f"another with --{key}.", file=sys.stderr)
            return 1
    text = imported.yaml_text(source.name)
    with tempfile.TemporaryDirectory() as scratch:  # read back as the app will, before it is written
        check = Path(scratch) / target.name
        check.write_text(text, encoding="utf-8")
        load_form(check, load_choice_lists(folder / "choices.yaml"))
    before = target.read_bytes() if target.exists() else None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    if target.resolve().parent == (folder / "forms").resolve():
        try:
            load_forms(folder)  # the whole configuration still starts
        except ConfigError:
            target.write_bytes(before) if before is not None else target.unlink()
            raise
    fields = imported.spec["fields"]
    languages = sorted({key.split("::", 1)[1] for f in fields for key in f if "::" in key})
    questions = [f for f in fields if f["type"] != "note"]
    print(f"Wrote {target}: {plural(len(questions), 'question')}, tab {settings['tab']!r}"
          + (f", also in {', '.join(languages)}." if languages else "."))
    for heading, findings in (("Not carried over", imported.not_carried), ("Carried over with a change",
                                                                           imported.changed)):
        if findings:
            print(f"{heading} ({len(findings)}):")
            print("\n".join(f"  {finding.line()}" for finding in findings))
    print("Check the file, then restart the app; run python3 -m organising sheets-doc to list its tab's columns.")
    return 0


def cmd_forms_export(args: argparse.Namespace) -> int:
    from .forms.spec import load_choice_lists
    from .tools.xlsform import xlsform_bytes
    config = load_config()
    ids = args.form_ids or list(config.forms)
    unknown = [i for i in ids if i not in config.forms]
    if unknown:
        print(f"No form {', '.join(map(repr, unknown))}; the forms: {', '.join(config.forms)}", file=sys.stderr)
        return 2
    output = Path(args.output)
    several = len(ids) > 1
    if several and output.suffix.lower() == ".xlsx":
        print(f"{len(ids)} forms make {len(ids)} XLSForms: give --output a folder, not {output.name}",
              file=sys.stderr)
        return 2
    if not several and output.suffix.lower() != ".xlsx":
        output = output / f"{ids[0]}.xlsx"
    lists = load_choice_lists(config.config_dir / "choices.yaml")
    for form_id in ids:
        target = output / f"{form_id}.xlsx" if several else output
        target.parent.mkdir(parents=True, exist_ok=True)
        content, notes = xlsform_bytes(config.forms[form_id], lists)
        target.write_bytes(content)
        print(f"Wrote {target} (form {form_id!r}" + (f"; in English, {', '.join(config.forms[form_id].languages)}"
                                                     if config.forms[form_id].languages else "") + ").")
        print("\n".join(f"  {note}" for note in notes) if notes else "", end="\n" if notes else "")
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
    words = sub.add_parser("translations", help="list what is still in English per language; exit 1 if anything")
    words.add_argument("--language", action="append", metavar="CODE",
                       help="only this language, such as pl (repeat for several; default: every language)")
    words.set_defaults(run=cmd_translations)
    forms = sub.add_parser("forms", help="XLSForm in and out (KoboToolbox, ODK)").add_subparsers(
        dest="forms_command", required=True)
    xls_in = forms.add_parser("import", help="write the app's form spec (YAML) from an XLSForm, listing what it "
                                             "could not carry over")
    xls_in.add_argument("file", help="the XLSForm (.xlsx with survey, choices and settings sheets)")
    xls_in.add_argument("--output", help="the YAML file to write (default: config/forms/FORM_ID.yaml)")
    xls_in.add_argument("--id", help="the form's id (default: the settings sheet's form_id, or the file's name)")
    xls_in.add_argument("--tab", help="the tab it writes (default: the settings sheet's form_title)")
    xls_in.add_argument("--force", action="store_true", help="replace the YAML file if it exists")
    xls_in.set_defaults(run=cmd_forms_import)
    xls_out = forms.add_parser("export", help="write forms as XLSForms, for KoboToolbox or ODK")
    xls_out.add_argument("form_ids", nargs="*", metavar="FORM_ID", help="the forms (default: every form)")
    xls_out.add_argument("--output", required=True,
                         help="FILE.xlsx for one form; a folder for several (each FORM_ID.xlsx)")
    xls_out.set_defaults(run=cmd_forms_export)
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
