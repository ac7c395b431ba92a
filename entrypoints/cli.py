"""`paperbanana`: serve, worker, keys, audit, projections, migrate and secrets, over one
composition root."""

from __future__ import annotations

import argparse
import json
import logging
import secrets
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from eventsourcing.cipher import AESCipher

from application.api_keys import UNSET
from application.diagrams.description import describe as describe_diagram
from application.diagrams.spec import is_diagram
from application.errors import ApplicationError
from application.plots.description import describe as describe_plot
from application.ports import FigureFailed, RenderedFigure
from domain.errors import DomainError
from entrypoints.bootstrap import Container, bootstrap, build_figure_pipelines
from entrypoints.migration import MigrationError, migrate
from entrypoints.settings import CONVERTERS, HELP, Settings, env_name
from entrypoints.worker import run_worker, supervise


def _settings_flags() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("settings (each also read from its environment variable)")
    for name, help_text in HELP.items():
        group.add_argument("--" + name.replace("_", "-"), dest=name, default=None,
                           type=CONVERTERS.get(name, str), metavar=env_name(name),
                           help=f"{help_text} [{env_name(name)}]")
    return parent


def build_parser() -> argparse.ArgumentParser:
    flags = _settings_flags()
    parser = argparse.ArgumentParser(prog="paperbanana", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", parents=[flags], help="run the HTTP API (and, embedded, its worker)")
    commands.add_parser("worker", parents=[flags], help="run a worker against PAPERBANANA_BROKER_URL")
    migrate = commands.add_parser(
        "migrate", parents=[flags],
        help="copy an embedded data directory's events (in order) and figures into the "
             "PostgreSQL store of PAPERBANANA_EVENT_STORE, rebuild its read models and "
             "verify the counts")
    migrate.add_argument("source", help="the embedded data directory (its events.sqlite, "
                                        "cipher_key and blobs/)")
    migrate.add_argument("--source-cipher-key",
                         help="the source's cipher key (default: SOURCE/cipher_key)")
    commands.add_parser("secrets", help="print a new cipher key and admin key for "
                                        "PAPERBANANA_CIPHER_KEY and PAPERBANANA_ADMIN_KEY")

    keys = commands.add_parser("keys", help="manage API keys").add_subparsers(
        dest="keys_command", required=True)
    create = keys.add_parser("create", parents=[flags], help="create a key; prints it once")
    create.add_argument("name")
    create.add_argument("--quota", type=int, help="initial quota (default unlimited)")
    _webhook_flags(create)
    keys.add_parser("list", parents=[flags], help="list keys")
    show = keys.add_parser("show", parents=[flags], help="show a key and its recent usage")
    show.add_argument("key")
    update = keys.add_parser("update", parents=[flags], help="change quota, activity, webhook")
    update.add_argument("key")
    update.add_argument("--quota-remaining", type=int)
    update.add_argument("--quota-total", type=int)
    update.add_argument("--active", choices=("yes", "no"))
    _webhook_flags(update)
    delete = keys.add_parser("delete", parents=[flags], help="delete a key and its usage log")
    delete.add_argument("key")

    audit = commands.add_parser("audit", parents=[flags],
                                help="replay one key's events: usage timeline and quota arithmetic")
    audit.add_argument("key")
    projections = commands.add_parser("projections", help="read models").add_subparsers(
        dest="projections_command", required=True)
    projections.add_parser("rebuild", parents=[flags], help="drop and rebuild every read model")

    plot = commands.add_parser("plot", parents=[flags],
                               help="draw a statistical plot locally, without a server")
    plot.add_argument("data", help="JSON file holding the data (as data_json would)")
    plot.add_argument("--intent", required=True, help="chart type, axes and style wanted")
    _figure_flags(plot, "PlotSpec")
    diagram = commands.add_parser("diagram", parents=[flags],
                                  help="draw a methodology diagram locally, without a server")
    diagram.add_argument("text", help="a text file holding the methodology section")
    diagram.add_argument("--caption", required=True, help="the figure caption")
    _figure_flags(diagram, "DiagramSpec")
    render = commands.add_parser("render", parents=[flags],
                                 help="re-render an edited PlotSpec or DiagramSpec")
    render.add_argument("spec", help="a spec JSON file (from --spec-out or /api/tasks/ID/spec)")
    render.add_argument("-o", "--output", required=True, help="figure.png or figure.svg")
    return parser


def _figure_flags(parser: argparse.ArgumentParser, spec_name: str) -> None:
    """The output flags shared by the commands that run a figure pipeline locally."""
    parser.add_argument("-o", "--output", required=True, help="figure.png or figure.svg")
    parser.add_argument("--iterations", type=int, default=3, choices=range(1, 11),
                        metavar="1..10", help="most critic rounds (default 3)")
    parser.add_argument("--spec-out", help=f"also write the final {spec_name} here")


def _webhook_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--webhook-url", help="default webhook URL ('' removes it)")
    parser.add_argument("--webhook-secret", help="HMAC secret for signatures ('' removes it)")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.load(overrides={name: getattr(args, name, None) for name in HELP})
    if args.command == "worker":
        if not settings.broker_url:
            print("error: the embedded default runs its worker inside `paperbanana serve`; "
                  "set PAPERBANANA_BROKER_URL=redis://... to run separate workers",
                  file=sys.stderr)
            return 2
        if settings.worker_processes > 1:
            return supervise(settings)
    if args.command in LOCAL_COMMANDS:
        try:
            return LOCAL_COMMANDS[args.command](settings, args)
        except (CliFailure, FigureFailed) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    container = bootstrap(settings)
    try:
        return COMMANDS[args.command](container, args)
    except (ApplicationError, DomainError, CliFailure, MigrationError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        if args.command != "serve":
            container.close()


def _serve(container: Container, args: argparse.Namespace) -> int:
    from entrypoints.server import serve

    serve(container)
    return 0


def _worker(container: Container, args: argparse.Namespace) -> int:
    run_worker(container)
    return 0


def _migrate(container: Container, args: argparse.Namespace) -> int:
    if not container.persistence.shared:
        raise CliFailure("set PAPERBANANA_EVENT_STORE to the postgresql:// URL to migrate into")
    source_dir = Path(args.source)
    if not (source_dir / "events.sqlite").is_file():
        raise CliFailure(f"{source_dir} holds no embedded event store (events.sqlite)")
    source_key = args.source_cipher_key or _read_text(str(source_dir / "cipher_key")).strip()
    source = bootstrap(replace(container.settings, data_dir=source_dir, event_store=None,
                               blob_store=None, broker_url=None, cipher_key=source_key))
    try:
        report = migrate(source, container, _progress_bar)
    finally:
        source.close()
    print(file=sys.stderr)
    _print(report.as_dict())
    if not report.verified:
        print("error: the copy does not match the source (see above)", file=sys.stderr)
        return 1
    return 0


def _secrets(settings: Settings, args: argparse.Namespace) -> int:
    print(f"{env_name('cipher_key')}={AESCipher.create_key(32)}")
    print(f"{env_name('admin_key')}=pba_{secrets.token_urlsafe(32)}")
    return 0


def _keys(container: Container, args: argparse.Namespace) -> int:
    api_keys = container.api_keys
    if args.keys_command == "create":
        plaintext, view = api_keys.issue(args.name, args.quota, args.webhook_url,
                                         args.webhook_secret)
        _print({**view, "key": plaintext})
        print("Store this key now: it is not shown again.", file=sys.stderr)
    elif args.keys_command == "list":
        _print(api_keys.list())
    elif args.keys_command == "show":
        key = api_keys.get(args.key)
        _print({**api_keys.view(key), "usage_log": api_keys.usage_log(key.id)})
    elif args.keys_command == "update":
        key = api_keys.update(
            args.key,
            quota_remaining=UNSET if args.quota_remaining is None else args.quota_remaining,
            quota_total=UNSET if args.quota_total is None else args.quota_total,
            active=UNSET if args.active is None else args.active == "yes",
            webhook_url=UNSET if args.webhook_url is None else args.webhook_url,
            webhook_secret=UNSET if args.webhook_secret is None else args.webhook_secret,
        )
        _print(api_keys.view(key))
    elif args.keys_command == "delete":
        api_keys.delete(args.key)
        print("deleted")
    return 0


def _audit(container: Container, args: argparse.Namespace) -> int:
    key, entries = container.api_keys.audit(args.key)
    print(f"API key {key.prefix}... ({key.name}), id {key.id}")
    print(f"{'ver':>5}  {'at':<32} {'event':<24} {'remaining':>9} {'used':>6}  detail")
    for e in entries:
        remaining = "unlim." if e.quota_remaining is None else e.quota_remaining
        print(f"{e.version:>5}  {e.at:<32} {e.event:<24} {remaining!s:>9} {e.total_used:>6}  "
              f"{e.detail}")
    consumed = sum(1 for e in entries if e.event == "QuotaConsumed")
    print(f"\nconsumption events: {consumed}; total_used: {key.total_used} "
          f"({'consistent' if consumed == key.total_used else 'INCONSISTENT'})")
    if key.quota_total is not None:
        print(f"quota: {key.quota_remaining} remaining of {key.quota_total}")
    return 0 if consumed == key.total_used else 1


def _progress_bar(position: int, head: int) -> None:
    width = 40
    done = int(width * position / head) if head else width
    print(f"\r[{'#' * done}{'.' * (width - done)}] {position}/{head} events",
          end="", file=sys.stderr, flush=True)


def _projections(container: Container, args: argparse.Namespace) -> int:
    head = container.store.head()
    container.read_models.reset()
    container.follower.catch_up(_progress_bar)
    print(file=sys.stderr)
    _print({"events": head, "rows": container.read_models.counts()})
    return 0


def _plot(settings: Settings, args: argparse.Namespace) -> int:
    output, data = _figure_path(args.output), _read_json(args.data)
    pipelines = build_figure_pipelines(settings)
    with pipelines.service:
        spec, rendered = pipelines.plot.run(data, args.intent, args.iterations,
                                            *_progress(args.iterations))
    return _finish(output, rendered, spec, args.spec_out, describe_plot(spec))


def _diagram(settings: Settings, args: argparse.Namespace) -> int:
    output, text = _figure_path(args.output), _read_text(args.text)
    pipelines = build_figure_pipelines(settings)
    with pipelines.service:
        spec, rendered = pipelines.diagram.run(text, args.caption, args.iterations,
                                               *_progress(args.iterations))
    return _finish(output, rendered, spec, args.spec_out, describe_diagram(spec))


def _render(settings: Settings, args: argparse.Namespace) -> int:
    output, spec = _figure_path(args.output), _read_json(args.spec)
    pipelines = build_figure_pipelines(settings)
    pipeline = pipelines.diagram if is_diagram(spec) else pipelines.plot
    with pipelines.service:
        rendered = pipeline.render(spec)
    _write_figure(output, rendered)
    return 0


def _progress(iterations: int) -> tuple[Callable[[list[str]], None], Callable[[str], None]]:
    """Callbacks that print each stage and each critic round's notes."""
    rounds = iter(range(1, iterations + 1))

    def on_iteration(notes: list[str]) -> None:
        print(f"  round {next(rounds)}: " + "; ".join(notes), file=sys.stderr)

    def on_stage(stage: str) -> None:
        print(f"[{stage}]", file=sys.stderr, flush=True)

    return on_iteration, on_stage


def _finish(output: Path, rendered: RenderedFigure, spec: dict[str, Any],
            spec_out: str | None, description: str) -> int:
    _write_figure(output, rendered)
    if spec_out:
        Path(spec_out).write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n",
                                  encoding="utf-8")
    print(description)
    return 0


class CliFailure(Exception):
    """A problem with the command's own input, reported as `error: ...`."""


def _read_text(name: str) -> str:
    try:
        return Path(name).read_text(encoding="utf-8")
    except (OSError, ValueError) as error:
        raise CliFailure(f"cannot read {name}: {error}") from None


def _read_json(name: str) -> Any:
    text = _read_text(name)
    try:
        return json.loads(text)
    except ValueError as error:
        raise CliFailure(f"cannot read {name}: {error}") from None


def _figure_path(name: str) -> Path:
    path = Path(name)
    if path.suffix.lower() not in (".png", ".svg"):
        raise SystemExit(f"error: -o must end in .png or .svg, not {path.name!r}")
    return path


def _write_figure(path: Path, rendered: RenderedFigure) -> None:
    path.write_bytes(rendered.svg if path.suffix.lower() == ".svg" else rendered.png)
    print(f"wrote {path}", file=sys.stderr)


def _print(value: Any) -> None:
    print(json.dumps(value, indent=2, default=str))


COMMANDS = {"serve": _serve, "worker": _worker, "keys": _keys, "audit": _audit,
            "projections": _projections, "migrate": _migrate}
LOCAL_COMMANDS = {"plot": _plot, "diagram": _diagram, "render": _render, "secrets": _secrets}

if __name__ == "__main__":
    sys.exit(main())
