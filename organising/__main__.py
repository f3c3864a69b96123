"""Command line: python -m organising COMMAND …

    demo      load the demo alliance into the configured store
"""
from __future__ import annotations

import argparse
import sys

from .config import load_config
from .forms import ConfigError


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m organising", description="Organising alliance tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="load demo data for a fictional alliance into the configured store")
    demo.add_argument("--force", action="store_true", help="load even if the store already holds data")
    demo.set_defaults(run=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ConfigError as exc:
        print(f"Configuration problem: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
