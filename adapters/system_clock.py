"""The wall clock, in UTC."""

from datetime import datetime, timezone

from application.ports import Clock


class SystemClock(Clock):
    def now(self) -> datetime:
        return datetime.now(timezone.utc)
