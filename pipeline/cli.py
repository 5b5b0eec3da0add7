"""``pipeline`` command line: click only, a thin shell over :mod:`pipeline.commands`.

Errors are caught here and only here: a :class:`PipelineError` prints as
``path:line: error: code: message`` and exits 2; a page that cannot be
published makes ``check`` and ``build`` exit 1.
"""

from __future__ import annotations

import gc
import json
import os
import sys

import click

from pipeline.project import config as configuration
from pipeline.commands import build as publish
from pipeline.commands import catalogs, check as checking
from pipeline.commands import glossary as terminology
from pipeline.commands import memory as memories
from pipeline.progress import progress_reporter
from pipeline.session import Session
from pipeline.diagnostics import ERROR, as_github, as_json
from pipeline.diagnostics import PipelineError

EXIT_BLOCKED, EXIT_UNUSABLE = 1, 2


class Context:
    def __init__(self, directory: str = ".") -> None:
        self.directory = directory
        self.root: str | None = None  # the project's, once its configuration is read

    def config(self) -> configuration.Config:
        config = configuration.load(self.directory)
        self.root = config.root
        return config

    def shown(self, path: str) -> str:
        """A path as messages show it: relative to the project root when inside it."""
        if self.root and os.path.isabs(path) and not os.path.relpath(path, self.root).startswith(".."):
            return os.path.relpath(path, self.root)
        return path

    def session(self, jobs: int | None = None, advise: bool = False,
                memories: tuple[str, ...] = ()) -> Session:
        """A new session for one run, with the configuration read now."""
        return Session(self.config(), jobs, advise, memories)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-C", "directory", default=".", metavar="DIR", type=click.Path(file_okay=False),
              help="Run as if started in DIR (the project root, holding pyproject.toml).")
@click.version_option(package_name="health-pipeline")
@click.pass_context
def cli(ctx: click.Context, directory: str) -> None:
    """Translate Markdown health articles through gettext catalogs, and publish them safely."""
    ctx.ensure_object(Context).directory = directory


JOBS = click.option("-j", "--jobs", type=click.IntRange(1), default=None,
                    help="Worker processes (default: the number of CPUs).")


@cli.command()
@JOBS
@click.pass_obj
def extract(obj: Context, jobs: int | None) -> None:
    """Write locales/templates/<doc>.pot for each source/<doc>.md."""
    _say_refreshed("wrote", catalogs.extract(obj.session(jobs)), "templates are up to date")


@cli.command()
@click.argument("languages", nargs=-1, required=True)
@click.pass_obj
def init(obj: Context, languages: tuple[str, ...]) -> None:
    """Create catalogs for LANGUAGES (e.g. es pt_BR) from the templates."""
    session = obj.session()
    created = catalogs.init(session, list(languages))
    _say_files("created", created, "every catalog already exists (use `pipeline update`)")
    missing = [code for code in languages if code not in session.config.locales]
    if missing:  # a catalog of an unconfigured locale is never checked, updated or built
        listed = ", ".join(f'"{code}"' for code in (*session.config.locales, *missing))
        click.echo(f"add {', '.join(missing)} to `locales` in [tool.pipeline] of pyproject.toml "
                   f"to check, update and publish it: locales = [{listed}]")


@cli.command()
@click.option("--purge-obsolete", is_flag=True,
              help="Also delete obsolete #~ entries (translations of text no longer in the source).")
@click.option("--memory", "memory_files", multiple=True, metavar="FILE",
              type=click.Path(dir_okay=False),
              help="An external translation memory (TMX, or a gettext compendium .po) whose "
                   "matches fill untranslated entries as fuzzy; repeatable.")
@JOBS
@click.pass_obj
def update(obj: Context, purge_obsolete: bool, memory_files: tuple[str, ...], jobs: int | None) -> None:
    """Re-extract and merge the templates into every configured locale's catalogs; fill
    untranslated entries from the translation memory (the language's other catalogs)."""
    session = obj.session(jobs, memories=tuple(os.path.abspath(path) for path in memory_files))
    _say_refreshed("updated", catalogs.update(session, purge=purge_obsolete), "catalogs are up to date")


@cli.group()
def memory() -> None:
    """The translation memory: every reviewed translation of the project, by language."""


@memory.command(name="export")
@click.argument("language")
@click.option("-o", "--output", required=True, metavar="FILE.tmx", type=click.Path(dir_okay=False),
              help="Where to write the TMX 1.4b file.")
@click.pass_obj
def memory_export(obj: Context, language: str, output: str) -> None:
    """Write LANGUAGE's reviewed translations as TMX 1.4b (OmegaT, Trados, memoQ import it)."""
    written, skipped = memories.export(obj.session(), language, os.path.abspath(output))
    click.echo(f"wrote {output}: {written} translation unit(s)"
               + (f"; {skipped} left out (a control character XML cannot hold)" if skipped else ""))


@cli.group()
def glossary() -> None:
    """The terminology base: locales/<lang>/glossary.po (term, approved translations, definition)."""


@glossary.command(name="init")
@click.argument("language")
@click.pass_obj
def glossary_init(obj: Context, language: str) -> None:
    """Create locales/LANGUAGE/glossary.po with candidate terms from the sources, to translate."""
    written = terminology.init(obj.session(), language)
    click.echo(f"wrote {written}: fill in the approved translations (msgstr, several separated "
               "by |) and mark with '#, required' the terms a disclaimer must use"
               if written else "the glossary already exists: edit it")


@cli.command()
@click.argument("language", default="en-XA")
@click.pass_obj
def pseudo(obj: Context, language: str) -> None:
    """Write complete pseudo-translated catalogs for LANGUAGE (en-XA: accented, ar-XB: right-to-left).

    Add LANGUAGE to `locales` in pyproject.toml and run `pipeline build` to see every page
    pseudo-translated: text still in English, clipped layouts and broken markup stand out.
    """
    written = catalogs.pseudo(obj.session(), language)
    _say_files("wrote", written, "pseudo catalogs are up to date")


@cli.command(name="compile")
@click.pass_obj
def compile_command(obj: Context) -> None:
    """Write binary .mo catalogs beside the .po files, for gettext users (fuzzy entries left out)."""
    _say_files("wrote", catalogs.compile_catalogs(obj.session()), "no catalogs to compile")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
              help="text: path:line: severity: code: message; json: a list for CI; "
                   "github: GitHub Actions annotations.")
@click.pass_obj
def check(obj: Context, fmt: str) -> None:
    """Report problems; exit 1 if any configured page could not be published."""
    run = checking.check(obj.session(advise=True))
    _print_diagnostics(run, fmt)
    if fmt == "text":
        _summary(run)
    sys.exit(EXIT_UNUSABLE if run.unusable else EXIT_BLOCKED if run.blocked else 0)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def stats(obj: Context, fmt: str) -> None:
    """Translated / fuzzy / untranslated entries and words per locale and catalog (the page
    chrome's _site too), and the entries the translation memory filled (reviewed r, fuzzy f)."""
    rows = checking.stats(obj.session())
    if fmt == "json":
        click.echo(json.dumps([
            {"locale": row.locale, "document": row.document,
             **{name: getattr(row.counts, name) for name in row.counts.__slots__},
             "completeness": round(row.counts.completeness, 4),
             "memory_reviewed": row.memory_reviewed, "memory_fuzzy": row.memory_fuzzy}
            for row in rows], indent=2))
        return
    click.echo(f"{'locale':<8} {'catalog':<28} {'translated':>14} {'fuzzy':>12} {'untranslated':>14} "
               f"{'words':>6}  {'memory':>9}  disclaimers")
    for row in rows:
        c = row.counts
        done = ("all done" if c.disclaimers_done == c.disclaimers
                else f"{c.disclaimers - c.disclaimers_done} of {c.disclaimers} NOT done")
        click.echo(f"{row.locale:<8} {row.document:<28} {c.translated:>4} ({c.translated_words:>5} w) "
                   f"{c.fuzzy:>3} ({c.fuzzy_words:>4} w) {c.untranslated:>4} ({c.untranslated_words:>5} w) "
                   f"{c.completeness:>6.0%}  {row.memory_reviewed:>3} r {row.memory_fuzzy:>3} f  {done}")


@cli.command(name="build")
@click.option("--force", is_flag=True, help="Rebuild every page, even those whose inputs did not change.")
@JOBS
@click.option("--markdown-only", is_flag=True,
              help="Write only the localized Markdown (for a static-site generator of your own); "
                   "the checks still run, and HTML pages left from earlier builds are removed.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.pass_obj
def build_command(obj: Context, force: bool, jobs: int | None, markdown_only: bool, quiet: bool) -> None:
    """Write output/<lang>/<doc>.{md,html} and the index pages; exit 1 if a page was withheld."""
    with progress_reporter(quiet) as progress:
        run = publish.build(obj.session(jobs), force=force, progress=progress,
                            html=not markdown_only)
    _print_diagnostics(run, "text", quiet)
    if not quiet:
        _summary(run)
        click.echo(f"{len(run.rebuilt)} document(s) rebuilt, {len(run.written)} file(s) written, "
                   f"{len(run.removed)} withheld or stale page file(s) removed")
    sys.exit(EXIT_UNUSABLE if run.unusable else EXIT_BLOCKED if run.blocked else 0)


@cli.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.pass_obj
def serve(obj: Context, port: int) -> None:
    """Build, serve output/ on http://127.0.0.1:PORT/, and rebuild when a source, catalog or template changes."""
    from pipeline.site.serve import serve as run_server

    def report(outcome: publish.Outcome | PipelineError) -> None:
        if isinstance(outcome, PipelineError):
            click.echo(str(outcome), err=True)
            return
        for diagnostic in outcome.diagnostics:
            if diagnostic.severity == ERROR:
                click.echo(str(diagnostic), err=True)
        withheld = ", ".join(f"{p.language.code}/{p.doc}" for p in outcome.withheld) or "none"
        click.echo(f"built: {len(outcome.written)} file(s) changed; withheld: {withheld}")

    click.echo(f"serving {obj.config().output} at http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    try:
        run_server(obj.session, port, report)
    except KeyboardInterrupt:
        pass


def _print_diagnostics(run, fmt: str, quiet: bool = False) -> None:
    if fmt == "json":
        click.echo(as_json(run.diagnostics, [_page_status(page) for page in run.pages]))
        return
    if fmt == "github":
        for diagnostic in run.diagnostics:
            click.echo(as_github(diagnostic))
        return
    for diagnostic in run.diagnostics:  # every one on stderr, as compilers print them, so
        if diagnostic.severity == ERROR or not quiet:  # one redirection keeps or drops them all
            click.echo(str(diagnostic), err=True)


def _page_status(page) -> dict:  # type: ignore[no-untyped-def]
    """One page's line of ``check --format json``: published, or withheld and why."""
    codes = sorted({d.code for d in page.diagnostics if d.severity == ERROR})
    return {"document": page.doc, "locale": page.language.code,
            "status": "published" if page.published else "withheld",
            "withheld_by": [] if page.published else codes}


def _summary(run) -> None:
    for page in run.pages:
        if page.published:
            click.echo(f"{page.language.code}/{page.doc}: publishable")
        else:
            click.echo(f"{page.language.code}/{page.doc}: WITHHELD", err=True)


def _say_files(verb: str, paths: list[str], nothing: str) -> None:
    for path in paths:
        click.echo(f"{verb} {path}")
    if not paths and nothing:
        click.echo(nothing)


def _say_refreshed(verb: str, done: catalogs.Refreshed, nothing: str) -> None:
    """The files written, then what could not be read (exit 2: fix it and run again)."""
    _say_files(verb, done.written, "" if done.failed else nothing)
    for diagnostic in [*done.notes, *done.failed]:
        click.echo(str(diagnostic), err=True)
    if done.failed:
        sys.exit(EXIT_UNUSABLE)


def main(argv: list[str] | None = None) -> None:
    """Entry point: every PipelineError ends here, as one line and exit status 2."""
    # Parsing allocates millions of small objects and makes few reference cycles: collect
    # cycles less often (CPython's default of every 700 allocations costs a large document
    # 30% of its parse, growing with the heap). Worker processes inherit this.
    gc.set_threshold(100_000, 50, 50)
    gc.freeze()  # what the imports made lives as long as the process: never scan it again
    context = Context()
    try:
        cli.main(args=argv, prog_name="pipeline", standalone_mode=False, obj=context)
    except PipelineError as error:
        path = error.path and context.shown(error.path)
        click.echo(str(PipelineError(error.message, path=path, line=error.line, code=error.code))
                   if path else f"pipeline: error: {error.code}: {error.message}", err=True)
        sys.exit(EXIT_UNUSABLE)
    except OSError as error:  # a full disk, a name too long, a permission denied
        where = context.shown(os.fsdecode(error.filename)) if error.filename else "pipeline"
        click.echo(f"{where}: error: os: {error.strerror or error}", err=True)
        sys.exit(EXIT_UNUSABLE)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
