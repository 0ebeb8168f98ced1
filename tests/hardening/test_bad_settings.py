"""A settings file that is not valid Python: its line, exit 2, no traceback."""

from __future__ import annotations

from scripts import build as build_command
from scripts import check as check_command


def test_a_settings_file_that_is_not_python(tmp_path, capsys):
    conf = tmp_path / "conf.py"
    conf.write_text('SITENAME = "Tips"\nTIMEZONE = "Europe/Oslo\n')
    for main in (check_command.main, build_command.main):
        code = main(["--settings", "conf.py", "--content", "content"])
        out, err = capsys.readouterr()
        assert code == 2
        assert err.startswith("error: conf.py:2: the settings file is not valid Python (")
        assert "Traceback" not in out + err
