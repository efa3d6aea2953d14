"""Run Ralph's LRS (ralph-malph, file-system backend) on loopback, for the tests only.

Started with ``.venv-ralph/bin/python tests/lms/ralph_server.py PORT`` (Ralph's own
dependencies clash with ours, so it lives in its own venv). Ralph 5.1.0's file backend
writes each POST with the "create" operation, which refuses to add to its statements file
after the first request; here it appends instead. Nothing else about Ralph is changed.
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
