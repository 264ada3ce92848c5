"""profiles.py: where the file, the profile and each value come from."""

import os
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecp_cli.environment import Environment
from ecp_cli.errors import ProfileError
from ecp_cli.profiles import (
    Profile,
    mask,
    other_profiles,
    path_as_pathlib_shows,
    resolve_profile,
)

TWO_PROFILES = """\
default: test
profiles:
  test:
    project_id: 111
    secret: test-secret
  live:
    project_id: "222"
    secret_env: LIVE_SECRET
    api_url: http://127.0.0.1:9/
"""


def env_for(tmp_path, **vars):
    (tmp_path / "cwd").mkdir(parents=True, exist_ok=True)
    return Environment(vars, cwd=tmp_path / "cwd", config_dir=tmp_path / "config")


def write(path, text, mode=0o600):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


def test_flag_file_and_file_default(tmp_path):
    path = write(tmp_path / "p.yaml", TWO_PROFILES)
    profile = resolve_profile(env_for(tmp_path), str(path))
    assert (profile.name, profile.project_id, profile.secret) == ("test", 111, "test-secret")
    assert profile.sources["secret"] == f"file {path}"
    assert profile.api_url == "https://api.ecommpay.com"


def test_profile_flag_beats_env_beats_default(tmp_path):
    path = write(tmp_path / "p.yaml", TWO_PROFILES)
    env = env_for(tmp_path, ECP_PROFILE="live", LIVE_SECRET="live-secret")
    assert resolve_profile(env, str(path)).name == "live"
    assert resolve_profile(env, str(path), "test").name == "test"


def test_secret_env_reads_the_variable_and_urls_are_normalised(tmp_path):
    path = write(tmp_path / "p.yaml", TWO_PROFILES)
    env = env_for(tmp_path, LIVE_SECRET="live-secret")
    profile = resolve_profile(env, str(path), "live")
    assert (profile.project_id, profile.secret) == (222, "live-secret")
    assert profile.sources["secret"] == "env $LIVE_SECRET"
    assert profile.api_url == "http://127.0.0.1:9"


def test_secret_env_not_set_names_the_variable_not_a_value(tmp_path):
    path = write(tmp_path / "p.yaml", TWO_PROFILES)
    with pytest.raises(ProfileError) as error:
        resolve_profile(env_for(tmp_path), str(path), "live")
    assert error.value.message == (
        f"{path}: profile 'live' reads its secret from $LIVE_SECRET, which is not set"
    )


def test_file_search_order_env_then_local_then_user(tmp_path):
    env = env_for(tmp_path)
    user = write(tmp_path / "config" / "profiles.yaml", "profiles:\n  u:\n    secret: user\n")
    assert resolve_profile(env).name == "u"
    write(tmp_path / "cwd" / "ecp.yaml", "profiles:\n  l:\n    secret: local\n")
    assert resolve_profile(env).name == "l"
    other = write(tmp_path / "other.yaml", "profiles:\n  e:\n    secret: fromenv\n")
    env = env_for(tmp_path, ECP_PROFILES=str(other))
    assert resolve_profile(env).name == "e"
    assert resolve_profile(env, str(user)).name == "u"  # the flag beats everything


def test_environment_overrides_the_profile_and_works_without_file(tmp_path):
    path = write(tmp_path / "p.yaml", TWO_PROFILES)
    env = env_for(tmp_path, ECP_PROJECT_ID="999", ECP_SECRET="env-secret")
    profile = resolve_profile(env, str(path))
    assert (profile.name, profile.project_id, profile.secret) == ("test", 999, "env-secret")
    assert profile.sources["project_id"] == "env $ECP_PROJECT_ID"
    bare = resolve_profile(env_for(tmp_path / "x", ECP_SECRET="s", ECP_PROJECT_ID="5"))
    assert (bare.name, bare.project_id, bare.secret) == (None, 5, "s")


def test_only_profile_is_chosen_and_several_without_default_is_an_error(tmp_path):
    one = write(tmp_path / "one.yaml", "profiles:\n  solo:\n    secret: s\n")
    assert resolve_profile(env_for(tmp_path), str(one)).name == "solo"
    two = write(tmp_path / "two.yaml", "profiles:\n  a:\n    secret: s\n  b:\n    secret: t\n")
    with pytest.raises(ProfileError, match="several profiles and no 'default'"):
        resolve_profile(env_for(tmp_path), str(two))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("profiles: [", "not valid YAML"),
        ("profiles:\n  a:\n    project_id: !!int x\n", "not valid YAML: !!int cannot read 'x'"),
        ("- a\n- b\n", "expected a mapping with a 'profiles' key"),
        ("profiles: {}\n", "'profiles' must be a mapping of profile names"),
        ("profiles:\n  a: 5\n", "profile 'a' must be a mapping"),
        ("profiles:\n  a:\n    project_id: abc\n    secret: s\n", "project_id must be a positive"),
        ("profiles:\n  a:\n    project_id: true\n    secret: s\n", "not a boolean"),
        ("profiles:\n  a:\n    secret: 5\n", "'secret' must be a non-empty string"),
        ("profiles:\n  a:\n    secret: s\n    api_url: ftp://x\n", "must be an http(s):// URL"),
        ("profiles:\n  a:\n    secret: s\n    api_url: 'http://[::1'\n", "http(s):// URL"),
        ("profiles:\n  a:\n    secret: s\n    api_url: https://x y\n", "http(s):// URL"),
        ("profiles:\n  a:\n    secret: s\n    api_url: 'https://'\n", "http(s):// URL"),
        ("profiles:\n  a:\n    secret: s\n    api_url: 'http://h:99999'\n", "http(s):// URL"),
        ("profiles:\n  a:\n    project_id: '١٢٣'\n    secret: s\n", "project_id must be a pos"),
        ("profiles:\n  a:\n    secret: s\n    colour: red\n", "unknown key 'colour'"),
        ("default: b\nprofiles:\n  a:\n    secret: s\n", "default 'b' is not one of"),
        ("profiles:\n  a:\n    secret: s\n    secret_env: X\n", "either 'secret' or 'secret_env'"),
    ],
)
def test_bad_files_are_one_clear_error(tmp_path, text, message):
    path = write(tmp_path / "p.yaml", text)
    with pytest.raises(ProfileError) as error:
        resolve_profile(env_for(tmp_path), str(path))
    assert message in error.value.message
    assert str(path) in error.value.message and "\n" not in error.value.message


def test_missing_explicit_file(tmp_path):
    with pytest.raises(ProfileError, match="no such file"):
        resolve_profile(env_for(tmp_path), str(tmp_path / "nope.yaml"))


def test_unknown_profile_lists_the_available_ones(tmp_path):
    path = write(tmp_path / "p.yaml", TWO_PROFILES)
    with pytest.raises(ProfileError) as error:
        resolve_profile(env_for(tmp_path), str(path), "prod")
    assert error.value.message == f"{path}: no profile named 'prod' (available: test, live)"


def test_world_readable_literal_secret_warns_like_ssh(tmp_path):
    path = write(tmp_path / "p.yaml", TWO_PROFILES, mode=0o644)
    profile = resolve_profile(env_for(tmp_path), str(path))
    assert profile.warnings == [
        f"{path} holds a secret and is readable by other users; run: chmod 600 {path}"
    ]
    write(path, TWO_PROFILES, mode=0o600)
    assert resolve_profile(env_for(tmp_path), str(path)).warnings == []


def test_documented_example_secret_does_not_warn(tmp_path):
    text = "profiles:\n  a:\n    secret: secret\n"
    path = write(tmp_path / "p.yaml", text, mode=0o644)
    assert resolve_profile(env_for(tmp_path), str(path)).warnings == []


def test_env_only_secret_file_does_not_warn(tmp_path):
    text = "profiles:\n  a:\n    secret_env: S\n"
    path = write(tmp_path / "p.yaml", text, mode=0o644)
    assert resolve_profile(env_for(tmp_path, S="x"), str(path)).warnings == []


def test_mask_shows_length_only_and_repr_hides_the_secret(tmp_path):
    assert mask("abcdef") == "****** (6 characters)"
    path = write(tmp_path / "p.yaml", TWO_PROFILES)
    profile = resolve_profile(env_for(tmp_path), str(path))
    assert "test-secret" not in repr(profile)
    assert "test-secret" not in str(profile.public_facts())


def test_a_secret_that_is_not_utf8_is_a_profile_error_that_does_not_show_it(tmp_path):
    # A variable holding bytes that are not UTF-8 reaches Python with lone surrogates,
    # which HMAC cannot take; the message names the variable, never the value.
    with pytest.raises(ProfileError) as error:
        resolve_profile(env_for(tmp_path, ECP_SECRET="Zq9-\udcff-canary"))
    assert error.value.message == "$ECP_SECRET is not UTF-8 text"
    path = write(tmp_path / "p.yaml", "profiles:\n  a:\n    secret_env: MY_SECRET\n")
    with pytest.raises(ProfileError) as error:
        resolve_profile(env_for(tmp_path, MY_SECRET="Zq9-\udcff-canary"), str(path))
    assert error.value.message == f"{path}: profile 'a': $MY_SECRET is not UTF-8 text"


def test_signing_secret_is_the_secret_or_the_missing_secret_error():
    assert Profile("test", 112, "s3cret").signing_secret == "s3cret"
    lacking = Profile("test", 112, None, file=Path("/tmp/ecp.yaml"))
    with pytest.raises(ProfileError) as caught:
        lacking.signing_secret  # noqa: B018 - the property is what is tested
    assert caught.value.message == (
        "/tmp/ecp.yaml: profile 'test' has no secret (add 'secret_env: VAR' or 'secret')"
    )


def test_other_profiles_skips_the_active_one_and_those_without_a_secret(tmp_path):
    path = tmp_path / "profiles.yaml"
    path.write_text(
        "profiles:\n"
        "  test: {project_id: 112, secret: a-secret}\n"
        "  live: {project_id: 100, secret: b-secret}\n"
        "  unset: {project_id: 7, secret_env: NOT_SET_ANYWHERE}\n"
    )
    path.chmod(0o600)
    env = Environment({}, cwd=tmp_path, config_dir=tmp_path)
    active = Profile(name="test", project_id=112, secret="a-secret")
    assert [p.name for p in other_profiles(env, str(path), active)] == ["live"]
    assert other_profiles(env, str(tmp_path / "missing.yaml"), active) == []


# profiles.py writes a file's path as pathlib would (its messages and JSON did, when it
# made a Path of it), without importing pathlib: pathlib is the oracle.
@pytest.mark.skipif(os.sep != "/", reason="POSIX paths; elsewhere profiles.py uses pathlib")
@given(st.text(alphabet="/.a b\\", min_size=1, max_size=12))
def test_path_as_pathlib_shows_is_pathlib(text):
    assert path_as_pathlib_shows(text) == str(PurePosixPath(text))


def test_the_file_is_named_as_pathlib_writes_it_and_its_store_is_beside_it(tmp_path):
    path = write(
        tmp_path / "p.yaml",
        "profiles:\n  a:\n    secret: s\n    store: ./cb.sqlite3\n    api_url: http://h/\n",
    )
    given_as = f"{tmp_path}//./p.yaml"
    profile = resolve_profile(env_for(tmp_path), given_as)
    assert profile.file == str(path)
    assert profile.sources["secret"] == f"file {path}"
    assert profile.store == tmp_path / "cb.sqlite3"
    assert profile.api_url == "http://h"
    with pytest.raises(ProfileError) as error:
        resolve_profile(env_for(tmp_path), given_as, "b")
    assert error.value.message == f"{path}: no profile named 'b' (available: a)"
