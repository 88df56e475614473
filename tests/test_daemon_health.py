"""What ops watch: the Prometheus endpoint and JSON-lines logs of the daemon."""

from __future__ import annotations

import json
import logging
import socket
import urllib.request
from pathlib import Path

import pytest
from conftest import require

from rpa.config import load_settings
from rpa.daemon.health import Metrics, configure_logging
from rpa.errors import ConfigError


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_metrics_endpoint_exports_processed_failed_latency_and_backlog() -> None:
    try:
        import prometheus_client  # noqa: F401
    except ImportError:
        require(False, "prometheus_client is not installed")
    port = free_port()
    metrics = Metrics(port)
    try:
        metrics.mail_done("stored", 0.2)
        metrics.mail_done("stored", 0.4)
        metrics.mail_done("failed", 0.1)
        metrics.backlog(7)
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    finally:
        metrics.close()
    assert "rpa_mails_processed_total 2.0" in page
    assert "rpa_mails_failed_total 1.0" in page
    assert "rpa_mail_seconds_count 2.0" in page
    assert "rpa_backlog 7.0" in page


def test_json_logs_are_one_object_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("json")
    try:
        logging.getLogger("rpa.daemon").warning("IMAP connection lost; retrying in %d s", 4)
    finally:
        logging.getLogger("rpa").handlers.clear()
    (line,) = capsys.readouterr().err.strip().splitlines()
    entry = json.loads(line)
    assert entry["level"] == "warning" and entry["logger"] == "rpa.daemon"
    assert entry["message"] == "IMAP connection lost; retrying in 4 s"


def test_an_unknown_log_format_is_refused_when_the_settings_load(tmp_path: Path) -> None:
    with pytest.raises(
        ConfigError,
        match=r"\[daemon\] log_format must be one of text, json, not 'xml' \(RPA_DAEMON_LOG_FORMAT\)",
    ):
        load_settings(environ={"RPA_HOME": str(tmp_path), "RPA_DAEMON_LOG_FORMAT": "xml"})
