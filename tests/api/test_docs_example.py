"""The client example of docs/api.md works: it is run as written (only BASE and SLUG replaced)
against a live server with a published local-council election, and its recount matches."""

import io
import re
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_documented_client_recounts_every_contest(live_server, kg_published):
    text = (Path(settings.BASE_DIR) / "docs" / "api.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    code = code.replace('BASE = "http://127.0.0.1:8000"', f'BASE = "{live_server.url}"')
    code = code.replace('SLUG = "kg-local-2016"', f'SLUG = "{kg_published["election"].slug}"')
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(SystemExit) as exit_:
        exec(compile(code, "docs/api.md", "exec"), {"__name__": "__main__"})
    assert exit_.value.code == 0, out.getvalue()
    assert "recount matches" in out.getvalue()
