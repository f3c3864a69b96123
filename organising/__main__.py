"""Command line: python -m organising COMMAND …

    demo      load the demo alliance into the configured store
    report    print the funder report (json, csv or md) from the configured store,
              or write it as a PDF with its charts (--format pdf --output FILE)
    import    load an .xlsx download of the alliance's Google Sheet into the embedded store
    sheets-doc  regenerate docs/SHEETS.md (the tabs and columns the app expects) from the forms
    translations  list what is still in English per language (forms and the app's words); exit 1 if anything
    forms import FILE.xlsx   write the app's form spec from an XLSForm (KoboToolbox, ODK), listing what it could not carry
    forms export [FORM_ID ...] --output FILE.xlsx   write forms back as XLSForms
    submit    save one submission as the form's page does, and record the deliveries it triggers
    worker    send the workflows' deliveries (--once: what is due now, then exit)
    deliveries  list deliveries (--failed), or make failed ones due again (retry --all | retry ID)
    privacy   residents' personal data: retention status, purge, erasure, subject access (docs/PRIVACY.md)
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
    from integrations.delivery import loaded_in_bulk
    loaded_in_bulk(config, store, run=False)
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
    from integrations.delivery import loaded_in_bulk
    recorded = loaded_in_bulk(config, store, run=args.run_workflows)
    if args.run_workflows:
        print(f"Workflows: {recorded} deliveries recorded for the imported rows.", file=sys.stderr)
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


def _answers(form, pairs: list[str]) -> tuple[dict, list[str]]:
    """name=value pairs as the page's widgets would give them; and what is wrong with them."""
    answers, problems = {}, []
    fields = {f.name: f for f in form.fields if f.stored}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        name = name.strip()
        if not equals:
            problems.append(f"{pair!r}: give each answer as name=value")
        elif name not in fields:
            problems.append(f"{name}: the {form.id} form has no such question (its questions: {', '.join(fields)})")
        elif fields[name].type == "select_multiple":
            answers[name] = [v.strip() for v in value.split(",") if v.strip()]
        elif fields[name].type in ("consent", "acknowledge"):
            answers[name] = form.reader(name)(value).value == "yes"
        else:
            answers[name] = value
    return answers, problems


def cmd_submit(args: argparse.Namespace) -> int:
    import datetime as dt

    from integrations.delivery import record_saved
    from .forms.spec import validate
    from .forms.submissions import dynamic_choices, new_submission_id, submission_row
    config = load_config()
    form = config.forms.get(args.form)
    if form is None:
        print(f"No form {args.form!r}; the forms: {', '.join(config.forms)}", file=sys.stderr)
        return 2
    answers, problems = _answers(form, args.answers)
    store = _open_store(config)
    tabs = store.read_tabs(config.tabs)
    outcome = validate(form, answers, dynamic_choices=dynamic_choices(form, tabs, dt.date.today()))
    problems += [f"{name}: {message}" for name, message in outcome.errors.items()]
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print("Nothing was saved.", file=sys.stderr)
        return 2
    submission_id = new_submission_id()
    row = submission_row(form, outcome.row, submission_id, args.by)
    result = store.append_row(form.tab, row, submission_id, form.aliases)
    keys = record_saved(config, store, form, row)
    print(submission_id)
    print(f"Saved to {form.tab}" + (" (already there)" if not result.stored else "")
          + f"; {len(keys)} deliveries recorded for the workflows.", file=sys.stderr)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    import signal

    from integrations.delivery import make_worker
    config = load_config()
    worker = make_worker(config, _open_store(config))
    for problem in worker.setup().workflows.problems:
        print(f"Workflow problem: {problem}", file=sys.stderr)
    if args.once:
        scanned, sent = worker.run_once()
        looked = "another worker is reading the tabs" if scanned is None else \
            f"{scanned.recorded} deliveries recorded from the tabs"
        print(f"{looked}; {sent}.")
        return 0
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    print(f"Sending workflow deliveries as {worker.owner}; stop with Ctrl-C.", file=sys.stderr)
    try:
        worker.run()
    except KeyboardInterrupt:
        worker.stop()
    return 0


def cmd_deliveries(args: argparse.Namespace) -> int:
    import datetime as dt
    from zoneinfo import ZoneInfo

    from integrations.delivery import open_ledger
    config = load_config()
    ledger = open_ledger(config)
    if args.action == "retry":
        if not args.all and not args.ids:
            print("Say which: retry --all, or retry ID [ID …] (the ids `deliveries --failed` lists).", file=sys.stderr)
            return 2
        count = ledger.retry(None if args.all else args.ids)
        print(f"{count} failed deliveries are due again; the worker sends them.")
        return 0
    tz = ZoneInfo(config.settings.timezone)
    shown = ledger.deliveries(state="failed" if args.failed else None, limit=args.limit)
    if not shown:
        print("No failed deliveries." if args.failed else "No deliveries yet.")
        return 0
    print("id\twhen\tworkflow\tkind\tto\tstate\tattempts\tproblem")
    for d in shown:
        when = dt.datetime.fromtimestamp(d.created_at, tz).strftime("%Y-%m-%d %H:%M")
        state = d.state + (" (test)" if d.test else "")
        print("\t".join(map(str, (d.id, when, d.workflow, d.kind, d.destination, state, d.attempts, d.last_error))))
    return 0


def cmd_privacy(args: argparse.Namespace) -> int:
    from integrations.delivery import workflow_records
    from integrations.stores import open_store

    from .privacy.cli import run
    # The app's outbox is reached, so a submission waiting there is erased too, but only the app sends it.
    return run(args, load_config(), lambda config: open_store(config.settings, sends_outbox=False), workflow_records)


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
    load.add_argument("--run-workflows", action="store_true",
                      help="run the workflows for the imported rows as for new submissions (by default an "
                           "imported sheet is history: no welcome e-mail goes to every group in it)")
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
    submit = sub.add_parser("submit", help="save a submission as the form's page does and run its workflows")
    submit.add_argument("form", help="a form's id, such as cag_signup")
    submit.add_argument("answers", nargs="*", metavar="name=value",
                        help="one per question; a multiple choice as a,b; a tick box as yes or no")
    submit.add_argument("--by", default="(command line)", help="who is submitting (the submitted_by column)")
    submit.set_defaults(run=cmd_submit)
    worker = sub.add_parser("worker", help="send the workflows' e-mails, webhooks, chat posts and rows")
    worker.add_argument("--once", action="store_true", help="send what is due now, then exit (for cron)")
    worker.set_defaults(run=cmd_worker)
    deliveries = sub.add_parser("deliveries", help="list the workflows' deliveries, or retry failed ones")
    deliveries.add_argument("action", nargs="?", choices=["retry"], help="retry: make failed deliveries due again")
    deliveries.add_argument("ids", nargs="*", type=int, help="with retry: the deliveries to retry")
    deliveries.add_argument("--all", action="store_true", help="with retry: every failed delivery")
    deliveries.add_argument("--failed", action="store_true", help="list only those that failed")
    deliveries.add_argument("--limit", type=int, default=200, help="list at most this many, newest first")
    deliveries.set_defaults(run=cmd_deliveries)
    from .privacy.cli import add_parser as add_privacy_parser
    add_privacy_parser(sub, cmd_privacy)
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
