"""The gunicorn settings of the Docker image and the benchmark (electionportal/gunicorn_conf.py)."""

import importlib
import os

import pytest

import electionportal.gunicorn_conf as conf


@pytest.fixture
def load(monkeypatch, tmp_path):
    def _load(env_file_text=None, **environment):
        for name in ("WEB_CONCURRENCY", "GUNICORN_BIND", "GUNICORN_TIMEOUT"):
            monkeypatch.delenv(name, raising=False)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        env_file = tmp_path / "env"
        if env_file_text is not None:
            env_file.write_text(env_file_text)
        monkeypatch.setenv("ENV_FILE", str(env_file))
        return importlib.reload(conf)

    yield _load
    # os.environ entries that .env added are not monkeypatched: drop them, then reload as found
    for name in ("WEB_CONCURRENCY", "GUNICORN_BIND", "GUNICORN_TIMEOUT"):
        os.environ.pop(name, None)
    monkeypatch.undo()
    importlib.reload(conf)


def test_sync_workers_two_per_cpu_plus_one(load):
    loaded = load()
    assert loaded.worker_class == "sync"
    assert loaded.workers == len(os.sched_getaffinity(0)) * 2 + 1
    assert loaded.bind == "0.0.0.0:8000" and loaded.timeout == 30


def test_the_environment_and_then_dot_env_set_them(load):
    loaded = load("WEB_CONCURRENCY=7\nGUNICORN_BIND=127.0.0.1:9000\n", WEB_CONCURRENCY="3")
    assert loaded.workers == 3  # the real environment wins over .env
    assert loaded.bind == "127.0.0.1:9000"
