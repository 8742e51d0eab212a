"""Applications at each stage, reused from the city review and the province's fixtures."""

from tests.decisions.conftest import _fast_passwords, make_recommended, published, recommended  # noqa: F401
