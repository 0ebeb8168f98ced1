"""What runs by itself: the GitHub Actions workflows (linted with actionlint)
and the pre-commit hooks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
BIN = Path(sys.executable).parent


def workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text("utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps_of(job: dict) -> list[dict]:
    return job["steps"]


def runs(job: dict) -> list[str]:
    return [step["run"].strip() for step in steps_of(job) if "run" in step]


def uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps_of(job) if "uses" in step]


def actionlint(*files: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "actionlint"), "-no-color", "-oneline", *files],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_actionlint_finds_nothing_wrong_in_the_workflows():
    files = sorted(str(p.relative_to(REPO)) for p in WORKFLOWS.glob("*.yml"))
    assert files == [
        ".github/workflows/ci.yml",
        ".github/workflows/publish.yml",
        ".github/workflows/reminder.yml",
    ]
    result = actionlint(*files)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_actionlint_does_catch_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v6\n"
        "        with:\n"
        "          fetch-depthh: 1\n"
        "      - run: echo ${{ secret.MAILCHIMP_API_KEY }}\n"
    )
    result = actionlint(str(broken), cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line.split(": ")[0] for line in lines] == ["broken.yml:8:11", "broken.yml:9:23"]
    assert 'input "fetch-depthh" is not defined' in lines[0]
    assert 'undefined variable "secret"' in lines[1]


def test_every_push_and_pull_request_is_checked_tested_and_built():
    ci = workflow("ci.yml")
    assert set(ci["on"]) == {"push", "pull_request"}
    assert runs(ci["jobs"]["test"])[-3:] == ["make check", "./.ci/run", "make site"]


def test_main_deploys_the_site_to_pages_once_the_tests_pass():
    deploy = workflow("ci.yml")["jobs"]["deploy"]
    assert deploy["needs"] == "test"
    assert deploy["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert runs(deploy) == ["make site"]
    assert uses(deploy)[-2:] == ["actions/upload-pages-artifact", "actions/deploy-pages"]
    site_step = next(step for step in steps_of(deploy) if step.get("run") == "make site")
    assert site_step["env"]["SITEURL"] == "${{ vars.SITEURL || steps.pages.outputs.base_url }}"


def test_the_hourly_run_builds_then_sends_and_deploys_only_a_good_build():
    publish = workflow("publish.yml")
    [schedule] = publish["on"]["schedule"]
    minute, *rest = schedule["cron"].split()
    assert minute.isdigit() and rest == ["*", "*", "*", "*"]  # once an hour
    assert "workflow_dispatch" in publish["on"]
    [job] = publish["jobs"].values()
    assert runs(job) == ["make site", "make publish"]
    build, send = (step for step in steps_of(job) if step.get("run"))
    assert build["id"] == "build" and "if" not in build  # a failed build stops the job
    # Sending only after a good build.
    assert send["if"] == "${{ steps.build.outcome == 'success' }}"
    assert send["env"]["NEWSLETTER_BACKEND"] == "mailchimp"
    assert send["env"]["MAILCHIMP_API_KEY"] == "${{ secrets.MAILCHIMP_API_KEY }}"
    assert send["env"]["MAILCHIMP_AUDIENCE_ID"] == "${{ secrets.MAILCHIMP_AUDIENCE_ID }}"
    assert "MAILCHIMP_API_KEY" not in build.get("env", {})  # building needs no key
    after = steps_of(job)[steps_of(job).index(send) + 1 :]
    assert [s.get("uses", "").split("@")[0] for s in after] == [
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    # Deployed whenever the build succeeded, even when the send then failed
    # (!cancelled() keeps the step after a failed one), never after a failed build.
    for step in after:
        assert step["if"] == "${{ !cancelled() && steps.build.outcome == 'success' }}"


BUILDS = [("ci.yml", "test", "site-ci-"), ("ci.yml", "deploy", "site-production-"),
          ("publish.yml", "publish", "site-production-")]  # fmt: skip


@pytest.mark.parametrize(("name", "job_name", "prefix"), BUILDS)
def test_every_site_build_reuses_the_last_runs_build_caches_but_not_the_newsletters_record(
    name, job_name, prefix
):
    steps = steps_of(workflow(name)["jobs"][job_name])
    names = [step.get("uses", "").split("@")[0] or step.get("run", "").strip() for step in steps]
    site = names.index("make site")
    # Restored just before the production build, saved just after it.
    assert names[site - 1 : site + 2] == [
        "actions/cache/restore", "make site", "actions/cache/save",
    ]  # fmt: skip
    restore, save = steps[site - 1]["with"], steps[site + 1]["with"]
    kept = restore["path"].split()
    assert kept == save["path"].split() == [
        "cache/content-*.pickle", "cache/render-manifest.json", "output",
    ]  # fmt: skip
    assert not any("newsletter" in path for path in kept)  # Mailchimp's campaigns are the record
    # A new key per run (a cache is never overwritten), found again by its prefix,
    # which changes with the dependencies, the theme, the plugins and the settings.
    key, restore_keys = restore["key"], restore["restore-keys"]
    assert key.startswith(prefix) and key.endswith(
        "-${{ github.run_id }}-${{ github.run_attempt }}"
    )
    assert key.startswith(restore_keys) and restore_keys.startswith(prefix + "${{ hashFiles(")
    for inputs in ("'requirements*.txt'", "'theme/**'", "'plugins/**'", "'publishconf.py'"):
        assert inputs in restore_keys
    assert save["key"] == "${{ steps.caches.outputs.cache-primary-key }}"
    assert steps[site - 1]["id"] == "caches"


def test_deploys_and_publishes_never_overlap_and_are_never_cancelled():
    publish = workflow("publish.yml")["concurrency"]
    deploy = workflow("ci.yml")["jobs"]["deploy"]["concurrency"]
    assert publish == deploy == {"group": "pages-and-newsletter", "cancel-in-progress": False}


def test_no_secret_is_written_into_a_workflow():
    for path in WORKFLOWS.glob("*.yml"):
        text = path.read_text("utf-8")
        for name in re.findall(r"^\s*(MAILCHIMP_API_KEY):\s*(.+)$", text, re.MULTILINE):
            assert name[1] == "${{ secrets.MAILCHIMP_API_KEY }}", path
        assert not re.search(r"[0-9a-f]{32}-us\d+", text), path


def make_targets_used() -> set[str]:
    commands = []
    for path in WORKFLOWS.glob("*.yml"):
        for job in workflow(path.name)["jobs"].values():
            commands += runs(job)
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))
    commands += [hook["entry"] for repo in config["repos"] for hook in repo["hooks"]]
    command_re = re.compile(r"(?:^|&&|;)\s*make (\w[\w-]*)", re.MULTILINE)
    return {m for command in commands for m in command_re.findall(command)}


@pytest.mark.parametrize("target", sorted(make_targets_used()))
def test_every_make_target_run_by_automation_exists(target):
    makefile = (REPO / "Makefile").read_text("utf-8")
    if target == "publish" and not re.search(r"^publish:", makefile, re.MULTILINE):
        pytest.skip("make publish comes with the newsletter (issue 4)")
    assert re.search(rf"^{re.escape(target)}:", makefile, re.MULTILINE), target


def test_the_pre_commit_hooks_are_valid_and_pass_on_this_repository(tmp_path):
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit")}
    env.pop("MAKEFLAGS", None)
    pre_commit = str(BIN / "pre-commit")
    config = str(REPO / ".pre-commit-config.yaml")
    valid = subprocess.run(
        [pre_commit, "validate-config", config], capture_output=True, text=True, env=env
    )
    assert valid.returncode == 0, valid.stdout + valid.stderr
    result = subprocess.run(
        [pre_commit, "run", "--all-files", "--config", config, "--color", "never"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    passed = [line for line in result.stdout.splitlines() if line.endswith("Passed")]
    assert [line.split(".")[0] for line in passed] == [
        "make check (every tip and page)",
        "ruff (lint and formatting)",
    ]


def test_the_reminder_is_optional_and_writes_make_calendars_gaps_into_one_issue(content):
    reminder = workflow("reminder.yml")
    [job] = reminder["jobs"].values()
    assert job["if"] == "${{ vars.TIPS_REMINDERS == 'true' }}"
    assert reminder["permissions"] == {"contents": "read", "issues": "write"}
    assert "schedule" in reminder["on"] and "workflow_dispatch" in reminder["on"]
    make_text, open_issue = runs(job)
    command = make_text.splitlines()[-1].split(" > ")[0]
    assert command.startswith(".venv/bin/python -m scripts.calendar_report ")
    # The workflow's own command, on content with a gap in the coming week.
    for lang in ("nb", "sv", "en"):
        content.tip(title="T", date="2026-12-11 09:00", lang=lang, slug="next")
    extra = ["--content", str(content.root), "--now", "2026-12-04 10:00"]
    done = subprocess.run(
        [str(BIN / "python"), *command.split()[1:], *extra],
        cwd=REPO, capture_output=True, text=True, check=True,
    )  # fmt: skip
    answer = json.loads(done.stdout)
    assert answer["title"] == "Week 50: tips missing in fi, et"
    assert answer["complete"] is False
    # One issue, found by its label: updated while gaps remain, closed when complete.
    for fragment in (
        "jq -r .title",
        "jq -r .complete",
        "jq -r .body",
        "--label tip-reminder",
        'gh issue close "$number"',
        'gh issue edit "$number"',
        "gh issue create",
    ):
        assert fragment in open_issue
