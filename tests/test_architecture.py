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
# often a way round a cycle). The picture above is acyclic, so they belong at module top. The few that
# must stay (Django's app registry, a real cycle) say why on the line before, with "# lazy: …" or
# "# cycle: …"; an unexplained one fails. Their number may only go down (issue 17).
LAZY_IMPORTS_BETWEEN_APPS_AT_MOST = 1
APPS = (
    "electionportal",
    "demo",
    "protocols",
    "ballots",
    "voters",
    "candidates",
    "meetings",
    "groups",
    "elections",
    "accounts",
)


def _lazy_imports_between_apps() -> list[tuple[str, str]]:
    """Each import of another app inside a function (not ``ready()``), with its "# lazy:" or
    "# cycle:" reason from the line before, or "" when it gives none."""
    import ast

    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            lines = text.splitlines()
            tree = ast.parse(text)
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
                            before = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
                            reason = before if before.startswith(("# lazy:", "# cycle:")) else ""
                            found.append((f"{path.relative_to(ROOT)}:{node.lineno} imports {module}", reason))
    return sorted(set(found))


def test_imports_between_apps_inside_functions_say_why_and_only_decrease():
    lazy = _lazy_imports_between_apps()
    unexplained = [where for where, reason in lazy if not reason]
    assert not unexplained, (
        "imports of another app inside a function without a '# lazy: …' or '# cycle: …' reason on the "
        "line before; import at module top instead:\n" + "\n".join(unexplained)
    )
    assert len(lazy) <= LAZY_IMPORTS_BETWEEN_APPS_AT_MOST, (
        f"{len(lazy)} imports of another app inside a function (at most {LAZY_IMPORTS_BETWEEN_APPS_AT_MOST}): "
        "import at module top instead.\n" + "\n".join(f"{where} ({reason})" for where, reason in lazy)
    )


# accounts holds the user and the login and sits at the bottom: it names no domain app, neither
# by import (the contract above) nor by a string Django resolves later (a lazy "app.Model"
# relation, a "namespace:url" name, an "app/template.html"). Role assignments live in groups.
DOMAIN_APPS = ("elections", "groups", "meetings", "candidates", "voters", "ballots", "protocols")


def test_accounts_models_relate_to_no_model_of_another_project_app():
    from django.apps import apps

    allowed = {"accounts"}
    found = []
    for model in apps.get_app_config("accounts").get_models():
        for field in model._meta.get_fields():
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue  # reverse relations are other apps pointing down at accounts: fine
            label = field.related_model._meta.app_label
            if label in APPS and label not in allowed:
                found.append(f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}")
    assert not found, "accounts models point up at domain apps:\n" + "\n".join(found)


def test_accounts_code_names_no_domain_app_in_a_string():
    import ast
    import re

    pattern = re.compile(rf"\b({'|'.join(DOMAIN_APPS)})[.:/]\w")
    found = []
    for path in sorted((ROOT / "accounts").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and pattern.search(node.value)
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
    assert not found, "accounts names a domain app in code (only comments may):\n" + "\n".join(found)
