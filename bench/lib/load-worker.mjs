// Runs autocannon in its own process, so the load generator does not share the event loop of the
// in-process server it measures. (Not a worker thread: autocannon then assumes it is one of its
// own workers and returns partial results.) Plain JS so it starts without tsx.
import autocannon from 'autocannon';

process.once('message', async (spec) => {
  const result = await autocannon({ ...spec, renderProgressBar: false, renderResultsTable: false });
  process.send({
    total: result.requests.total,
    duration: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: result.statusCodeStats,
  }, () => process.exit(0));
});
