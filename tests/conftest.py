import matplotlib

matplotlib.use("Agg")   # in-process only: never exported to notebook kernels

import pytest  # noqa: E402

from opshelpers import i18n, io, synth  # noqa: E402


@pytest.fixture(autouse=True)
def english():
    """Every test starts in English, and the language is put back afterwards: the suite
    asserts English texts; the Chinese twins are checked by the catalogue tests
    (test_i18n.py) and test_io_messages.py."""
    before = i18n.language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


@pytest.fixture(scope="session")
def sample():
    """The curriculum sample, generated in memory (byte-identical to data/, see test_data)."""
    tables, truths = synth.generate(seed=io.SAMPLE_SEED, n_users=io.SAMPLE_USERS)
    return tables, truths


@pytest.fixture(scope="session")
def t(sample):
    return sample[0]


@pytest.fixture(scope="session")
def truths(sample):
    return sample[1]
