"""`paperbanana serve` with a fake figure pipeline, for tests that need a real process.

Settings come from the environment as for the real command; FAKE_PIPELINE_DELAY holds
each run for that many seconds, so a test can kill the process mid-task.
"""

import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from entrypoints.bootstrap import bootstrap  # noqa: E402
from entrypoints.server import serve  # noqa: E402
from entrypoints.settings import Settings  # noqa: E402
from tests.fakes import SlowFakePipeline  # noqa: E402

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    pipeline = SlowFakePipeline(float(os.environ.get("FAKE_PIPELINE_DELAY", "0")))
    serve(bootstrap(Settings.load(), pipelines={"methodology": pipeline,
                                                "statistical_plot": pipeline}))
