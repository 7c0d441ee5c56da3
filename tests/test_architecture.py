"""The picture of the apps (pyproject.toml, [tool.importlinter]): every import between apps, at module
top or inside a function, points down the layers, and the counting engine imports no Django.

A failure lists the offending import chain; move the code to the app it belongs to instead of
adding an exception."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_apps_import_only_the_apps_below_them(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    exit_code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert exit_code == 0, report
    assert "2 kept, 0 broken" in report
