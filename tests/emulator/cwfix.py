"""moto's CloudWatch, made to tell metrics apart by their dimensions as CloudWatch does.

In CloudWatch a metric is namespace + name + its exact set of dimensions: a query without
dimensions reads only the datums published without any (the account's `Reputation.*`),
never the per-configuration-set ones. moto 5.2.1 matches a dimensionless GetMetricData
query against every datum of that name, and GetMetricStatistics against every datum
holding the given dimensions (a subset). install() wraps both so that each query sees
only the datums whose dimensions are exactly the query's.
"""

from moto.cloudwatch.models import CloudWatchBackend

_installed = False


def _key(dims):
    return sorted((d["Name"], d.get("Value")) for d in dims or [])


def _exactly(backend, dims, call):
    """call() with backend.get_all_metrics() narrowed to datums with exactly `dims`.
    The emulator serves requests under one lock, so the narrowing is not seen elsewhere."""
    want = _key(dims)
    everything = backend.metric_data + backend.aws_metric_data
    backend.get_all_metrics = lambda: [md for md in everything
                                       if sorted((d.name, d.value) for d in md.dimensions) == want]
    try:
        return call()
    finally:
        del backend.get_all_metrics


def install():
    global _installed
    if _installed:
        return
    _installed = True
    get_metric_data = CloudWatchBackend.get_metric_data
    get_metric_statistics = CloudWatchBackend.get_metric_statistics

    def patched_get_metric_data(self, queries, start_time, end_time, scan_by="TimestampAscending"):
        if any("MetricStat" not in q for q in queries):     # metric math: moto's own way
            return get_metric_data(self, queries, start_time, end_time, scan_by)
        out = []
        for q in queries:
            dims = q["MetricStat"]["Metric"].get("Dimensions")
            out += _exactly(self, dims, lambda: get_metric_data(self, [q], start_time, end_time, scan_by))
        return out

    def patched_get_metric_statistics(self, namespace, metric_name, start_time, end_time, period, stats,
                                      dimensions, unit=None):
        return _exactly(self, dimensions, lambda: get_metric_statistics(
            self, namespace, metric_name, start_time, end_time, period, stats, dimensions, unit))

    CloudWatchBackend.get_metric_data = patched_get_metric_data
    CloudWatchBackend.get_metric_statistics = patched_get_metric_statistics
