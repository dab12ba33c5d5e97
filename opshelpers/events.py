"""Shared building blocks on the events table: the checks, active days, and a user's
first days against a later follow-up window.

Users (02_users), community (03) and the data lessons all count "active" the same way:
a user is active on a calendar day with any event. Day numbers after signup count
calendar days, day 0 being the signup day (as retention's 第N日 does).

>>> e = pd.DataFrame({"user_id": [1, 1, 2], "event_time": pd.to_datetime(
...     ["2026-01-01 09:00", "2026-01-01 20:00", "2026-01-02 10:00"])})
>>> len(active_days(e))
2
"""

from __future__ import annotations

import pandas as pd

from .i18n import t
from .metrics import require
from .quality import note_unmatched, unmatched_rows

__all__ = ["check_events", "active_days", "early_and_follow_up"]


def check_events(events: pd.DataFrame, what: str) -> None:
    """Refuse an events table without user_id/event_time, empty, or with missing times."""
    require(events, ["user_id", "event_time"], what)
    if events.empty:
        raise ValueError(f"{what}: the events table is empty")
    if events["event_time"].isna().any():
        n = int(events["event_time"].isna().sum())
        raise ValueError(f"{what}: {n} event(s) have no event_time (NaT); drop or fix them "
                         "first (ops.read_table(..., invalid='report') lists them)")


def active_days(events: pd.DataFrame) -> pd.DataFrame:
    """Distinct (user_id, date) pairs with any event: the unit of 'active'."""
    check_events(events, "active_days")
    out = pd.DataFrame({"user_id": events["user_id"].to_numpy(),
                        "date": events["event_time"].dt.normalize().to_numpy()})
    return out.drop_duplicates(ignore_index=True)


def early_and_follow_up(users: pd.DataFrame, events: pd.DataFrame, early_days: int,
                        follow_up_days: tuple[int, int], what: str) -> pd.DataFrame:
    """Per user whose follow-up is observed: active days on days 1 … `early_days` after
    signup (`early_active_days`) and whether they were active on any day
    follow_up_days[0] … follow_up_days[1] (`active_in_follow_up`).

    Users whose follow-up ends after the last event day are left out (not yet known);
    events of users not in `users` are counted in `attrs["unmatched_rows"]`.
    """
    require(users, ["user_id", "signup_time", "channel"], f"{what}(users)")
    first, last_day = (int(d) for d in follow_up_days)
    if not 0 < early_days < first <= last_day:
        raise ValueError(t("users.churn.bad_days", early=early_days, follow_up=follow_up_days))
    lost = unmatched_rows(users["user_id"], events["user_id"], "users", "events")
    act = active_days(events).merge(users[["user_id", "signup_time"]], on="user_id")
    act["offset"] = (act["date"] - act["signup_time"].dt.normalize()).dt.days
    observed = users["signup_time"].dt.normalize() + pd.Timedelta(days=last_day) <= act["date"].max()
    u = users.loc[observed, ["user_id", "signup_time", "channel"]].reset_index(drop=True)
    early = act[(act["offset"] >= 1) & (act["offset"] <= early_days)]
    late = act[(act["offset"] >= first) & (act["offset"] <= last_day)]
    u["early_active_days"] = u["user_id"].map(early.groupby("user_id").size()).fillna(0)
    u["active_in_follow_up"] = u["user_id"].isin(late["user_id"])
    u["channel"] = u["channel"].astype(str)
    return note_unmatched(u, "events", lost, len(events), what)
