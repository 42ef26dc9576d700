"""The `plainpress` command: argument parsing, error printing and exit codes, nothing else.

Exit status: 0 everything selected was published; 1 a gate failed (that artifact was withheld),
a job ran out of time, or the output folder could not be written; 2 bad input or usage (nothing
was built); 3 `i18n stats` found a locale below --min-percent. Tracebacks only with --debug.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from pipeline.outputs import KINDS
from pipeline.errors import EXIT_BAD_INPUT, EXIT_BELOW_TARGET, EXIT_OK, PlainpressError



def _selection_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--doc", action="append", default=[], metavar="ID",
                        help="build only this document (repeatable)")
    parser.add_argument("--locale", action="append", default=[], metavar="L",
                        help="build only this locale (repeatable)")
    parser.add_argument("--format", action="append", default=[], choices=KINDS,
                        help="build only this output (repeatable)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="output folder (default: build/)")
    parser.add_argument("--page-size", choices=("letter", "a4"), default=None,
                        help="build only this page-size edition of the PDFs and DOCX "
                             "(default: every one in pyproject.toml)")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="worker processes (default: the number of cores)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    parser.add_argument("--allow-incomplete", action="store_true",
                        help="publish incomplete translations with source-text fallback, "
                             "marked DRAFT on every page")


def make_parser() -> argparse.ArgumentParser:
    # The shared options may come before or after the command; the sub-parsers' copies do not
    # set defaults, so that `plainpress -C DIR build` keeps DIR.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--debug", action="store_true", help="show tracebacks")
    common.add_argument("-C", "--project", type=Path, metavar="DIR",
                        help="project folder (default: the current one)")
    parser = argparse.ArgumentParser(
        prog="plainpress", parents=[common], argument_default=None,
        description="Accessible PDF, DOCX, HTML and print handouts from one source per topic.",
        epilog="exit status: 0 all published, 1 a gate failed, 2 bad input or usage, "
               "3 i18n stats: a locale below --min-percent")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    build = commands.add_parser("build", parents=[common], help="render, check and publish")
    _selection_args(build)
    check = commands.add_parser("check", parents=[common],
                                help="validate sources and gate what is in build/ (no rendering)")
    _selection_args(check)
    i18n = commands.add_parser("i18n", parents=[common], help="translation catalogs")
    i18n_commands = i18n.add_subparsers(dest="i18n_command", metavar="ACTION", required=True)
    i18n_commands.add_parser("extract", parents=[common],
                             help="write locales/<domain>.pot from the sources and templates")
    update = i18n_commands.add_parser("update", parents=[common],
                                      help="extract, then merge into every locale's PO files")
    update.add_argument("--init", metavar="LOCALE", help="also create the PO files of LOCALE")
    stats = i18n_commands.add_parser("stats", parents=[common],
                                     help="translated / fuzzy / untranslated per locale")
    stats.add_argument("--min-percent", type=float, default=100.0,
                       help="exit 3 when a locale is below this (default: 100)")
    stats.add_argument("--locale", action="append", default=[], metavar="L")
    serve = commands.add_parser("serve", parents=[common],
                                help="preview build/ on localhost, rebuilding on every save")
    _selection_args(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    init = commands.add_parser("init", parents=[common],
                               help="create a new site (plainpress.toml, source/, locales/)")
    init.add_argument("dir", type=Path, help="the new site's folder (new or empty)")
    init.add_argument("--organisation", required=True, metavar="NAME",
                      help="the clinic credited in every output")
    init.add_argument("--source-locale", default="en", metavar="L",
                      help="the language the sources are written in (default: en)")
    init.add_argument("--locale", action="append", default=[], metavar="L",
                      help="a language to translate into (repeatable)")
    init.add_argument("--page-size", choices=("letter", "a4"), default="letter",
                      help="page size of the PDFs and DOCX (default: letter)")
    new = commands.add_parser("new", parents=[common], help="start a new source document")
    new.add_argument("id", help="the document id, e.g. knee-pain (becomes source/ID.md)")
    return parser


def _print_results(result, out=None) -> None:
    """Problems first (as file:line: severity: message), then a short table."""
    from pipeline.build.outcome import Status

    out = out or sys.stdout
    for check in result.checks:
        if check.passed:
            continue
        where = f"{check.location}: " if check.location else ""
        hint = f" (hint: {check.hint})" if check.hint else ""
        print(f"{where}{check.severity}: [{check.check}] {check.document} {check.locale} "
              f"{check.output}: {check.message}{hint}", file=out)
    if not result.outcomes:
        return
    width = max(len(o.filename) for o in result.outcomes)
    print(f"\n{'artifact'.ljust(width)}  status", file=out)
    for outcome in result.outcomes:
        print(f"{outcome.filename.ljust(width)}  {outcome.shown}", file=out)
    for path in getattr(result, "removed", []):
        print(f"removed {path} (its document, locale or page size is no longer configured)",
              file=out)
    if getattr(result, "summary", ""):
        print(f"\n{result.summary}", file=out)
        return
    published = sum(1 for o in result.outcomes if o.published)
    reused = sum(1 for o in result.outcomes if o.status is Status.REUSED)
    print(f"\n{published} published ({published - reused} built, {reused} reused), "
          f"{len(result.outcomes) - published} withheld", file=out)


class progress_bar:
    """A progress bar on a terminal (rich), nothing when piped or with --quiet."""

    def __init__(self, quiet: bool):
        self.enabled = not quiet and sys.stderr.isatty()
        self.bar = None

    def __enter__(self):
        return self if self.enabled else None

    def __call__(self, outcome, done: int, total: int) -> None:
        if self.bar is None:
            from rich.progress import Progress
            self.bar = Progress(transient=True)
            self.bar.start()
            self.task = self.bar.add_task("rendering", total=total)
        self.bar.update(self.task, completed=done, description=outcome.filename)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()


def confined_out(root: Path, out: Path) -> Path:
    """`--out` must be a folder inside the project, not one of its input folders, not a hidden
    folder (`.git`, `.venv`: tools keep their own files there) or the running Python's
    environment, and not an existing file."""
    from pipeline.errors import UsageError

    refused = UsageError(f"--out {out} is not allowed",
                         hint="give a folder inside the project, such as build-a4; absolute "
                              "paths, `..`, hidden folders such as .git and .venv, the Python "
                              "environment and the source, styles and locales folders are "
                              "refused so that nothing but outputs can be overwritten")
    try:
        target = (root / out).resolve()
        environment = Path(sys.prefix).resolve()
    except (OSError, RuntimeError):  # a link loop
        raise refused from None
    inputs = [root / name for name in ("source", "styles", "locales", "pipeline", "tests")]
    inside = target.relative_to(root.resolve()).parts if target.is_relative_to(
        root.resolve()) else ()
    if ".." in out.parts or out.is_absolute() or not inside \
            or any(part.startswith(".") for part in (*out.parts, *inside)) \
            or target.is_relative_to(environment) \
            or any(target.is_relative_to(p.resolve()) for p in inputs):
        raise refused
    if target.exists() and not target.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder",
                         hint="give the name of a folder for the outputs, such as build-a4")
    return target


def run_i18n(root: Path, args) -> int:
    """`plainpress i18n extract | update | stats`."""
    from pipeline.settings import config as config_mod
    from pipeline.read import reader
    from pipeline.translate import stats, update

    config = config_mod.load(root)
    documents = reader.read_documents(config, reader.document_ids(config))
    if args.i18n_command == "stats":
        locales = args.locale or [l for l in config.locales if l != config.source_locale]
        found = stats.rows(config, locales, [d.id for d in documents] + ["shared", "ui"])
        print(stats.table(found))
        low = [row for row in found if row.percent < args.min_percent]
        for row in low:
            print(f"{row.locale}/{row.domain}: {row.percent:.1f}% translated, below "
                  f"{args.min_percent:g}%", file=sys.stderr)
        return EXIT_BELOW_TARGET if low else EXIT_OK
    if args.i18n_command == "update":
        changed = update.update(config, documents, init=args.init)
    else:
        changed = update.extract(config, documents)
    for path in changed:
        print(f"wrote {path.relative_to(root)}")
    print(f"{len(changed)} file(s) changed")
    return 0


def _build_argv(args) -> list[str]:
    """The selection and build options of a `serve` command line, for its child builds."""
    argv = [*(f"--doc={d}" for d in args.doc), *(f"--locale={l}" for l in args.locale),
            *(f"--format={f}" for f in args.format), f"--jobs={max(1, args.jobs)}"]
    if args.out is not None:
        argv.append(f"--out={args.out}")
    if args.page_size:
        argv.append(f"--page-size={args.page_size}")
    if args.allow_incomplete:
        argv.append("--allow-incomplete")
    return argv


def _shown(root: Path, path: Path) -> str:
    """A project file as a relative path; a default as the one shipped with Plainpress."""
    if path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return f"styles/templates/{path.name} (shipped with Plainpress)"


def run(argv: list[str]) -> int:
    args = make_parser().parse_args(argv)
    from pipeline.build import Selection, build, check_existing
    from pipeline.settings.config import find_root

    if args.command == "init":
        from pipeline.devtools.init import init
        folder = getattr(args, "project", Path.cwd()) / args.dir
        init(folder, args.organisation, args.source_locale, args.locale, args.page_size)
        print(f"created the site {args.dir}; replace the [[…]] placeholders in "
              f"source/_shared/ and source/example-topic.md, then run "
              f"`plainpress build -C {args.dir}` (see {args.dir}/README.md)")
        return 0
    root = find_root(getattr(args, "project", Path.cwd()).resolve())
    if args.command == "new":
        from pipeline.settings.config import load
        from pipeline.devtools.scaffold import new_document, template_path
        locale = load(root).source_locale
        path = new_document(root, args.id, locale=locale)
        print(f"created {path.relative_to(root)} from "
              f"{_shown(root, template_path(root, locale))}; edit it, then run "
              f"`plainpress build --doc {args.id}`")
        return 0
    if args.command == "i18n":
        return run_i18n(root, args)
    selection = Selection(tuple(args.doc), tuple(args.locale), tuple(args.format),
                          (args.page_size,) if args.page_size else ())
    out_dir = confined_out(root, args.out) if args.out else None
    if args.command == "serve":
        from pipeline.devtools.serve import child_build, serve as serve_preview

        debug = getattr(args, "debug", False)
        serve_preview(root, args.host, args.port, rebuild=child_build(
            root, _build_argv(args), debug=debug), out_dir=out_dir or root / "build",
            debug=debug)
        return 0
    if args.command == "build":
        with progress_bar(args.quiet) as progress:
            result = build(root, selection, out_dir, args.page_size,
                           allow_incomplete=args.allow_incomplete, jobs=max(1, args.jobs),
                           progress=progress)
    else:
        result = check_existing(root, selection, out_dir)
    _print_results(result)
    return result.exit_code


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    debug = "--debug" in argv
    try:
        return run(argv)
    except PlainpressError as exc:
        if debug:
            traceback.print_exc()
        print(f"plainpress: {exc}" if exc.loc is None else str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("plainpress: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
