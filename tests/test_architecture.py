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


# Imports of another app inside a function hide a module's dependencies from its reader (and were
# often a way round a cycle). The picture above is acyclic, so they belong at module top; a few
# must stay where Django requires them (AppConfig.ready). This number may only go down (issue 17).
LAZY_IMPORTS_BETWEEN_APPS_AT_MOST = 14
APPS = (
    "electionportal",
    "demo",
    "protocols",
    "ballots",
    "voters",
    "candidates",
    "groups",
    "elections",
    "accounts",
)


def _lazy_imports_between_apps() -> list[str]:
    import ast

    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for function in ast.walk(tree):
                if (
                    not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
                    or function.name == "ready"
                ):
                    continue
                for node in ast.walk(function):
                    if isinstance(node, ast.ImportFrom) and not node.level:
                        modules = [node.module or ""]
                    elif isinstance(node, ast.Import):
                        modules = [alias.name for alias in node.names]
                    else:
                        continue
                    for module in modules:
                        if module.split(".")[0] in APPS and module.split(".")[0] != app:
                            found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {module}")
    return sorted(set(found))


def test_imports_between_apps_inside_functions_only_decrease():
    lazy = _lazy_imports_between_apps()
    assert len(lazy) <= LAZY_IMPORTS_BETWEEN_APPS_AT_MOST, (
        f"{len(lazy)} imports of another app inside a function (at most {LAZY_IMPORTS_BETWEEN_APPS_AT_MOST}): "
        "import at module top instead.\n" + "\n".join(lazy)
    )
