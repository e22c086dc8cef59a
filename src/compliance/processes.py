"""Worker processes that end with the process that started them.

A spawned worker (a batch pool's, a web batch job's) blocked on its work would outlive a parent
killed outright (`kill -9`, an out-of-memory kill) and go on writing files nobody reads, or
mark a job done after a restarted service has recorded it as interrupted. On POSIX an orphan is
re-parented, so a thread that sees its parent id change ends the process. (On Windows orphans
are not re-parented and the thread never fires; the pool's or the service's own shutdown is
relied on there.)
"""

from __future__ import annotations

import os
import threading
import time


def parent_alive(parent: int) -> bool:
    return os.getppid() == parent


def die_with_parent(parent: int, every: float = 1.0) -> None:
    """Watch, in a daemon thread, for `parent` to end; then end this process at once."""
    def watch() -> None:
        while parent_alive(parent):
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()
