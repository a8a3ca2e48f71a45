/**
 * Open311 GeoReport v2 at /open311/v2/: discovery, services, service definitions, requests
 * (GET with the standard filters, POST with an api_key) and single requests, each as `.json`
 * or `.xml`. Errors use the Open311 shape (a list of {code, description}) in the requested format.
 * Only public categories are offered and listed; sensitive ones (elderly checks, disputes) stay internal.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpServer } from '../../platform/http/server.js';
import { AppError } from '../../platform/errors.js';
import { toErrorBody } from '../../platform/http/error-handler.js';
import { Obj } from '../../platform/http/schemas.js';
import { EVENT_STATUSES, open311Status } from './lifecycle.js';
import { renderErrors, renderList, renderObject, requestView, serviceView, type Format } from './open311-format.js';
import type { GovernanceService } from './service.js';

const Fmt = Type.Enum(['json', 'xml']);
const Text = (max: number) => Type.String({ maxLength: max });
const Coordinate = Type.Union([Type.Number(), Type.String({ pattern: '^-?[0-9]{1,3}(\\.[0-9]+)?$' })]);

const RequestsQuery = Obj({
  service_request_id: Type.Optional(Text(2000)), service_code: Type.Optional(Text(400)),
  start_date: Type.Optional(Type.String({ format: 'date-time' })), end_date: Type.Optional(Type.String({ format: 'date-time' })),
  status: Type.Optional(Type.String({ pattern: '^(open|closed)(,(open|closed))?$' })), jurisdiction_id: Type.Optional(Text(64)),
});
const PostBody = Obj({
  api_key: Type.Optional(Text(200)), jurisdiction_id: Type.Optional(Text(64)), service_code: Text(40),
  lat: Type.Optional(Coordinate), long: Type.Optional(Coordinate), address_string: Type.Optional(Text(200)), address_id: Type.Optional(Text(40)),
  email: Type.Optional(Text(200)), device_id: Type.Optional(Text(200)), account_id: Type.Optional(Text(200)),
  first_name: Type.Optional(Text(100)), last_name: Type.Optional(Text(100)), phone: Type.Optional(Text(40)),
  description: Type.Optional(Text(2000)), media_url: Type.Optional(Type.String({ maxLength: 2000, pattern: '^https?://' })),
});

const MAX_RESULTS = 1000;
const DEFAULT_WINDOW_DAYS = 90;
const OPEN_STATUSES = EVENT_STATUSES.filter((s) => open311Status(s) === 'open');
const CLOSED_STATUSES = EVENT_STATUSES.filter((s) => open311Status(s) === 'closed');

function formatOf(req: FastifyRequest): Format {
  const f = (req.params as { format?: string } | undefined)?.format;
  if (f === 'xml' || f === 'json') return f;
  return /\.xml(\?|$)/.test(req.url) ? 'xml' : 'json';
}

function send(reply: FastifyReply, status: number, out: { type: string; body: string }) {
  return reply.status(status).type(out.type).send(out.body);
}

/** The Open311 error body for any failure, in the format the client asked for. */
function open311Error(err: unknown, req: FastifyRequest, reply: FastifyReply) {
  const { status, body } = toErrorBody(err);
  if (status >= 500) req.log.error({ err }, 'open311 request failed');
  const details = body.error.details?.map((d) => `${d.path ?? ''} ${d.message}`.trim()).join('; ');
  return send(reply, status, renderErrors(formatOf(req), status, details ? `${body.error.message}: ${details}` : body.error.message));
}

export interface Open311Deps { governance: GovernanceService; publicUrl?: string }

export async function open311Routes(app: HttpServer, { governance }: Open311Deps) {
  const { events, open311Keys } = governance;
  const config = { public: true };
  const tags = ['open311'];

  app.setErrorHandler(open311Error);
  app.setNotFoundHandler((req, reply) => send(reply, 404, renderErrors(formatOf(req), 404, `No Open311 resource at ${req.url.split('?')[0]}`)));
  // Open311 clients post form-encoded bodies. No service defines attributes (metadata is false),
  // so an `attribute[x]` field is refused as unknown, like any other unknown field.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const categoryNames = async () => new Map((await events.categories()).map((c) => [c.code, c.name]));

  app.get('/discovery.:format', { config, schema: { tags, summary: 'Open311 discovery', params: Obj({ format: Fmt }) } }, async (req, reply) => {
    const base = `${req.protocol}://${req.host}/open311/v2/`;
    return send(reply, 200, renderObject(req.params.format, 'discovery', {
      changeset: '2026-11-29T00:00:00Z', contact: '12345 政务服务便民热线', key_service: 'Ask the platform operator for an api_key',
      endpoints: { endpoint: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: base, changeset: '2026-11-29T00:00:00Z', type: 'production', formats: { format: ['application/json', 'text/xml'] } }] },
    }));
  });

  app.get('/services.:format', { config, schema: { tags, summary: 'Open311 service list (public event categories)', params: Obj({ format: Fmt }), querystring: Obj({ jurisdiction_id: Type.Optional(Text(64)) }) } }, async (req, reply) => {
    const services = (await events.categories()).filter((c) => c.public).map(serviceView);
    return send(reply, 200, renderList(req.params.format, 'services', 'service', services));
  });

  app.get('/services/:code.:format', { config, schema: { tags, summary: 'Open311 service definition', params: Obj({ code: Text(40), format: Fmt }), querystring: Obj({ jurisdiction_id: Type.Optional(Text(64)) }) } }, async (req, reply) => {
    const c = (await events.categories()).find((x) => x.code === req.params.code && x.public);
    if (!c) throw new AppError('NOT_FOUND', `No service with service_code ${req.params.code}`);
    return send(reply, 200, renderObject(req.params.format, 'service_definition', { service_code: c.code, attributes: [] }));
  });

  app.get('/requests.:format', { config, schema: { tags, summary: 'Open311 service requests (standard filters)', params: Obj({ format: Fmt }), querystring: RequestsQuery } }, async (req, reply) => {
    const q = req.query;
    const ids = q.service_request_id?.split(',').map((s) => s.trim()).filter(Boolean);
    if (ids?.some((id) => !/^[0-9a-f-]{36}$/i.test(id))) throw new AppError('VALIDATION_FAILED', 'service_request_id must be request ids separated by commas');
    const statuses = q.status?.split(',').flatMap((s) => (s === 'open' ? OPEN_STATUSES : CLOSED_STATUSES));
    const to = q.end_date ? new Date(q.end_date) : undefined;
    const from = q.start_date ? new Date(q.start_date) : ids ? undefined : new Date((to ?? new Date()).getTime() - DEFAULT_WINDOW_DAYS * 86400_000);
    const rows = await events.listPublic({ ids, statuses, categories: q.service_code?.split(','), from, to, limit: MAX_RESULTS });
    const names = await categoryNames();
    return send(reply, 200, renderList(req.params.format, 'service_requests', 'request', rows.map((e) => requestView(e, names.get(e.category_code) ?? e.category_code))));
  });

  app.get('/requests/:id.:format', { config, schema: { tags, summary: 'One Open311 service request', params: Obj({ id: Text(64), format: Fmt }), querystring: Obj({ jurisdiction_id: Type.Optional(Text(64)) }) } }, async (req, reply) => {
    const e = /^[0-9a-f-]{36}$/i.test(req.params.id) ? await events.publicEvent(req.params.id) : undefined;
    if (!e) throw new AppError('NOT_FOUND', `No service request ${req.params.id}`);
    const names = await categoryNames();
    return send(reply, 200, renderList(req.params.format, 'service_requests', 'request', [requestView(e, names.get(e.category_code) ?? e.category_code)]));
  });

  app.post('/requests.:format', { config, schema: { tags, summary: 'File an Open311 service request (api_key required)', params: Obj({ format: Fmt }), body: PostBody } }, async (req, reply) => {
    const b = req.body;
    if (!b.api_key) throw new AppError('VALIDATION_FAILED', 'api_key is required to file a request');
    const client = await open311Keys.clientFor(b.api_key);
    if (!client) throw new AppError('FORBIDDEN', 'The api_key is not valid');
    const category = (await events.categories()).find((c) => c.code === b.service_code && c.public);
    if (!category) throw new AppError('VALIDATION_FAILED', `service_code ${b.service_code} is not a service of this jurisdiction`);
    if (b.lat === undefined && b.long === undefined && !b.address_id) {
      throw new AppError('VALIDATION_FAILED', b.address_string ? 'address_string alone cannot be placed here: send lat/long or address_id' : 'A location is required: lat/long or address_id');
    }
    const event = await events.report({ client }, {
      categoryCode: category.code, description: b.description?.trim() || category.name,
      regionCode: b.address_id, lat: b.lat === undefined ? undefined : Number(b.lat), lon: b.long === undefined ? undefined : Number(b.long),
      address: b.address_string, mediaUrl: b.media_url,
    });
    // Data minimisation: contact details are not kept; the request is followed by its id.
    const notice = b.email || b.phone || b.first_name || b.last_name ? 'Contact details are not stored; follow this request by its id.' : '';
    return send(reply, 201, renderList(req.params.format, 'service_requests', 'request', [
      { service_request_id: event.id, service_notice: notice, account_id: null },
    ]));
  });
}
