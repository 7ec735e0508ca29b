"""The `toancanh` command: run the demo or the server, migrate, load units, manage keys and users."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import subprocess
import sys
from pathlib import Path


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toancanh.settings")
    import django

    django.setup()
    from django.utils import translation

    translation.activate("vi")


def _date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD or DD/MM/YYYY)")


def _read(path: str) -> str:
    p = Path(path)
    if not p.is_file():
        raise SystemExit(f"error: file not found: {path}")
    return p.read_text(encoding="utf-8-sig")


# --- commands -----------------------------------------------------------------------------------


def cmd_migrate(args) -> None:
    from django.core.management import call_command

    from toancanh.core.i18n import compile_catalogs

    compile_catalogs()
    call_command("migrate", interactive=False, verbosity=1 if args.verbose else 0)
    print("database is up to date")


def cmd_serve(args) -> None:
    import uvicorn

    from toancanh.core.health import health

    state = health()
    if not state["migrations"]["ok"]:
        raise SystemExit("error: the database is not migrated: run 'toancanh migrate' first")
    shown = "localhost" if args.host in {"127.0.0.1", "0.0.0.0"} else args.host  # noqa: S104 - only a label
    url = f"http://{shown}:{args.port}/"
    workers = args.workers or os.cpu_count() or 1
    # Nothing time-driven runs in web processes: background work is the job runner's ('toancanh worker').
    print(f"Toàn Cảnh is listening on {url} with {workers} worker process(es)  (Ctrl+C stops it)", flush=True)
    uvicorn.run(
        "toancanh.asgi:application",
        host=args.host,
        port=args.port,
        workers=workers,
        log_level="warning",
        lifespan="off",
        server_header=False,  # no banner naming the server software
    )


def _start_runner_process() -> subprocess.Popen:
    """A job runner ('toancanh worker') beside the server, stopped with it (it also stops by itself
    when this process dies)."""
    return subprocess.Popen(  # noqa: S603 - our own command, no input in it
        [sys.executable, "-m", "toancanh.cli", "worker", "--parent-pid", str(os.getpid())],
        stdout=subprocess.DEVNULL,
    )


def cmd_demo(args) -> None:
    from django.utils import translation

    from toancanh.accounts.demo import create_users
    from toancanh.units import demo as units_demo

    cmd_migrate(args)
    print("loading Thành phố Đà Nẵng (34-province structure) with the former Tỉnh Quảng Nam as history …", flush=True)
    loaded = units_demo.load_units()
    print(
        f"  {loaded['units']} units, {loaded['successions']} succession links "
        f"(former provinces {', '.join(loaded['former_provinces'])})"
    )
    boundaries = units_demo.load_boundaries()
    print(f"  province boundaries imported (shipped with the project): {boundaries['matched']}")
    print(f"  agencies created: {units_demo.load_agencies()}")
    from toancanh.indicators import demo as indicators_demo
    from toancanh.indicators.models import DataValue

    if not DataValue.objects.exists():
        print("filing five years of socio-economic figures (made up, real-shaped) …", flush=True)
        built = indicators_demo.build()
        print(f"  {built['indicators']} indicators, {built['values']} figures")
        if built["refused"]:  # the demo's own figures must all pass the checks a real import passes
            raise SystemExit(f"error: the demo refused {built['refused']} of its own figures")
    from toancanh.operations import demo as operations_demo

    made = operations_demo.build()
    if made:
        print(f"  alert rules: {made}")
    from toancanh.reporting import demo as reporting_demo
    from toancanh.reporting import demo_sectors as reporting_sectors_demo

    print(f"  reporting: {reporting_demo.build()}; {reporting_sectors_demo.build()}", flush=True)
    from toancanh.core.registry import DemoBuilder, registry

    for builder in registry.all(DemoBuilder):  # each pack's own part of the demo (``demo.py``)
        print(f"  {builder.pack}: {builder.build() or 'done'}", flush=True)
    with translation.override("vi"):
        users = create_users()
        from toancanh.accounts.models import User

        print("filing a year of the communes' monthly reports (through the clerk's checks) …", flush=True)
        filled = reporting_demo.fill(
            officer=User.objects.get(username="vanhanh"), clerk=User.objects.get(username="thongke.hiepduc")
        )
        print(f"  reporting: {filled}", flush=True)
        sectors = reporting_sectors_demo.fill(
            health_officer=User.objects.get(username="canbo.yte"), officer=User.objects.get(username="vanhanh")
        )
        print(f"  reporting: {sectors}", flush=True)
    print("\nDemo accounts (user name / password / role):")
    for username, password, role in users:
        print(f"  {username:<18} {password:<16} {role}")
    with translation.override("vi"):
        live = operations_demo.live_work()
    if live:
        print(f"\nwork waiting: {live} alerts in the operator's inbox, a flood situation, a draft warning")
    if args.no_serve:
        return
    print()
    runner = _start_runner_process()
    print("a job runner (roll-ups, anomaly checks, time-driven alert rules, notifications) runs beside it", flush=True)
    try:
        cmd_serve(args)
    finally:
        runner.terminate()
        try:
            runner.wait(timeout=15)
        except subprocess.TimeoutExpired:
            runner.kill()


def cmd_units_load(args) -> None:
    from toancanh.units import official, services

    provinces = set(args.province) if args.province else None
    rows, succession_scope = [], None
    if args.edition in {"current", "all"}:
        rows += official.current_units(provinces)
    if args.edition in {"former", "all"}:
        former = official.provinces_merged_into(provinces) if provinces else None
        rows += official.former_units(former)
        succession_scope = (former | provinces) if provinces else None
    result = services.upsert_units(rows, by=None, source=official.SOURCE)
    print(f"units: {result.created} created, {result.updated} updated")
    if args.edition == "all":
        succ = services.replace_successions(
            official.successions(succession_scope), by=None, source=official.SUCCESSION_SOURCE
        )
        print(f"succession links: {succ.created} for {succ.details['former_units']} former units")


def cmd_units_import(args) -> None:
    from toancanh.units import imports, services

    result = services.upsert_units(
        imports.parse_units_csv(_read(args.file), source=args.file), by=None, source=args.file
    )
    print(f"units: {result.created} created, {result.updated} updated")


def cmd_units_succession(args) -> None:
    from toancanh.units import imports, services

    result = services.replace_successions(
        imports.parse_succession_csv(_read(args.file), source=args.file), by=None, source=args.file
    )
    print(f"succession links: {result.created} for {result.details['former_units']} former units")


def cmd_units_boundaries(args) -> None:
    from toancanh.units.geometry import import_boundaries
    from toancanh.units.queries import resolve_unit

    within = resolve_unit(args.within) if args.within else None
    result = import_boundaries(
        Path(args.file).read_bytes() if Path(args.file).is_file() else _read(args.file),
        by=None,
        level=args.level,
        on=args.on,
        within=within,
        code_property=args.code_property,
        name_property=args.name_property,
        repair=args.repair,
        source=Path(args.file).name,
    )
    print(
        f"boundaries imported: {len(result.matched)} "
        f"({sum(1 for h in result.matched.values() if h == 'code')} by code, "
        f"{sum(1 for h in result.matched.values() if h == 'name')} by name)"
    )
    if result.unmatched_features:
        print(f"features that matched no unit ({len(result.unmatched_features)}):")
        for f in result.unmatched_features:
            print(f"  {f}")
    if result.units_without_boundary:
        print(f"units still without a boundary ({len(result.units_without_boundary)}):")
        for u in result.units_without_boundary[:50]:
            print(f"  {u}")


def cmd_apikey_create(args) -> None:
    from toancanh.accounts.services import create_api_key
    from toancanh.core.scoping import Scope
    from toancanh.units.queries import resolve_unit

    unit = resolve_unit(args.unit).key if args.unit else None
    key, plain = create_api_key(
        by=None,
        scope=Scope(everywhere=True),
        name=args.name,
        role=args.role,
        unit=unit,
        agency=args.agency,
        sectors=args.sector or [],
    )
    print(plain)
    print(f"(API key '{key.name}', role {key.role}, scope {key.unit.name}; it is shown only now)", file=sys.stderr)


def cmd_apikey_list(args) -> None:
    from toancanh.accounts.models import ApiKey

    for k in ApiKey.objects.select_related("unit").order_by("name"):
        state = "revoked" if k.revoked_at else "active"
        print(f"{k.name:<24} {k.role:<16} {k.unit.key if k.unit else '-':<14} {state}")


def cmd_apikey_revoke(args) -> None:
    from toancanh.accounts.models import ApiKey
    from toancanh.accounts.services import revoke_api_key

    key = ApiKey.objects.filter(name=args.name).first()
    if key is None:
        raise SystemExit(f"error: no API key named '{args.name}'")
    revoke_api_key(key, by=None)
    print(f"revoked '{args.name}'")


def cmd_user_create(args) -> None:
    from toancanh.accounts.services import create_staff_user
    from toancanh.core.scoping import Scope
    from toancanh.units.queries import resolve_unit

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("password: ")
    unit = resolve_unit(args.unit).key if args.unit else None
    user = create_staff_user(
        by=None,
        scope=Scope(everywhere=True),
        username=args.username,
        password=password,
        role=args.role,
        unit=unit,
        agency=args.agency,
        sectors=args.sector or [],
        full_name=args.full_name or "",
        superuser=args.superuser,
    )
    print(f"created user '{user.username}' ({user.role})")


def cmd_indicators_import(args) -> None:
    from toancanh.core.scoping import Scope
    from toancanh.indicators import io, services

    path = Path(args.file)
    if not path.is_file():
        raise SystemExit(f"error: file not found: {args.file}")
    rows = io.read_values(path.name, path.read_bytes(), status=args.status)
    from toancanh.indicators import refresh

    report = services.record_values(rows, by=None, scope=Scope(everywhere=True), source=path.name)
    done = refresh.recompute_dirty() if args.wait else None  # after the figures' transaction, as the runner would
    print(f"figures: {report.created} new, {report.changed} corrected, {report.unchanged} unchanged, "
          f"{len(report.refused)} refused")  # fmt: skip
    if done is None:
        print(f"roll-ups and anomaly checks queued for the job runner (job #{report.job})" if report.job else "")
    else:
        print(f"roll-ups rebuilt: {done['slices']} slices in {done['seconds']:.1f} s; {done['series_checked']} "
              "series checked for anomalies")  # fmt: skip
    for r in report.refused[:100]:
        print(f"  row {r['row']}: {r['error']}", file=sys.stderr)
    for a in (done or {}).get("anomalies", [])[:50]:
        print(f"  unusual: {a['indicator']} {a['unit']} {a['period']} (z = {a['z']})")


def cmd_indicators_export(args) -> None:
    from toancanh.indicators import io
    from toancanh.indicators.models import Indicator
    from toancanh.units.queries import resolve_unit

    unit = resolve_unit(args.unit)
    indicators = list(Indicator.objects.filter(active=True))
    if args.file.endswith(".csv"):
        Path(args.file).write_text(io.write_csv(indicators, unit), encoding="utf-8")
    else:
        Path(args.file).write_bytes(io.write_excel(indicators, unit, args.period))
    print(f"wrote {args.file}")


def cmd_indicators_recompute(args) -> None:
    from toancanh.indicators import refresh, rollup

    stats = rollup.recompute()
    print(f"roll-ups rebuilt: {stats.slices} indicator-years, {stats.rows_written} rows, {stats.seconds:.1f} s")
    left = refresh.recompute_dirty()  # what filed figures marked (rebuilt above) and their anomaly checks
    print(f"series checked for anomalies: {left['series_checked']} ({left['flags']} unusual figures)")


def cmd_worker(args) -> None:
    """Run background jobs (roll-ups, anomaly checks, time-driven rules, notifications, data sources);
    with TOANCANH_EVENTS_BUS=nats|redis also handle events from the bus."""
    import logging
    import signal
    import threading

    from toancanh.core import jobs
    from toancanh.operations import transport

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if transport.enabled():
        from toancanh.operations.services import run_event_worker

        runner = jobs.start_runner(poll=args.poll)
        try:
            handled = run_event_worker(batch=args.batch, stop_after_idle=args.stop_after_idle)
        finally:
            runner.set()
        print(f"worker stopped after {handled} events")
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    if args.parent_pid:

        def orphaned() -> None:  # the server that started this runner is gone: stop with it
            while not stop.wait(2):
                if os.getppid() != args.parent_pid:
                    stop.set()

        threading.Thread(target=orphaned, daemon=True).start()
    ran = jobs.run_worker(stop, poll=args.poll, stop_after_idle=args.stop_after_idle)
    print(f"worker stopped after {ran} jobs")


def cmd_tick(args) -> None:
    """One round of the time-driven work, here and now (what the runner does every minute)."""
    from toancanh.operations.notifications import deliver_due
    from toancanh.operations.services import tick

    raised, cleared = tick()
    sent = deliver_due()
    print(f"alerts raised {raised}, cleared {cleared}; notifications sent {sent['sent']}")


def cmd_connector_add(args) -> None:
    import json

    from toancanh.core.connectors import save_instance
    from toancanh.core.errors import ServiceError

    try:
        config = json.loads(args.config)
    except ValueError as exc:
        raise ServiceError(f"--config is not JSON: {exc}") from exc
    inst = save_instance(by=None, name=args.name, kind=args.kind, config=config, every_seconds=args.every,
                         timeout_seconds=args.timeout)  # fmt: skip
    print(
        f"source '{inst.name}' ({inst.kind}) saved: every {inst.every_seconds} s, time limit {inst.timeout_seconds} s"
    )


def cmd_connector_list(args) -> None:
    from toancanh.core.models import ConnectorInstance

    for c in ConnectorInstance.objects.all():
        when = c.last_success_at.isoformat(timespec="seconds") if c.last_success_at else "never"
        print(f"{c.name:<30} {c.kind:<20} {c.status:<8} last success {when}; accepted {c.accepted_total}, "
              f"refused {c.refused_total}{'; ' + c.last_error[:80] if c.failures else ''}")  # fmt: skip


def cmd_connector_run(args) -> None:
    from toancanh.core import connectors
    from toancanh.core.errors import NotFound
    from toancanh.core.models import ConnectorInstance

    inst = ConnectorInstance.objects.filter(name=args.name).first()
    if inst is None:
        raise NotFound(f"no source '{args.name}'")
    connectors.run_now(inst, by=None)
    connectors.run_due()
    inst.refresh_from_db()
    print(f"{inst.name}: {inst.status}; accepted {inst.last_accepted}, refused {inst.last_refused}"
          + (f"; error: {inst.last_error}" if inst.failures else ""))  # fmt: skip


def cmd_telemetry_mqtt(args) -> None:
    import logging

    from toancanh.telemetry.mqtt import MqttConfig, Subscription, config_of

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    config = config_of(args.source) if args.source else MqttConfig(host=args.host, port=args.port, prefix=args.prefix)
    sub = Subscription(config, source=args.source or "mqtt")
    print(f"subscribed to {config.prefix}/+/readings on {config.host}:{config.port}; Ctrl-C stops", flush=True)
    try:
        stats = sub.run(idle_exit=args.idle_exit)
    except KeyboardInterrupt:
        sub.stop()
        stats = sub.stats
    print(", ".join(f"{k} {v}" for k, v in sorted(stats.items())) or "nothing received", flush=True)


def cmd_telemetry_publish(args) -> None:
    import json

    from toancanh.core.errors import ServiceError
    from toancanh.telemetry.publisher import publish_rows

    text = sys.stdin.read() if args.file == "-" else _read(args.file)
    try:
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    except ValueError as exc:
        raise ServiceError(f"{args.file}: one JSON reading a line expected: {exc}") from exc
    done = publish_rows(rows, host=args.host, port=args.port, prefix=args.prefix, per_message=args.per_message)
    print(f"{done['acknowledged_readings']} of {done['readings']} readings acknowledged by the broker "
          f"({done['acknowledged_messages']} of {done['messages']} messages)")  # fmt: skip


def cmd_calendar_seed(args) -> None:
    from toancanh.core.calendar_services import seed_year

    counts = seed_year(args.year, by=None)
    print(f"calendar {args.year}: {counts['created']} days created, {counts['updated']} updated, "
          f"{counts['kept']} kept as an administrator left them")  # fmt: skip


def cmd_calendar_show(args) -> None:
    from toancanh.core.calendar_queries import year_listing

    for day in year_listing(args.year):
        print(f"{day.date:%d/%m/%Y} {day.date:%a} {day.kind:<16} {day.name}  [{day.source}]")


# --- parser -------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    from toancanh import __version__

    parser = argparse.ArgumentParser(prog="toancanh", description="Toàn Cảnh — Trung tâm điều hành thông minh")
    parser.add_argument("--version", action="version", version=f"toancanh {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    def server_options(p):
        p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--workers", type=int, default=None, help="web processes (default: one per core)")

    p = sub.add_parser("demo", help="create the demo database (SQLite by default), load Đà Nẵng, start the server")
    server_options(p)
    p.add_argument("--no-serve", action="store_true", help="only prepare the demo data")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="start the web server")
    server_options(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("migrate", help="create or update the database tables")
    p.set_defaults(func=cmd_migrate)

    units = sub.add_parser("units", help="administrative units").add_subparsers(dest="units_command", required=True)
    p = units.add_parser("load", help="load the official code lists (vietnamadminunits)")
    p.add_argument("--province", action="append", help="GSO code of a current province (repeatable); default: all")
    p.add_argument("--edition", choices=["current", "former", "all"], default="all")
    p.set_defaults(func=cmd_units_load)
    p = units.add_parser("import", help="import units from CSV (all or nothing)")
    p.add_argument("file")
    p.set_defaults(func=cmd_units_import)
    p = units.add_parser("succession", help="import a succession mapping from CSV: old,new,share")
    p.add_argument("file")
    p.set_defaults(func=cmd_units_succession)
    p = units.add_parser("boundaries", help="import unit boundaries from GeoJSON")
    p.add_argument("file")
    p.add_argument("--level", choices=["province", "district", "commune"], default="province")
    p.add_argument("--on", type=_date, default=None, help="match units in force on this day (default today)")
    p.add_argument("--within", help="only units under this unit (key)")
    p.add_argument("--code-property")
    p.add_argument("--name-property")
    p.add_argument("--repair", action="store_true", help="repair invalid geometries instead of refusing them")
    p.set_defaults(func=cmd_units_boundaries)

    keys = sub.add_parser("apikey", help="integrators' API keys").add_subparsers(dest="apikey_command", required=True)
    p = keys.add_parser("create", help="create a key and print it (shown only once)")
    p.add_argument("name")
    p.add_argument("--role", required=True)
    p.add_argument("--unit", help="unit key or GSO code of its scope")
    p.add_argument("--agency", help="agency code, to scope it to one agency")
    p.add_argument("--sector", action="append")
    p.set_defaults(func=cmd_apikey_create)
    p = keys.add_parser("list")
    p.set_defaults(func=cmd_apikey_list)
    p = keys.add_parser("revoke")
    p.add_argument("name")
    p.set_defaults(func=cmd_apikey_revoke)

    figures = sub.add_parser("indicators", help="socio-economic figures").add_subparsers(
        dest="indicators_command", required=True
    )
    p = figures.add_parser("import", help="file figures from Excel (.xlsx) or CSV; refused rows are listed")
    p.add_argument("file")
    p.add_argument("--status", default="preliminary", choices=["estimate", "preliminary", "official"])
    p.add_argument("--no-wait", dest="wait", action="store_false",
                   help="leave roll-ups and anomaly checks to the job runner instead of doing them now")  # fmt: skip
    p.set_defaults(func=cmd_indicators_import)
    p = figures.add_parser("export", help="write a unit's figures to .xlsx (units as columns) or .csv")
    p.add_argument("file")
    p.add_argument("--unit", required=True)
    p.add_argument("--period")
    p.set_defaults(func=cmd_indicators_export)
    p = figures.add_parser("recompute", help="rebuild every roll-up")
    p.set_defaults(func=cmd_indicators_recompute)

    p = sub.add_parser("worker", help="run background jobs (and events from NATS or Redis with TOANCANH_EVENTS_BUS)")
    p.add_argument("--batch", type=int, default=200)
    p.add_argument("--poll", type=float, default=1.0, help="seconds between looks for due jobs when idle")
    p.add_argument("--stop-after-idle", type=float, default=None, help="stop after this many idle seconds")
    p.add_argument("--parent-pid", type=int, default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_worker)
    p = sub.add_parser("tick", help="let time-driven alert rules decide now (run every minute)")
    p.set_defaults(func=cmd_tick)

    conn = sub.add_parser("connector", help="data sources").add_subparsers(dest="connector_command", required=True)
    p = conn.add_parser("add", help="configure a data source (or change one)")
    p.add_argument("name")
    p.add_argument("kind", help="a connector kind (built in or from a pack)")
    p.add_argument("--config", default="{}", help="the source's configuration as JSON")
    p.add_argument("--every", type=int, default=300, help="pull every … seconds")
    p.add_argument("--timeout", type=int, default=60, help="time limit of one run, in seconds")
    p.set_defaults(func=cmd_connector_add)
    p = conn.add_parser("list", help="every source with its health")
    p.set_defaults(func=cmd_connector_list)
    p = conn.add_parser("run", help="run a source now and say how it went")
    p.add_argument("name")
    p.set_defaults(func=cmd_connector_run)

    tel = sub.add_parser("telemetry", help="stations' readings").add_subparsers(dest="telemetry_command", required=True)
    p = tel.add_parser("mqtt", help="subscribe to station loggers over MQTT and store their readings")
    p.add_argument("--source", help="a configured telemetry.mqtt source (its health counts what comes in)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=1883)
    p.add_argument("--prefix", default="toancanh/telemetry")
    p.add_argument("--idle-exit", type=float, help="stop after this many seconds without a message")
    p.set_defaults(func=cmd_telemetry_mqtt)
    p = tel.add_parser("publish", help="publish readings (JSON lines, '-' for stdin) as station loggers do")
    p.add_argument("file")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=1883)
    p.add_argument("--prefix", default="toancanh/telemetry")
    p.add_argument("--per-message", type=int, default=1, help="readings of one station per message")
    p.set_defaults(func=cmd_telemetry_publish)

    cal = sub.add_parser("calendar", help="the working-day calendar").add_subparsers(
        dest="calendar_command", required=True
    )
    p = cal.add_parser("seed", help="write a year's default days off (an administrator's days are kept)")
    p.add_argument("--year", type=int, required=True)
    p.set_defaults(func=cmd_calendar_seed)
    p = cal.add_parser("show", help="list a year's days that differ from the normal week")
    p.add_argument("--year", type=int, required=True)
    p.set_defaults(func=cmd_calendar_show)

    users = sub.add_parser("user", help="staff accounts").add_subparsers(dest="user_command", required=True)
    p = users.add_parser("create", help="create a staff account (the password is asked for)")
    p.add_argument("username")
    p.add_argument("--role", required=True)
    p.add_argument("--unit")
    p.add_argument("--agency")
    p.add_argument("--sector", action="append")
    p.add_argument("--full-name")
    p.add_argument("--superuser", action="store_true", help="a system administrator without a unit")
    p.add_argument("--password-stdin", action="store_true")
    p.set_defaults(func=cmd_user_create)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _setup()
    from toancanh.core.errors import ServiceError

    if getattr(args, "on", "unset") is None:
        from toancanh.units.queries import today

        args.on = today()
    try:
        args.func(args)
    except ServiceError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
