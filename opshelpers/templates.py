"""Analyst templates: the lessons' analyses on your own export, via `opshelpers report`.

    opshelpers report --list
    opshelpers report retention --data events.csv --map user_id=uid,event_time=ts \\
        --param freq=M --out retention.html

Each template is a parameterised notebook in `notebooks/templates/` (a papermill
"parameters" cell). Inputs are validated first — a missing column, an unreadable
encoding or an empty file stops with one message naming the column and the `--map` fix;
rows that cannot be parsed are dropped *and listed* in the report's data-quality section.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .arrays import duration
from .compat import warn_deprecated
from . import i18n
from .i18n import language, set_language, t
from .io import SchemaError, load_sample, read_table
from .plots import CSS_FONT_STACK
from .schema import TABLES, Table

__all__ = ["TEMPLATES", "load_input", "save_tables", "validate_inputs", "run_template",
           "check_params", "check_output", "TemplateError"]

FOLDER = Path(__file__).resolve().parent.parent / "notebooks" / "templates"


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    data: tuple[str, tuple[str, ...]]                 # (sample table, required columns)
    data2: tuple[str, tuple[str, ...]] | None = None
    params: dict = field(default_factory=dict)


TEMPLATES: dict[str, Template] = {t.name: t for t in [
    Template("retention", "Cohort retention", ("events", ("user_id", "event_time")),
             params={"freq": "W", "days": "1,7,30"}),
    Template("funnel", "Ordered funnel", ("events", ("user_id", "event_time", "event")),
             params={"steps": "app_open,view_product,add_to_cart,checkout,purchase",
                     "window": "7D"}),
    Template("rfm", "RFM segments", ("orders", ("user_id", "order_time", "paid"))),
    Template("channel_roi", "Channel ROI", ("channel_daily", ("date", "channel", "spend",
                                                                "impressions", "clicks")),
             ("visits", ("visit_time", "channel", "signed_up", "user_id")),
             params={"orders": ""}),      # optional orders file: revenue and ROI
    Template("ab_test", "A/B test readout", ("ab_assignments", ("user_id", "variant")),
             ("orders", ("user_id", "order_time", "paid")),
             params={"experiment": "checkout_button", "start": "2026-04-01",
                     "end": "2026-05-12"}),
    Template("content", "Content performance", ("posts", ("platform", "publish_time", "title",
                                                          "impressions", "reads", "likes",
                                                          "shares", "comments", "saves",
                                                          "follows"))),
    Template("kpi_monitor", "KPI monitor with anomalies", ("events", ("user_id", "event_time",
                                                                      "event")),
             ("orders", ("user_id", "order_time", "gmv", "paid")), params={"burn_in": "28"}),
]}


def _choice(*allowed: str):
    def check(value: str) -> None:
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}")
    return check


def _day_list(value: str) -> None:
    parts = [p.strip() for p in str(value).split(",")]
    bad = [p for p in parts if not p.isdigit()]
    if bad or not parts:
        raise ValueError(f"must be whole days ≥ 0 separated by commas (e.g. 1,7,30); "
                         f"{bad[0]!r} is not one" if bad else "needs at least one day")


def _step_list(value: str) -> None:
    steps = [p.strip() for p in str(value).split(",")]
    if len(steps) < 2 or not all(steps):
        raise ValueError("must name at least two events separated by commas, e.g. "
                         "app_open,purchase")


def _duration(value: str) -> None:
    duration(str(value))                      # the helpers' own check, before a kernel


def _date(value: str) -> None:
    try:
        pd.Timestamp(str(value))
    except ValueError:
        raise ValueError("must be a date such as 2026-04-01") from None


def _positive_whole(value: str) -> None:
    if not str(value).isdigit() or int(value) <= 0:
        raise ValueError("must be a whole number > 0")


def _optional_file(value: str) -> None:
    if value and not Path(value).is_file():
        raise ValueError(f"names no file ({Path(value).resolve()} does not exist)")


def _text(value: str) -> None:
    if not str(value).strip():
        raise ValueError("must not be empty")


PARAM_CHECKS = {"freq": _choice("D", "W", "M", "Q", "Y"), "days": _day_list, "steps": _step_list,
                "window": _duration, "start": _date, "end": _date, "orders": _optional_file,
                "experiment": _text, "burn_in": _positive_whole}


OLD_PARAMS = {"cohort": "freq"}     # renamed parameters, accepted one release


def current_params(params: dict | None) -> dict:
    """`params` with old parameter names replaced by today's (with a FutureWarning).

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     current_params({"cohort": "M"})
    {'freq': 'M'}
    """
    out = {}
    for key, value in (params or {}).items():
        if key in OLD_PARAMS:
            warn_deprecated(f"--param {key}={value}", f"--param {OLD_PARAMS[key]}={value}")
            key = OLD_PARAMS[key]
        out[key] = value
    return out


def check_params(name: str, params: dict) -> None:
    """Every `--param` checked before a kernel starts: name, then value."""
    t = TEMPLATES[name]
    params = current_params(params)
    unknown = set(params) - set(t.params)
    if unknown:
        raise ValueError(f"template {name!r} has no parameter(s) {sorted(unknown)}; "
                         f"it takes {sorted(t.params) or 'none'}")
    merged = {**t.params, **params}
    for key, value in merged.items():
        try:
            PARAM_CHECKS[key](value)
        except ValueError as err:
            raise ValueError(f"--param {key}={value}: {err}") from None
    if "start" in merged and pd.Timestamp(merged["start"]) > pd.Timestamp(merged["end"]):
        raise ValueError(f"--param start={merged['start']} is after end={merged['end']}")


def check_output(out_html: str | Path) -> tuple[Path, Path]:
    """The report path and its tables folder, refused before any work if unusable."""
    out = Path(out_html)
    if out.is_dir():
        raise ValueError(f"--out {out} is a folder; name the report file, e.g. "
                         f"--out {out / 'report.html'}")
    if out.suffix.lower() != ".html":
        raise ValueError(f"--out {out} must end in .html (e.g. {out.with_suffix('.html')})")
    tables = out.resolve().with_suffix("")
    if tables.exists() and not tables.is_dir():
        raise ValueError(f"the tables go to the folder {tables}, but a file of that name "
                         "exists; move it or choose another --out")
    parent = out.resolve().parent
    if parent.exists() and not os.access(parent, os.W_OK):
        raise ValueError(f"cannot write to {parent}; choose another --out")
    return out.resolve(), tables


def _spec(table: str, required: tuple[str, ...]) -> Table:
    base = TABLES[table]
    return dataclasses.replace(base, optional=tuple(c for c in base.names
                                                    if c not in required))


def load_input(path: str | None, table: str, required, mapping: dict | None = None,
               max_invalid_share: float = 0.5, **options) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(data, problems): the user's file validated, or the sample table when `path` is None.

    Rows that cannot be used are left out and counted in `problems`; if more than
    `max_invalid_share` of the rows are left out (counting each row once, whatever
    its number of problems), a column is probably mapped wrong: stop. `options` go to
    `read_table` (duplicates, min_date, as_of, dayfirst, encoding, …).
    """
    if path is None:
        return load_sample(table), pd.DataFrame(columns=["column", "problem", "n_rows",
                                                         "action", "examples"])
    loaded = read_table(path, mapping or {}, table=_spec(table, tuple(required)),
                        invalid="report", **options)
    n_bad = len(loaded.rejected)
    total = len(loaded.data) + n_bad
    if total and n_bad / total > max_invalid_share:
        worst = loaded.report.sort_values("n_rows").iloc[-1]
        raise SchemaError(t("templates.mostly_unusable", file=Path(path).name, bad=n_bad,
                            total=total, column=worst["column"], problem=worst["problem"],
                            n=worst["n_rows"], examples=worst["examples"]))
    return loaded.data, loaded.report


def save_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path) -> list[Path]:
    """Key result tables as CSV (UTF-8 with BOM, opens in Excel) and one .xlsx workbook."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, df in tables.items():
        p = out / f"{name}.csv"
        df.to_csv(p, index=False, encoding="utf-8-sig")
        paths.append(p)
    book = out / "tables.xlsx"
    with pd.ExcelWriter(book, engine="openpyxl") as xl:
        for name, df in tables.items():
            df.to_excel(xl, sheet_name=name[:31], index=False)
    return paths + [book]


def validate_inputs(name: str, data: str | None, data2: str | None,
                    mapping: dict, mapping2: dict, read_options: dict | None = None) -> None:
    """Fail fast, before any notebook runs, with the loader's one clear message."""
    t = TEMPLATES[name]
    if data is not None:
        load_input(data, t.data[0], t.data[1], mapping, **(read_options or {}))
    if data2 is not None:
        if t.data2 is None:
            raise SchemaError(f"template {name!r} takes one input; drop --data2")
        load_input(data2, t.data2[0], t.data2[1], mapping2, **(read_options or {}))


def run_template(name: str, out_html: str | Path, data: str | None = None,
                 data2: str | None = None, mapping: dict | None = None,
                 mapping2: dict | None = None, params: dict | None = None,
                 show_code: bool = False, log=print, read_options: dict | None = None,
                 lang: str = "zh") -> Path:
    """Validate, execute the template with papermill, render HTML, write the tables.

    `lang` ("zh" default, or "en") is the language of the charts and verdicts.

    Parameters, the output path and the inputs are all checked before a kernel starts;
    an error inside the analysis comes back as one line naming the cell.
    """
    import nbformat
    try:
        import papermill as pm
        from nbconvert import HTMLExporter
    except ImportError as err:
        raise ImportError(i18n.t("templates.needs_reports", missing=err.name)) from None

    from .notebooks import in_language

    if name not in TEMPLATES:
        raise KeyError(f"unknown template {name!r}; run `opshelpers report --list`")
    t = TEMPLATES[name]
    params = current_params(params)
    check_params(name, params)
    language(lang)                                    # refuses anything but zh / en
    out_html, tables_dir = check_output(out_html)
    log(f"[1/3] validating inputs for {name}")
    validate_inputs(name, data, data2, mapping or {}, mapping2 or {}, read_options)
    parameters = {"data": str(Path(data).resolve()) if data else None,
                  "data2": str(Path(data2).resolve()) if data2 else None,
                  "mapping": json.dumps(mapping or {}), "mapping2": json.dumps(mapping2 or {}),
                  "read_options": json.dumps(read_options or {}, default=str),
                  "out_dir": str(tables_dir), "lang": lang, **t.params, **(params or {})}
    log(f"[2/3] running the analysis ({t.title})")
    with tempfile.TemporaryDirectory() as tmp:
        source, executed = Path(tmp) / f"{name}.source.ipynb", Path(tmp) / f"{name}.ipynb"
        nbformat.write(in_language(nbformat.read(FOLDER / f"{name}.ipynb", 4), lang), source)
        try:
            pm.execute_notebook(str(source), str(executed),
                                parameters=parameters, kernel_name="python3",
                                progress_bar=False, log_output=False, cwd=tmp)
        except pm.PapermillExecutionError as err:
            raise TemplateError(_one_line(name, err)) from None
        log("[3/3] rendering the report")
        body, _ = HTMLExporter(exclude_input=not show_code,
                               exclude_input_prompt=True,
                               exclude_output_prompt=True).from_filename(str(executed))
    # the reader's own CJK fonts draw the Chinese (nothing is fetched for it)
    body = body.replace("</head>", f"<style>body{{font-family:{CSS_FONT_STACK}}}</style>"
                        "</head>", 1)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    out_html.write_text(body, encoding="utf-8")
    log(f"wrote {out_html} and tables in {tables_dir}/")
    return out_html


class TemplateError(RuntimeError):
    """The analysis inside a template stopped: one line with the cell and the error."""


def _one_line(name: str, err) -> str:
    """PapermillExecutionError → 'template retention, cell 5 (`table = …`): ValueError: …'."""
    import re

    first = next((line.strip() for line in str(err.source).splitlines()
                  if line.strip() and not line.lstrip().startswith("#")), "")
    evalue = re.sub(r"\x1b\[[0-9;]*m", "", str(err.evalue)).splitlines()
    return (f"template {name!r} stopped in cell {err.exec_count} (`{first[:70]}`): "
            f"{err.ename}: {evalue[0] if evalue else ''}")


def parse_pairs(text: str | None, what: str) -> dict[str, str]:
    """'a=b,c=d' → {'a': 'b', 'c': 'd'}; 'days=1,7,30' keeps its commas.

    >>> parse_pairs("freq=M,days=1,7,30", "--param")
    {'freq': 'M', 'days': '1,7,30'}
    """
    if not text:
        return {}
    out, last = {}, None
    for piece in text.split(","):
        if "=" in piece:
            last, value = (x.strip() for x in piece.split("=", 1))
            out[last] = value
        elif last is not None:          # a comma inside a value: days=1,7,30
            out[last] += "," + piece.strip()
        else:
            raise ValueError(f"{what} expects name=value pairs separated by commas; "
                             f"got {piece!r}")
    return out


def main_report(args) -> int:
    """The `opshelpers report` command."""
    if args.list:
        for tp in TEMPLATES.values():
            cols = ", ".join(tp.data[1])
            extra = f"; --data2 {tp.data2[0]}: {', '.join(tp.data2[1])}" if tp.data2 else ""
            params = ", ".join(f"{k}={v}" for k, v in tp.params.items())
            print(f"{tp.name:12} {tp.title}. --data {tp.data[0]}: {cols}{extra}"
                  + (f". params: {params}" if params else ""))
        return 0
    if not args.template:
        print("opshelpers report: name a template (see --list)", file=sys.stderr)
        return 2
    set_language(args.lang)           # this command's messages, and the report's
    try:
        # --map uses our name = your name, as in the error messages
        mapping = {v: k for k, v in parse_pairs(args.map, "--map").items()}
        mapping2 = {v: k for k, v in parse_pairs(args.map2, "--map2").items()}
        options = {"encoding": args.encoding, "duplicates": args.duplicates,
                   "min_date": args.min_date, "as_of": args.as_of, "dayfirst": args.dayfirst,
                   "date_format": args.date_format}
        options = {k: v for k, v in options.items() if v is not None}
        run_template(args.template, args.out, args.data, args.data2, mapping, mapping2,
                     parse_pairs(args.param, "--param"), args.show_code,
                     log=lambda m: print(m, file=sys.stderr), read_options=options,
                     lang=args.lang)
    except (SchemaError, KeyError, ValueError, FileNotFoundError, TemplateError) as err:
        message = err.args[0] if isinstance(err, KeyError) and err.args else err
        print(f"opshelpers report: {message}", file=sys.stderr)
        return 2
    return 0
