"""opshelpers.synth's chain of planters: each draws from its own random stream, keyed by
its name, so a planter added later (a new table, a new planted fact) leaves every other
table byte-identical, and changing one domain's facts changes only the tables it feeds."""

import zlib

import numpy as np
import pandas as pd
import pytest

from opshelpers import synth
from opshelpers.scenario import Scenario

SEED, N_USERS = 5, 2_000        # small: the property does not depend on size


def csv_sums(tables, folder) -> dict[str, str]:
    """{file: sha256} of the tables written as the sample's CSV (the committed bytes)."""
    synth.write_tables(tables, folder)
    return dict(line.split("  ")[::-1] for line in (folder / "SHA256SUMS").read_text()
                .splitlines())


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    tables, truths = synth.generate(seed=SEED, n_users=N_USERS)
    return tables, truths, csv_sums(tables, tmp_path_factory.mktemp("baseline"))


def test_an_added_planter_leaves_every_table_byte_identical(baseline, monkeypatch, tmp_path):
    tables, truths, sums = baseline
    drawn = {}

    def plant_first(ctx, rng):
        """A planter with no inputs, run before every other one."""
        drawn["first"] = rng.random(1000)
        return {"first_noise": drawn["first"]}

    def plant_reader(ctx, rng, people, order_book):
        """A planter reading what others made, as a new table would, in mid-chain."""
        drawn["reader"] = rng.random(len(people))
        return {"loyalty_scores": pd.Series(drawn["reader"], index=people.index)}

    chain = list(synth.PLANTERS)
    after_orders = [p.name for p in chain].index("order_book") + 1
    chain.insert(after_orders, synth.Planter("loyalty", plant_reader, ("loyalty_scores",)))
    chain.insert(0, synth.Planter("first", plant_first, ("first_noise",)))
    monkeypatch.setattr(synth, "PLANTERS", tuple(chain))

    grown, grown_truths = synth.generate(seed=SEED, n_users=N_USERS)
    assert drawn["first"].size == 1000 and drawn["reader"].size == len(tables["users"])
    assert list(grown) == list(tables)
    for name in synth.TABLES:
        pd.testing.assert_frame_equal(grown[name], tables[name], check_exact=True, obj=name)
        assert pd.util.hash_pandas_object(grown[name]).equals(
            pd.util.hash_pandas_object(tables[name])), name
    assert csv_sums(grown, tmp_path) == sums
    assert grown_truths.to_dict() == truths.to_dict()
    # each new planter drew from its own, name-keyed stream
    assert np.array_equal(drawn["first"], synth.planter_stream(SEED, "first").random(1000))


def test_changing_one_domain_changes_only_its_tables(baseline, tmp_path):
    _, _, sums = baseline
    scenario = Scenario().with_changes(content={"viral_multiple": 12.0},
                                       voice={"shipping_share_after": 0.45})
    changed, _ = synth.generate(scenario, seed=SEED, n_users=N_USERS)
    new = csv_sums(changed, tmp_path)
    # post_comments are the comments the posts count, so they follow the posts
    assert {f for f in sums if sums[f] != new[f]} == {"posts.csv", "feedback.csv",
                                                      "post_comments.csv"}


@pytest.mark.parametrize("section, change, tables", [
    ("moderation", {"violations_per_1000": (200.0, 80.0)}, {"group_messages.csv"}),
    ("pool", {"fatigue_unsubscribes": 3.0}, {"wecom_contacts.csv", "pool_pushes.csv"}),
    ("comments", {"price_backlash_share": 0.8}, {"post_comments.csv"}),
    ("mentions", {"burst_start": "2026-05-27 21:00:00"}, {"brand_mentions.csv"}),
    ("content_tests", {"time_completion_lift": 1.2}, {"content_tests.csv"}),
    ("history", {"return_sigma": 0.3}, {"campaign_history.csv"}),
    ("live", {"topup_conversion": 1.5}, {"live_hourly.csv"}),
])
def test_a_lessons_facts_change_only_their_own_tables(baseline, tmp_path, section, change,
                                                      tables):
    _, _, sums = baseline
    changed, _ = synth.generate(Scenario().with_changes(**{section: change}), seed=SEED,
                                n_users=N_USERS)
    new = csv_sums(changed, tmp_path)
    assert {f for f in sums if sums[f] != new[f]} == tables


def test_streams_are_keyed_by_name_not_position():
    draw = synth.planter_stream(7, "orders").random(8)
    assert np.array_equal(draw, synth.planter_stream(7, "orders").random(8))      # stable
    assert not np.array_equal(draw, synth.planter_stream(7, "order").random(8))   # the name
    assert not np.array_equal(draw, synth.planter_stream(8, "orders").random(8))  # the seed
    # CRC-32 of the name: the same in every process (Python's hash() is salted per run)
    expected = np.random.SeedSequence([7, zlib.crc32(b"orders")])
    assert np.array_equal(draw, np.random.default_rng(expected).random(8))


def test_every_planter_has_its_own_stream():
    names = [p.name for p in synth.PLANTERS]
    assert len({synth.stream_key(n) for n in names}) == len(names)
    first = {synth.planter_stream(7, n).random(4).tobytes() for n in names}
    assert len(first) == len(names)


def test_a_broken_chain_is_refused(monkeypatch):
    def plant_early(ctx, rng, order_book):
        return {"early": 1}

    def plant_liar(ctx):
        return {"something_else": 1}

    chain = synth.PLANTERS
    for bad, message in [
        ((synth.Planter("early", plant_early, ("early",)),) + chain,
         r"'early' needs \['order_book'\], which no earlier planter gives"),
        (chain + (synth.Planter("traffic", plant_liar, ("x",)),), "would share a random stream"),
        (chain + (synth.Planter("again", plant_liar, ("posts",)),), r"gives \['posts'\] again"),
        (chain[:-1], r"no planter gives the tables \['live_hourly'\]"),
        (chain + (synth.Planter("liar", plant_liar, ("x",)),), "not its declared"),
    ]:
        monkeypatch.setattr(synth, "PLANTERS", bad)
        with pytest.raises((ValueError, RuntimeError), match=message):
            synth.generate(seed=SEED, n_users=N_USERS)
