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


def test_list_with_only_environment_variables(bare_cli):
    bare_cli.vars.update({"ECP_PROJECT_ID": "112", "ECP_SECRET": "env-secret"})
    data = bare_cli("profiles", "list", "--json").json()
    assert data["file"] is None
    (row,) = data["profiles"]
    assert (row["name"], row["project_id"], row["secret"]) == (None, 112, "****** (10 characters)")
    assert row["sources"]["secret"] == "env $ECP_SECRET"
    run = bare_cli("profiles", "list")
    assert run.exit_code == 0
    assert run.stdout == ("* (environment)    project 112        secret set (env $ECP_SECRET)\n")
    assert "env-secret" not in run.stdout + run.stderr


def test_a_misspelt_key_is_an_error_though_the_rest_is_listed(bare_cli):
    path = bare_cli.write(
        "p.yaml", "default: a\nprofiles:\n  a:\n    project_id: 1\n    secret_env: X\n"
        "  b:\n    projectid: 2\n",
    )  # fmt: skip
    run = bare_cli("--profiles", str(path), "profiles", "list")
    assert run.exit_code == 2
    assert run.stdout.splitlines() == [
        "* a                project 1          NO SECRET  (env $X (not set))",
        f"  ! {path}: profile 'b': unknown key 'projectid' (expected: api_url, check_url, "
        "payment_page_url, project_id, secret, secret_env, store)",
    ]
    run = bare_cli("--profiles", str(path), "profiles", "list", "--json")
    assert run.exit_code == 2
    assert run.json()["profiles"][1]["error"].endswith("secret, secret_env, store)")


def test_show_columns_line_up(bare_cli):
    path = bare_cli.write("p.yaml", TWO_PROFILES)
    lines = bare_cli("--profiles", str(path), "profiles", "show").stdout.splitlines()
    assert lines[0] == "profile           test"
    assert lines[1] == f"file              {path}"
    assert {line.index(line.split()[1]) for line in lines} == {18}


def test_names_from_the_file_are_shown_escaped(bare_cli):
    # A profile file is data: a name or variable holding ESC or a bidi override must not
    # reach the terminal raw (it could repaint or reorder what the user reads).
    path = bare_cli.write(
        "p.yaml",
        'default: "a\\e[2Jb"\nprofiles:\n  "a\\e[2Jb":\n    project_id: 1\n'
        '    secret_env: "X\\u202eY"\n',
    )
    listed = bare_cli("--profiles", str(path), "profiles", "list")
    shown = bare_cli("--profiles", str(path), "profiles", "show")
    assert listed.exit_code == shown.exit_code == 0
    assert listed.stdout == (
        "* a\\x1b[2Jb           project 1          NO SECRET  (env $X\\u202eY (not set))\n"
    )
    assert "profile           a\\x1b[2Jb\n" in shown.stdout
    assert "[env $X\\u202eY (not set)]" in shown.stdout
    for text in (listed.stdout, shown.stdout):
        assert "\x1b" not in text and "\u202e" not in text
