// Runs autocannon in its own process, so the load generator does not share the event loop of the
// in-process server it measures. (Not a worker thread: autocannon then assumes it is one of its
// own workers and returns partial results.) Plain JS so it starts without tsx.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

process.once('message', async (spec) => {
  // `uniqueHeader` gives every request its own value of one header (e.g. a fresh
  // Idempotency-Key per submission), which a fixed autocannon request cannot.
  const { uniqueHeader, paths, ...options } = spec;
  // Several paths: each connection walks through them in turn (autocannon's request list).
  if (paths) options.requests = paths.map((path) => ({ method: options.method, path, headers: options.headers, body: options.body }));
  if (uniqueHeader) {
    let n = 0;
    const run = randomUUID().slice(0, 8);
    options.requests = [{
      method: options.method, body: options.body, headers: options.headers,
      setupRequest: (req) => ({ ...req, headers: { ...req.headers, [uniqueHeader.name]: `${uniqueHeader.prefix}-${run}-${n++}` } }),
    }];
  }
  // autocannon's own histogram keeps whole milliseconds; each 2xx response's time is kept here to
  // the microsecond, so sub-millisecond latencies do not read as 0 or 1 ms.
  const times = [];
  const instance = autocannon({ ...options, renderProgressBar: false, renderResultsTable: false });
  instance.on('response', (_client, status, _bytes, responseTime) => { if (status >= 200 && status < 300) times.push(responseTime); });
  const result = await instance;
  times.sort((a, b) => a - b);
  const quantile = (q) => (times.length ? times[Math.min(times.length - 1, Math.floor(q * times.length))] : result.latency[q === 0.5 ? 'p50' : 'p99']);
  process.send({
    total: result.requests.total,
    duration: result.duration,
    p50: quantile(0.5),
    p99: quantile(0.99),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: result.statusCodeStats,
  }, () => process.exit(0));
});
