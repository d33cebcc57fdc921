"""Metrics for Prometheus, on the official prometheus-client.

`metrics.PrometheusMetrics` is the domain's Metrics port; `scrape.Scrape` renders what a
scrape asks for (with the database's figures read at scrape time); `multiprocess` keeps a
prefork worker's children counted. This package module imports nothing: prometheus-client
decides at import whether it runs in multiprocess mode, so the worker must be able to set
PROMETHEUS_MULTIPROC_DIR (via `multiprocess`) before anything here imports the client.
"""
