"""`paperbanana worker` with a fake figure pipeline, for tests that run (and kill) real
worker processes. FAKE_PIPELINE_DELAY holds each run for that many seconds."""

import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from entrypoints.bootstrap import bootstrap  # noqa: E402
from entrypoints.settings import Settings  # noqa: E402
from entrypoints.worker import run_worker  # noqa: E402
from tests.fakes import SlowFakePipeline  # noqa: E402

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(process)d %(name)s: %(message)s")
    pipeline = SlowFakePipeline(float(os.environ.get("FAKE_PIPELINE_DELAY", "0")))
    container = bootstrap(Settings.load(), pipelines={"methodology": pipeline,
                                                      "statistical_plot": pipeline})
    try:
        run_worker(container)
    finally:
        container.close()
