"""Every app is in the `apps-layered` import contract (docs/decisions/0002).

The layers contract only sees cycles between the apps it lists: an app left out could close a
cycle (applications → newapp → applications) unseen. So a new package under duixian/ fails here
until it is given its place in pyproject.toml.
"""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_of_duixian_has_a_layer():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "apps-layered")
    layered = {name.removeprefix("duixian.") for name in contract["layers"]}
    packages = {path.parent.name for path in (ROOT / "duixian").glob("*/__init__.py")}
    assert packages - layered == set(), "add these packages to the apps-layered layers in pyproject.toml"
    assert layered - packages == set(), "these layers name no package any more"
