"""The production settings (config.settings, from the environment) for bench servers, with
two differences only: static files are collected to BENCH_STATIC_ROOT (a temporary folder, so
that a bench never leaves `staticfiles/` in the project, where the test server would serve it
instead of the sources), and the URLs add the bare view (bench/server_urls.py)."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
ROOT_URLCONF = "bench.server_urls"
