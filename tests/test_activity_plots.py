"""The lesson-05 charts of opshelpers.plots: what each one draws, read back from the Axes."""

import warnings

import matplotlib.dates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import same_color
from scipy.stats import norm

from opshelpers import experiments as ex
from opshelpers import i18n, plots
from opshelpers.i18n import t


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _pace():
    hours = pd.date_range("2026-06-11", periods=6, freq="h")
    gmv = np.array([100.0, 10, 10, 400, 300, 200])
    target = np.array([100.0, 200, 300, 400, 500, 600])
    cum = gmv.cumsum()
    return pd.DataFrame({"hour": hours, "gmv": gmv, "cumulative_gmv": cum,
                         "target_pace": target, "attainment": cum / target,
                         "alert": cum / target < 0.9})


def _kpis(freq="h"):
    period = (pd.to_datetime(["2026-06-11 20:00", "2026-06-11 21:00", "2026-06-11 22:00",
                              "2026-06-12 10:00", "2026-06-12 11:00"])     # a night gap
              if freq == "h" else pd.date_range("2026-06-01", periods=5))
    return pd.DataFrame({"period": period, "viewers": [100, 300, 200, 150, 120],
                         "conversion": [0.02, 0.04, 0.03, 0.05, 0.01],
                         "conversion_low": [0.005, 0.02, 0.015, 0.02, 0.001],
                         "conversion_high": [0.07, 0.075, 0.06, 0.11, 0.05],
                         "aov": [100.0, 90, 120, 1500, 80]})


def _returns():
    return pd.DataFrame({"campaign_id": list("abcde"),
                         "kind": ["sale", "sale", "festival", "launch", "festival"],
                         "total_cost": [100.0, 200, 50, 40, 60],
                         "incremental_gmv": [100.0, 400, 25, 20, 120],
                         "return_per_cost": [1.0, 2.0, 0.5, 0.5, 2.0]})


def _forecast():
    return pd.DataFrame({"kind": ["sale"], "total_cost": [1000.0], "return_per_cost": [1.4],
                         "incremental_gmv": [1400.0], "incremental_gmv_low": [800.0],
                         "incremental_gmv_high": [2500.0], "level": [0.8]})


def _outcomes():
    rng = np.random.default_rng(5)
    x = rng.gamma(0.6, 300, 400) * (rng.random(400) < 0.4)
    y = 20 + 0.6 * x + rng.normal(0, 50, 400).clip(-20)
    return pd.DataFrame({"user_id": range(400), "variant": np.repeat(["A", "B"], 200),
                         "pre_revenue": x, "revenue": y})


def _line(ax, label):
    (line,) = [ln for ln in ax.lines if ln.get_label() == label]
    return line


def _legend(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


# pace_chart

def test_pace_chart_marks_exactly_the_alert_hours_in_red():
    pace = _pace()
    assert 0 < pace["alert"].sum() < len(pace)
    ax = plots.pace_chart(pace)
    red = _line(ax, t("plots.alert_hours"))
    assert len(red.get_xdata()) == pace["alert"].sum()
    assert same_color(red.get_color(), "C3") and red.get_linestyle() == "None"
    np.testing.assert_array_equal(red.get_ydata(), pace.loc[pace["alert"], "cumulative_gmv"])
    np.testing.assert_array_equal(matplotlib.dates.date2num(red.get_xdata()),
                                  matplotlib.dates.date2num(pace.loc[pace["alert"], "hour"]))


def test_pace_chart_draws_actual_solid_and_target_dashed_with_catalogue_labels():
    pace = _pace()
    ax = plots.pace_chart(pace)
    actual, target = _line(ax, "cumulative GMV"), _line(ax, "target pace")
    assert actual.get_linestyle() == "-" and target.get_linestyle() == "--"
    np.testing.assert_array_equal(actual.get_ydata(), pace["cumulative_gmv"])
    np.testing.assert_array_equal(target.get_ydata(), pace["target_pace"])
    assert _legend(ax) == ["cumulative GMV", "target pace", "alert hours"]
    assert ax.get_ylabel() == "CNY"
    assert ax.get_title() == "Burst: cumulative GMV vs target pace"


def test_pace_chart_speaks_chinese_with_money_ticks_and_event_lines():
    i18n.set_language("zh")
    pace = _pace().assign(cumulative_gmv=lambda d: d["cumulative_gmv"] * 1000,
                          target_pace=lambda d: d["target_pace"] * 1000)
    ax = plots.pace_chart(pace, {"加券": "2026-06-11 03:00"})
    assert _legend(ax) == ["累计GMV", "目标进度", "预警小时"]
    assert ax.get_ylabel() == "元" and ax.get_title() == "爆发期累计GMV与目标进度"
    assert ax.yaxis.get_major_formatter()(250_000, 0) == "250,000"
    assert ax.xaxis.get_major_formatter()(matplotlib.dates.date2num(
        pd.Timestamp("2026-06-15")), 0) == "06-15"
    event = [ln for ln in ax.lines if ln.get_linestyle() == ":"]
    assert len(event) == 1
    assert matplotlib.dates.date2num(pd.Timestamp("2026-06-11 03:00")) == \
        pytest.approx(matplotlib.dates.date2num(event[0].get_xdata()[0]))
    assert [x.get_text().strip() for x in ax.texts] == ["加券"]


def test_pace_chart_names_another_metric_generically_and_no_alert_no_dots():
    pace = _pace().rename(columns={"gmv": "orders", "cumulative_gmv": "cumulative_orders"})
    pace["alert"] = False
    ax = plots.pace_chart(pace)
    assert _legend(ax) == ["cumulative actual", "target pace"]
    assert ax.get_ylabel() == "" and ax.get_title() == "Cumulative actual vs target pace"


# live_panels

def test_live_panels_has_three_panels_and_the_band_spans_the_wilson_interval():
    k = _kpis()
    fig = plots.live_panels(k)
    top, mid, low = fig.axes
    assert len(fig.axes) == 3
    assert [ax.get_ylabel() for ax in fig.axes] == ["viewers", "conversion", "AOV (CNY)"]
    assert [p.get_height() for p in top.patches] == k["viewers"].tolist()
    (band,) = mid.collections
    ys = np.concatenate([path.vertices[:, 1] for path in band.get_paths()])
    assert ys.min() == pytest.approx(k["conversion_low"].min())
    assert ys.max() == pytest.approx(k["conversion_high"].max())
    assert mid.yaxis.get_major_formatter()(0.05, 0) == "5%"
    assert low.yaxis.get_major_formatter()(1500, 0) == "1,500"
    assert fig._suptitle.get_text() == "Live room by hour: viewers, conversion, AOV"


def test_live_panels_break_the_line_over_the_night_gap():
    k = _kpis()
    mid = plots.live_panels(k).axes[1]
    conv = _line(mid, "conversion").get_ydata()
    assert np.isnan(conv).sum() == 1                      # one gap: 22:00 → 10:00
    assert np.nanmax(np.abs(conv - np.r_[k["conversion"][:3], np.nan,
                                          k["conversion"][3:]])) == 0
    band = mid.collections[0]
    assert len(band.get_paths()) == 2                       # two pieces of band


def test_live_panels_mark_the_top_up_on_every_panel_and_label_it_once():
    i18n.set_language("zh")
    fig = plots.live_panels(_kpis(), at="2026-06-11 21:00")
    for ax in fig.axes:
        dashed = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
        assert len(dashed) == 1
    texts = [x.get_text().strip() for ax in fig.axes for x in ax.texts]
    assert texts == ["加券"]
    assert [ax.get_ylabel() for ax in fig.axes] == ["观看人数", "转化率", "客单价（元）"]
    assert fig._suptitle.get_text() == "直播间每小时的流量、转化和客单价"
    fig = plots.live_panels(_kpis(), at="2026-06-11 21:00", at_label="换主播")
    assert [x.get_text().strip() for ax in fig.axes for x in ax.texts] == ["换主播"]


def test_live_panels_say_by_day_for_daily_numbers():
    i18n.set_language("zh")
    fig = plots.live_panels(_kpis("D"))
    assert fig._suptitle.get_text() == "直播间每天的流量、转化和客单价"
    assert not np.isnan(_line(fig.axes[1], "转化率").get_ydata()).any()


# winners_curse_chart

def test_winners_curse_chart_puts_the_winners_mean_at_the_exaggerated_lift():
    w = ex.winners_curse(0.025, 0.0134).iloc[0]
    ax = plots.winners_curse_chart(0.025, 0.0134, observed=0.037)
    true = _line(ax, t("plots.true_lift", pp=2.5))
    mean = _line(ax, t("plots.winners_mean", pp=100 * w["exaggeration"] * 0.025))
    seen = _line(ax, t("plots.observed_lift", pp=3.7))
    assert true.get_xdata()[0] == pytest.approx(2.5)
    assert mean.get_xdata()[0] == pytest.approx(w["exaggeration"] * 0.025 * 100)
    assert seen.get_xdata()[0] == pytest.approx(3.7)
    assert "power 46%" in _legend(ax)[0]
    assert ax.get_xlabel() == "conversion lift (percentage points)"
    assert ax.xaxis.get_major_formatter()(2.5, 0) == "2.5"


def test_winners_curse_chart_shades_only_beyond_the_critical_value():
    se = 0.01
    ax = plots.winners_curse_chart(0.02, se)
    cut = 100 * norm.ppf(0.975) * se
    (shade,) = ax.collections
    xs = np.concatenate([path.vertices[:, 0] for path in shade.get_paths()])
    assert np.all(np.abs(xs) >= cut - 1e-9)
    assert xs[xs > 0].min() == pytest.approx(cut)
    assert xs.max() == pytest.approx(100 * (0.02 + 4 * se))
    curve = ax.lines[0]
    assert curve.get_xdata().min() == pytest.approx(-2) and \
        curve.get_xdata().max() == pytest.approx(6)
    assert curve.get_ydata().max() == pytest.approx(norm.pdf(0, 0, se), rel=1e-3)


def test_winners_curse_chart_signs_the_mean_for_a_negative_lift_and_speaks_chinese():
    i18n.set_language("zh")
    w = ex.winners_curse(-0.02, 0.01).iloc[0]
    ax = plots.winners_curse_chart(-0.02, 0.01)
    mean = [ln for ln in ax.lines if ln.get_label().startswith("胜出结果的平均提升")]
    assert mean[0].get_xdata()[0] == pytest.approx(-2 * w["exaggeration"])
    assert _legend(ax)[0] == "显著（会被宣布胜出）：功效 52%"
    assert ax.get_xlabel() == "转化率提升（百分点）"
    assert ax.get_title().startswith("赢家诅咒")


# returns_chart

def test_returns_chart_has_one_row_per_kind_and_the_geometric_means():
    r = _returns()
    ax = plots.returns_chart(r)
    assert [x.get_text() for x in ax.get_yticklabels()] == ["sale", "festival", "launch"]
    assert ax.get_xscale() == "log"
    dots = [ln for ln in ax.lines if ln.get_marker() == "o"]
    assert sorted(np.concatenate([d.get_xdata() for d in dots])) == \
        sorted(r["return_per_cost"])
    means = [ln for ln in ax.lines if ln.get_marker() != "o"]
    assert [m.get_xdata()[0] for m in means] == pytest.approx([np.sqrt(2), 1.0, 0.5])
    assert _legend(ax) == ["past campaign", "geometric mean of the kind"]


def test_returns_chart_draws_the_forecast_range_on_its_kind_row():
    i18n.set_language("zh")
    ax = plots.returns_chart(_returns(), _forecast())
    assert [x.get_text() for x in ax.get_yticklabels()] == ["大促", "节日营销", "新品上市"]
    bar = _line(ax, "80% 预测区间")
    np.testing.assert_allclose(bar.get_xdata(), [0.8, 2.5])
    np.testing.assert_allclose(bar.get_ydata(), [0, 0])           # the sale row
    assert ax.get_xlabel().startswith("每元成本带来的增量GMV（元")
    assert ax.get_title() == "往届活动的投入产出（按类型）"


# cuped_chart

def test_cuped_chart_line_has_the_least_squares_slope():
    o = _outcomes()
    ax = plots.cuped_chart(o)
    slope = np.polyfit(o["pre_revenue"], o["revenue"], 1)[0]
    (line,) = [ln for ln in ax.lines if ln.get_label().startswith("fit over all users")]
    x, y = line.get_xdata(), line.get_ydata()
    assert (y[-1] - y[0]) / (x[-1] - x[0]) == pytest.approx(slope)
    assert line.get_label() == f"fit over all users: θ = {slope:.2f}"
    assert same_color(line.get_color(), "black")


def test_cuped_chart_colours_the_variants_and_labels_the_axes_in_chinese():
    i18n.set_language("zh")
    o = _outcomes()
    ax = plots.cuped_chart(o)
    assert [c.get_offsets().shape[0] for c in ax.collections] == [200, 200]
    assert ax.get_xlabel() == "实验前消费（元）" and ax.get_ylabel() == "实验期消费（元）"
    assert ax.get_legend().get_title().get_text() == "组别"
    assert _legend(ax)[:2] == ["A 组", "B 组"]
    zeros = int(((o["pre_revenue"] == 0) & (o["revenue"] == 0)).sum())
    assert _legend(ax)[-1] == f"原点：{zeros:,} 人前后都没消费"
    assert ax.xaxis.get_major_formatter()(2000, 0) == "2,000"
    assert ax.yaxis.get_major_formatter()(2000, 0) == "2,000"
    assert ax.get_title().startswith("CUPED：")


# every chart, drawn in Chinese

@pytest.mark.parametrize("draw", [
    lambda: plots.pace_chart(_pace(), {"加券": "2026-06-11 03:00"}).figure,
    lambda: plots.live_panels(_kpis(), at="2026-06-11 21:00"),
    lambda: plots.live_panels(_kpis("D")),
    lambda: plots.winners_curse_chart(0.025, 0.0134, observed=0.037).figure,
    lambda: plots.returns_chart(_returns(), _forecast()).figure,
    lambda: plots.cuped_chart(_outcomes()).figure,
], ids=["pace", "live_hourly", "live_daily", "winners_curse", "returns", "cuped"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_chart_draws_without_a_missing_glyph(draw, lang):
    i18n.set_language(lang)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = draw()
        fig.canvas.draw()
    assert [str(w.message) for w in caught] == []
