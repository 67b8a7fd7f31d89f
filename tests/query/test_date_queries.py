"""Dates in the bundled reports: compared by their bounds, printed at their precision."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from azgraph.cli.main import cli
from azgraph.rdf.dates import parse_date

REPO = Path(__file__).resolve().parents[2]
ID = "https://w3id.org/azgraph/id/"


def run_csv(name: str, *params: str) -> list[dict[str, str]]:
    args = ["query", "run", name, "-f", "csv", "--project", str(REPO)]
    for param in params:
        args += ["-p", param]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_before_2005_holds_the_facts_whose_whole_period_ends_before_2005() -> None:
    rows = run_csv("before")
    found = {(row["thing"].removeprefix(ID), row["dateKind"], row["date"]) for row in rows}
    assert ("state/democratic-republic-of-azerbaijan", "inception", "1918") in found
    assert ("tenure/heydar-aliyev-president-of-azerbaijan", "end time", "2003") in found
    assert ("event/turkish-warplane-demonstration-in-baku-2001", "point in time", "2001-08-24") in (
        found
    )
    assert all(row["date"] < "2005" for row in rows)
    assert not any(row["date"].startswith("2020") for row in rows)
    assert not any("second-nagorno-karabakh-war" in row["thing"] for row in rows)


def test_before_compares_the_whole_period_not_its_first_day() -> None:
    # The BTC pipeline's construction began "in 2003": not before 2003-06, since it may have
    # begun in July; before 2004 it certainly was.
    def things(before: str) -> set[str]:
        return {row["thing"] for row in run_csv("before", f"before={before}")}

    btc = f"{ID}pipeline/baku-tbilisi-ceyhan-pipeline"
    assert btc not in things("2003-06")
    assert btc in things("2004")


def test_the_timeline_prints_dates_at_their_precision_and_the_war_ends_once() -> None:
    result = CliRunner().invoke(cli, ["query", "run", "timeline", "--project", str(REPO)])
    assert result.exit_code == 0, result.stderr
    assert "T00:00:00" not in result.stdout
    lines = result.stdout.splitlines()
    assert any(line.startswith("1918  ") and "inception" in line for line in lines)
    assert any(line.startswith("2020-11-09  ") for line in lines)
    war_ends = {
        line.split()[0]
        for line in lines
        if "second-nagorno-karabakh-war" in line and "end time" in line
    }
    assert war_ends == {"2020-11-09"}


def test_the_timeline_sorts_by_the_bounds() -> None:
    dates = [row["date"] for row in run_csv("timeline")]
    assert dates.index("2020") < dates.index("2020-03") < dates.index("2020-11-09")
    # January 2021 starts with the year 2021 and ends first
    assert dates.index("2021-01") < dates.index("2021")
    periods = [parse_date(d) for d in dates]
    assert periods == sorted(periods, key=lambda p: (p.earliest, p.latest))
