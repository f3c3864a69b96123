"""Serve the fake alone: python -m tests.fakesheets --port N [--credentials FILE] [--spreadsheet TITLE]."""
import argparse
import json
import threading

from .server import FakeSheets, service_account_info


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fakesheets", description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--credentials", help="write a service account JSON for this fake to FILE")
    parser.add_argument("--spreadsheet", help="create an empty spreadsheet with this title and print its key")
    args = parser.parse_args()
    fake = FakeSheets(args.port)
    if args.credentials:
        with open(args.credentials, "w") as out:
            json.dump(service_account_info(fake.url), out, indent=2)
    ready = {"url": fake.url}
    if args.spreadsheet:
        ready["spreadsheet_key"] = fake.create_spreadsheet(args.spreadsheet)
    print(json.dumps(ready), flush=True)
    with fake:
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
