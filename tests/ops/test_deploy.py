"""deploy/: the systemd units (verified by systemd-analyze), the cron line, the Kubernetes
CronJob and the container image all run `lurewatch nightly`, never two at once."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests._crawl import ROOT

DEPLOY = ROOT / "deploy"
UNITS = ("lurewatch-nightly.service", "lurewatch-nightly.timer")


def _installed_units(tmp_path: Path) -> list[Path]:
    """The units as installed from a checkout in ROOT instead of /opt/lurewatch."""
    paths = []
    for name in UNITS:
        text = (DEPLOY / "systemd" / name).read_text(encoding="utf-8")
        path = tmp_path / name
        path.write_text(text.replace("/opt/lurewatch", str(ROOT)), encoding="utf-8")
        paths.append(path)
    return paths


def test_systemd_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.fail("systemd-analyze is missing: deploy/bootstrap installs it (package systemd)")
    proc = subprocess.run(
        [analyze, "verify", "--man=no", *map(str, _installed_units(tmp_path))],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr  # warnings count too


def test_systemd_service_runs_the_nightly_job_stopped_by_sigterm() -> None:
    text = (DEPLOY / "systemd" / "lurewatch-nightly.service").read_text(encoding="utf-8")
    assert "ExecStart=/opt/lurewatch/deploy/nightly" in text.splitlines()
    assert "KillSignal=SIGTERM" in text and "EnvironmentFile=/etc/lurewatch/env" in text
    assert "lurewatch nightly" in (DEPLOY / "nightly").read_text(encoding="utf-8")
    assert re.search(r"crawler\.cli nightly", (DEPLOY / "nightly").read_text(encoding="utf-8"))


def test_cron_line_calls_the_nightly_job_without_flock() -> None:
    lines = [
        line
        for line in (DEPLOY / "lurewatch.cron").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    [line] = lines
    fields = line.split(None, 6)
    minute, hour, day, month, weekday, user, command = fields
    assert (minute, hour, day, month, weekday) == ("30", "2", "*", "*", "*")
    assert user == "lurewatch"
    assert command.endswith("/opt/lurewatch/deploy/nightly")
    assert "flock" not in command  # the lock is inside lurewatch nightly


def _cronjob() -> dict[str, Any]:
    docs = list(yaml.safe_load_all((DEPLOY / "k8s" / "lurewatch-nightly.yaml").read_text("utf-8")))
    [job] = [doc for doc in docs if doc and doc.get("kind") == "CronJob"]
    return dict(job)


def test_cronjob_never_overlaps_and_runs_nightly() -> None:
    job = _cronjob()
    assert job["apiVersion"] == "batch/v1"
    spec = job["spec"]
    assert spec["concurrencyPolicy"] == "Forbid"
    assert len(spec["schedule"].split()) == 5
    pod = spec["jobTemplate"]["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["args"][0] == "nightly"


def test_cronjob_takes_secrets_from_a_secret_and_data_from_a_volume() -> None:
    pod = _cronjob()["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert [source["secretRef"]["name"] for source in container["envFrom"]] == ["lurewatch-env"]
    plain = {env["name"]: env.get("value") for env in container.get("env", [])}
    assert not any(re.search(r"KEY|PASSWORD|TOKEN", name) for name in plain)  # no inline secret
    data_dir = plain["LUREWATCH_DATA_DIR"]
    mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    assert "persistentVolumeClaim" in volumes[mounts[data_dir]]


def test_container_image_runs_lurewatch_unprivileged() -> None:
    text = (DEPLOY / "Containerfile").read_text(encoding="utf-8")
    instructions = [
        line.split()[0]
        for line in text.replace("\\\n", " ").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    known = {"FROM", "RUN", "WORKDIR", "COPY", "ENV", "USER", "VOLUME", "ENTRYPOINT", "CMD"}
    assert instructions[0] == "FROM" and set(instructions) <= known
    assert 'ENTRYPOINT ["lurewatch"]' in text and 'CMD ["nightly"]' in text
    assert re.search(r"^USER (?!root|0\b)\S+", text, re.M)
    assert "chromium" in text and not re.search(r"(API_KEY|PASSWORD)=", text)
