"""The mailbox daemon: intake from IMAP exactly once, rules, retries, health, sending.

rules.py     which mails are taken, and the server-side action after success
intake.py    one folder: search, fetch what is new, process, commit, then act
runner.py    the loop: connect, IDLE/poll, reconnect with backoff, signals
health.py    logs, Prometheus metrics, `rpa status`
commands.py  what the CLI calls
"""

from rpa.daemon.commands import failed_text, retry_mail, send_replies, status_text
from rpa.daemon.runner import Daemon, run_daemon

__all__ = ["Daemon", "failed_text", "retry_mail", "run_daemon", "send_replies", "status_text"]
