"""The config file: reading and checking it (every problem names its line), the keymap
from its ``[keys]``, writing back what the app remembers, and the command's ``paths``."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest

from tui_hopfield import cli
from tui_hopfield.config import TOP_KEYS, Config, find_line, parse, read, remember
from tui_hopfield.model.paths import CONFIG_ENV, DATA_ENV, config_path
from tui_hopfield.ui.actions import ACTIONS
from tui_hopfield.ui.settings import check_name, keymap, keymap_table, together, valid_key

EXAMPLE = """\
# my settings
size = "48x40"
rule = "storkey"
speed = "instant"
theme = "nord"
palette = "red-blue"
intro = false

[keys]
"magnets.recall" = "enter"
magnets.clear = ["y", "f6"]
"""


def problems(config: Config) -> list[tuple[int | None, str]]:
    """Each problem's line and message."""
    return [(problem.line, problem.message) for problem in config.problems]


def test_the_example_is_read_whole():
    config = parse(EXAMPLE)
    assert config.problems == []
    assert (config.size, config.rule, config.speed) == ((48, 40), "storkey", 0)
    assert (config.theme, config.palette, config.intro) == ("nord", "red-blue", False)
    assert config.keys == {"magnets.recall": "enter", "magnets.clear": "y,f6"}


def test_no_file_is_the_defaults_and_no_problem(tmp_path):
    config = read(tmp_path / "config.toml")
    assert config.problems == [] and config.size is None and config.intro is True


def test_not_toml_names_its_line_and_the_other_lines_still_count(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('size = "16x16"\nrule = hebbian\nspeed = 300\n')
    config = read(path)
    [(line, message)] = problems(config)
    assert line == 2 and "not TOML" in message and "left out" in message
    assert str(config.problems[0]).startswith(f"{path} line 2: not TOML")
    assert config.size == (16, 16) and config.speed == 300 and config.rule is None


def test_a_broken_table_header_is_its_line_too():
    config = parse('speed = 10\n\n[keys\n"magnets.clear" = "y"\n')
    assert problems(config)[0][0] == 3
    assert config.speed == 10


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('\n\nsize = "3x3"', 3, "from 4 to 256"),
        ("size = true", 1, "not true or false"),
        ('size = "big"', 1, "ROWSxCOLS"),
        ('rule = "storky"', 1, "not 'storky'"),
        ("\nrule = 3", 2, "not a whole number"),
        ("speed = 33", 1, "not 33"),
        ('speed = "fast"', 1, "not 'fast'"),
        ("theme = 1", 1, "a name"),
        ('intro = "no"', 1, "true or false"),
        ('keys = "r"', 1, "a table"),
        ('# a comment\ncolour = "red"', 2, "unknown key 'colour'"),
        ('[keys]\n"magnets.clear" = 3', 2, "not a whole number"),
        ('[keys]\n"magnets.clear" = []', 2, "a list of keys"),
        ('[keys]\n"magnets.clear" = "y,"', 2, "an empty key"),
    ],
)
def test_each_bad_value_names_its_line_and_is_left_out(text, line, words):
    config = parse(text)
    [(found, message)] = problems(config)
    assert found == line, message
    assert words in message
    assert (config.size, config.rule, config.speed, config.theme) == (None, None, None, None)
    assert config.keys == {} and config.intro is True


def test_lines_are_found_however_the_key_is_written():
    text = '[keys]\n"magnets.recall" = "enter"\nmagnets.clear = "y"\n\n[other]\nsize = 1\n'
    assert find_line(text, "magnets.recall", "keys") == 2
    assert find_line(text, "magnets.clear", "keys") == 3
    assert find_line(text, "size") is None  # [other]'s size is not the top's
    assert find_line('keys."magnets.clear" = "y"\n', "magnets.clear", "keys") == 1
    assert find_line("[keys.magnets]\nclear = 'z'\n", "magnets.clear", "keys") == 2


# -- the keymap: action ids, keys, and keys already taken ----------------------


def test_keys_become_a_keymap_by_action_id():
    config = parse('[keys]\n"magnets.recall" = "enter"\nmagnets.clear = ["y", "!"]\n')
    assert keymap(config) == {"magnets.recall": "enter", "magnets.clear": "y,exclamation_mark"}
    assert config.problems == []


def test_two_actions_may_swap_their_keys():
    config = parse('[keys]\n"magnets.clear" = "r"\n"magnets.recall" = "c"\n')
    assert keymap(config) == {"magnets.clear": "r", "magnets.recall": "c"}
    assert config.problems == []


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ('"magnets.nope" = "q"', "no action 'magnets.nope'"),
        ('"recall" = "q"', "did you mean magnets.recall"),
        ('"magnets.flip-10" = "y"', "palette only"),
        ('"textual.palette" = "ctrl+k"', "Textual's own"),
        ('"magnets.recall" = "fnord"', "'fnord' for magnets.recall is not a key"),
        ('"magnets.recall" = "hyper+ctrl+"', "is not a key"),
        ('"magnets.clear" = "r"', "'r' for magnets.clear is already magnets.recall's"),
        ('"magnets.clear" = "R"', "already magnets.recall's"),  # Caps Lock's alias
        ('"magnets.lab" = "ctrl+q"', "already app.quit's"),
        ('"grid.right" = "i"', "already magnets.imprint's"),
        ('"magnets.random" = "?"', "'?' for magnets.random is already app.help's"),
        ('"lab.run" = "escape"', "already lab.back's"),
    ],
)
def test_a_bad_entry_names_its_line_and_keeps_the_default_keys(entry, words):
    config = parse(f'speed = 10\n[keys]\n"magnets.glyphs" = "f5"\n{entry}\n')
    assert keymap(config) == {"magnets.glyphs": "f5"}, "the good entry still counts"
    [(line, message)] = problems(config)
    assert line == 4, message
    assert words in message


def test_the_default_keys_never_clash_where_they_are_live_together():
    for first in ACTIONS:
        for second in ACTIONS:
            if first.id < second.id and together(first, second):
                shared = set(first.bound_keys) & set(second.bound_keys)
                assert not shared, f"{first.id} and {second.id} share {shared}"


def test_key_names():
    for key in ("r", "R", "ctrl+r", "f5", "escape", "question_mark", "plus", "minus", "space"):
        assert valid_key(key), key
    for key in ("fnord", "ctrl+", "banana+r", ""):
        assert not valid_key(key), key


def test_a_theme_or_palette_name_is_checked_against_the_apps():
    config = parse('theme = "nord"\npalette = "grey"\n')
    assert check_name(config, "theme", ["nord", "dracula"]) == "nord"
    assert check_name(config, "palette", ["red-blue"]) is None
    [(line, message)] = problems(config)
    assert line == 2 and "no palette 'grey'; the palettes are red-blue" in message


# -- writing what the app remembers --------------------------------------------


def test_remembering_keeps_the_users_comments_and_layout(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(EXAMPLE)
    remember(path, "theme", "dracula")
    remember(path, "intro", True)
    text = path.read_text()
    assert text == EXAMPLE.replace('"nord"', '"dracula"').replace("intro = false", "intro = true")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"], "no temporary left"


def test_remembering_makes_the_file_and_its_folder(tmp_path):
    path = tmp_path / "new" / "config.toml"
    remember(path, "theme", "nord")
    assert parse(path.read_text()).theme == "nord"
    assert path.stat().st_mode & 0o777 == 0o644 & ~_umask()


def test_a_remembered_value_goes_before_the_tables(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[keys]\n"magnets.clear" = "y"\n')
    remember(path, "theme", "nord")
    config = read(path)
    assert config.problems == [] and config.theme == "nord"
    assert config.keys == {"magnets.clear": "y"}


def test_a_file_that_is_not_toml_is_not_rewritten(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("theme = nord\n")
    with pytest.raises(ValueError, match="not TOML"):
        remember(path, "theme", "dracula")
    assert path.read_text() == "theme = nord\n"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# -- the command line -----------------------------------------------------------


def test_every_test_has_a_config_folder_of_its_own(config_folder):
    assert config_path() == config_folder / "config.toml"
    assert os.environ[CONFIG_ENV] == str(config_folder)


def test_paths_prints_where_config_sessions_and_autosave_live(
    tmp_path, monkeypatch, capsys, config_folder
):
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    assert cli.main(["paths"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        out[0] == f"config   {config_folder / 'config.toml'} (not there yet: the defaults are used)"
    )
    assert out[1] == f"sessions {tmp_path / 'data' / 'sessions'}"
    assert out[2] == f"autosave {tmp_path / 'data' / 'autosave.hopfield'}"
    (config_folder / "config.toml").write_text("speed = 2\n")
    assert cli.main(["paths"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"config   {config_folder / 'config.toml'}"
    assert out[-1].startswith(f"  {config_folder / 'config.toml'} line 1: speed is one of")


def test_config_path_prints_the_file(capsys, config_folder):
    assert cli.main(["--config-path"]) == 0
    assert capsys.readouterr().out == f"{config_folder / 'config.toml'}\n"


def args(*argv: str) -> argparse.Namespace:
    return cli.parser().parse_args(list(argv))


def test_the_config_gives_the_size_and_rule_the_command_line_does_not():
    config = parse('size = "20x24"\nrule = "dense"\n')
    given = args()
    cli.with_config(given, config)
    start = cli.prepare(given)
    assert (start.network.rows, start.network.cols) == (20, 24)
    assert start.network.rule.name == "dense"


def test_the_command_line_wins_over_the_config():
    config = parse('size = "20x24"\nrule = "dense"\n')
    given = args("--size", "8x8", "--rule", "modern")
    cli.with_config(given, config)
    start = cli.prepare(given)
    assert (start.network.rows, start.network.cols) == (8, 8)
    assert start.network.rule.name == "modern"


def test_a_rule_the_size_refuses_is_a_problem_of_its_line_not_a_refusal():
    config = parse('rule = "storkey"\nsize = "100x100"\n')
    given = args()
    cli.with_config(given, config)
    start = cli.prepare(given)
    assert start.network.rule.name == "hebbian"
    [(line, message)] = problems(config)
    assert line == 1 and "hebbian is used" in message


def test_an_opened_session_keeps_its_size_and_rule(tmp_path):
    from tui_hopfield.model import Network
    from tui_hopfield.model.store import Session, save

    network = Network(8, 8)
    network.imprint(network.grid().copy() * 0 + 1, "all north")
    path = save(Session.of(network, 0.0, "async"), tmp_path / "s.hopfield")
    config = parse('size = "20x24"\nrule = "dense"\n')
    given = args("--load", str(path))
    cli.with_config(given, config)
    start = cli.prepare(given)
    assert (start.network.rows, start.network.cols, start.network.rule.name) == (8, 8, "hebbian")


def test_paths_needs_no_textual(tmp_path):
    """``paths`` and reading the config load no Textual (a quick command, and the layer)."""
    import subprocess
    import sys

    code = (
        "import sys; from tui_hopfield import cli; cli.main(['paths']);"
        " assert 'textual' not in sys.modules, 'textual was imported'"
    )
    env = {**os.environ, CONFIG_ENV: str(tmp_path), "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert str(Path(tmp_path) / "config.toml") in done.stdout


# -- the README ----------------------------------------------------------------

README = Path(__file__).parent.parent / "README.md"


def configuration_section() -> str:
    text = README.read_text()
    return text[text.index("## Configuration") :].split("\n## ", 1)[0]


def test_the_readme_lists_every_action_a_config_may_move():
    assert keymap_table() in configuration_section()


def test_the_readmes_example_is_a_good_config_with_every_key():
    section = configuration_section()
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    config = parse(example)
    keys = keymap(config)
    assert config.problems == [], config.problems
    assert keys == {"magnets.recall": "enter", "magnets.clear": "y,f6"}
    for key in TOP_KEYS:
        assert f"\n{key} = " in f"\n{example}" or key == "keys", f"{key} is not in the example"
        name = "[keys]" if key == "keys" else key
        assert f"| `{name}` |" in section, f"{key} is not in the README's table of keys"
