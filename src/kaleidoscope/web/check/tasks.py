"""The archive scan as a background task (Django's tasks API, from the django-tasks
backport), and the worker that runs it.

The task's only argument is the job's token: no file name, nothing read from the
archive and no key goes into the task's database row. It runs on the queue of the
machine that received the upload (``settings.TASK_QUEUE``, named after the host), since
the file is only there; each machine runs a worker for its own queue:
``kaleidoscope worker``, or the one ``kaleidoscope serve`` runs itself on an embedded
SQLite. See docs/deploy.md.
"""

from __future__ import annotations

import socket
import threading
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import task

from . import jobs

KEEP_ROWS = timedelta(days=1)

def queue_name() -> str:
    return str(settings.TASK_QUEUE)


def worker_queues() -> list[str]:
    """This machine's queue, and the shared ``default`` queue for work that can run
    anywhere."""
    return list(dict.fromkeys([queue_name(), "default"]))


@task(queue_name=str(settings.TASK_QUEUE))
def scan_archive_job(token: str) -> None:
    """Scan the archive of job ``token``: progress, outcome and the encrypted report go
    to the cache; the upload is deleted. Never raises (a failure is the job's outcome,
    so the task row keeps no traceback that could quote an archive)."""
    jobs.run(token)
    prune_finished()


def prune_finished(keep: timedelta = KEEP_ROWS) -> int:
    """Delete the rows of tasks that finished more than ``keep`` ago, and of tasks whose
    worker was killed long before (they hold nothing but a token; this keeps the table
    small)."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    finished, _ = DBTaskResult.objects.finished().filter(finished_at__lt=now - keep).delete()
    abandoned, _ = DBTaskResult.objects.running().filter(
        started_at__lt=now - timedelta(seconds=jobs.ACTIVE_TTL) - keep
    ).delete()
    return int(finished + abandoned)


def enqueue(token: str) -> None:
    scan_archive_job.using(queue_name=queue_name()).enqueue(token)


def new_worker(*, batch: bool = False, interval: float = 1.0) -> Any:
    """django-tasks-db's worker for this machine's queues (``batch``: run what is waiting,
    then return)."""
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=worker_queues(),
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"{socket.gethostname()[:40]}-{get_random_string(12)}",
        excluded_queue_names=[],
    )


def start_thread() -> tuple[threading.Thread, Any]:
    """Run a worker in a daemon thread of this process (``serve`` on an embedded SQLite,
    where the job status lives in this process's memory). Stop it with
    ``worker.running = False``."""
    worker = new_worker()

    def loop() -> None:
        try:
            worker.run()
        finally:
            close_old_connections()

    thread = threading.Thread(target=loop, name="archive-scan-worker", daemon=True)
    thread.start()
    return thread, worker
