"""ecp profiles list / show: secrets masked, the source of each value shown."""

from pathlib import Path

from tests.test_profiles import TWO_PROFILES

REPO = Path(__file__).resolve().parents[2]


def test_list_marks_default_and_missing_secrets(bare_cli):
    path = bare_cli.write("p.yaml", TWO_PROFILES)
    run = bare_cli("--profiles", str(path), "profiles", "list")
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert lines[0].startswith("* test") and "secret set" in lines[0]
    assert lines[1].startswith("  live") and "NO SECRET" in lines[1]
    assert "(env $LIVE_SECRET (not set))" in lines[1]
    assert "test-secret" not in run.stdout + run.stderr


def test_show_gives_sources_and_masks_the_secret(bare_cli):
    path = bare_cli.write("p.yaml", TWO_PROFILES)
    bare_cli.vars["LIVE_SECRET"] = "live-secret-value"
    run = bare_cli("--profiles", str(path), "profiles", "show", "live")
    assert run.exit_code == 0
    assert "project_id        222  [file " in run.stdout
    assert "secret            ****** (17 characters)  [env $LIVE_SECRET]" in run.stdout
    assert "live-secret-value" not in run.stdout + run.stderr


def test_show_json(bare_cli):
    path = bare_cli.write("p.yaml", TWO_PROFILES)
    facts = bare_cli("--profiles", str(path), "profiles", "show", "--json").json()
    assert facts["name"] == "test" and facts["secret"] == "****** (11 characters)"
    assert facts["sources"]["api_url"] == "default"


def test_example_file_in_the_repo_is_valid(bare_cli):
    run = bare_cli("--profiles", str(REPO / "profiles.example.yaml"), "profiles", "list")
    assert run.exit_code == 0
    assert run.stdout.splitlines()[0].startswith("* test")


def test_no_file_anywhere(bare_cli):
    run = bare_cli("profiles", "list")
    assert run.exit_code == 2 and run.stderr.startswith("error: no profile file found")
