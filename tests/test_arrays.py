"""arrays: the one period bucketing every helper uses, and its parameter check."""

import pandas as pd
import pytest

import opshelpers as ops
from opshelpers import arrays


def test_period_start_boundaries():
    t = pd.Series(pd.to_datetime(["2026-03-01 23:59:59", "2026-03-02 00:00:00",
                                  "2026-03-08 23:59:59", "2026-03-09 00:00:00",
                                  "2026-03-31 23:59:59", "2026-04-01 00:00:00"]))
    weeks = arrays.period_start(t, "W").dt.strftime("%Y-%m-%d").tolist()
    assert weeks == ["2026-02-23", "2026-03-02", "2026-03-02", "2026-03-09", "2026-03-30",
                     "2026-03-30"]                        # weeks run Monday 00:00 – Sunday
    months = arrays.period_start(t, "M").dt.strftime("%m-%d").tolist()
    assert months == ["03-01", "03-01", "03-01", "03-01", "03-01", "04-01"]
    assert arrays.period_start(t, "Q").dt.month.tolist() == [1, 1, 1, 1, 1, 4]
    assert arrays.period_start(t, "D").tolist() == list(t.dt.normalize())


@pytest.mark.parametrize("call, name", [
    (lambda u, e: ops.users.retention(u, e, freq="week"), "freq"),
    (lambda u, e: ops.users.lifecycle(u, e, freq="X"), "freq"),
    (lambda u, e: ops.users.revenue_metrics(e, ops.load_sample("orders"), freq=None), "freq"),
    (lambda u, e: ops.traffic.uv_pv(ops.load_sample("visits"), freq="2W"), "freq"),
])
def test_a_bad_period_names_the_parameter_and_the_choices(call, name):
    users, events = ops.load_sample("users"), ops.load_sample("events")
    with pytest.raises(ValueError, match=rf"^{name} must be D \(day\), W \(week, "
                                         r"Monday–Sunday\), M \(month\)"):
        call(users, events)
    ops.i18n.set_language("zh")
    with pytest.raises(ValueError, match=rf"^{name} 只能是 D（天）、W（周"):
        call(users, events)
