/**
 * The HTTP base every module's routes run in: Ajv that rejects unknown properties and never
 * coerces types, one error shape, security headers, rate limits on public and auth routes,
 * request ids in structured logs (no bodies, no tokens, no personal data), bearer-token
 * authentication, and an OpenAPI document generated from the route schemas.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, {
  type FastifyBaseLogger, type FastifyInstance, type RawServerDefault,
} from 'fastify';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Actor } from '../access/policy.js';
import { AppError } from '../errors.js';
import { errorHandler } from './error-handler.js';
import { ErrorBody } from './schemas.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without a token (rate-limited per address). */
    public?: boolean;
    /** Stricter per-route limit (requests per minute per address), e.g. for login. */
    rateLimitPerMinute?: number;
  }
  interface FastifyRequest {
    actor?: Actor;
    bearerToken?: string;
  }
}

export type HttpServer = FastifyInstance<
  RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider
>;

export interface HttpServerOptions {
  /** A pino logger, or false for none (tests). */
  logger: FastifyBaseLogger | false;
  bodyLimitBytes: number;
  publicRateLimitPerMinute: number;
  /** Resolves a bearer token to its actor, or null when unknown, expired or revoked. */
  authenticate(token: string): Promise<Actor | null>;
  title: string;
  version: string;
}

const ERROR_STATUSES = [400, 401, 403, 404, 409, 413, 422, 429] as const;

export async function createHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    bodyLimit: opts.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true, useDefaults: true } },
    return503OnClosing: true,
    // Malformed or over-long URL parts are answered by the router itself; route them through the
    // one error handler so they too get the contract's error body rather than Fastify's own.
    frameworkErrors: errorHandler,
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();

  const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
  // Query strings and path params are text by nature: only they are coerced, bodies never.
  const queryAjv = new Ajv({ removeAdditional: false, coerceTypes: true, allErrors: true, useDefaults: true });
  addFormats(queryAjv);
  const bodyAjv = new Ajv({ removeAdditional: false, coerceTypes: false, allErrors: true, useDefaults: true });
  addFormats(bodyAjv);
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? bodyAjv : queryAjv;
    return ajv.compile(schema);
  });

  app.addSchema(ErrorBody);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${req.url.split('?')[0]}` } });
  });

  // Every route gets the shared error responses and, when public, a rate limit; declared once here.
  // Added before the rate-limit plugin so that its own onRoute hook sees `config.rateLimit`.
  app.addHook('onRoute', (route) => {
    const schema = (route.schema ??= {});
    const response = ((schema as { response?: Record<number, unknown> }).response ??= {});
    for (const status of ERROR_STATUSES) response[status] ??= { $ref: 'ErrorBody#' };
    const config = (route.config ??= {}) as { public?: boolean; rateLimitPerMinute?: number; rateLimit?: unknown };
    if (config.public || config.rateLimitPerMinute) {
      config.rateLimit = { max: config.rateLimitPerMinute ?? opts.publicRateLimitPerMinute, timeWindow: 60_000 };
    }
    if (!config.public && route.url.startsWith('/api/')) {
      (schema as { security?: unknown }).security = [{ bearerAuth: [] }];
    }
  });

  const headers = await securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Ant Design and the API reference inject styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => {
      const err = new AppError('RATE_LIMITED', `Too many requests; try again in ${Math.ceil(ctx.ttl / 1000)} s`);
      return Object.assign(err, { statusCode: 429 });
    },
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: opts.title, version: opts.version, description: 'tongban (通办) public API' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => (json.$id as string) ?? `def-${i}` },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (!header) return;
    const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header);
    if (!match) throw new AppError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>"');
    const actor = await opts.authenticate(match[1]!);
    if (!actor) throw new AppError('UNAUTHENTICATED', 'The token is invalid, expired or signed out; sign in again');
    request.actor = actor;
    request.bearerToken = match[1];
  });
  app.addHook('preHandler', async (request) => {
    const config = request.routeOptions.config as { public?: boolean };
    const url = request.routeOptions.url ?? '';
    if (url.startsWith('/api/') && !config.public && !request.actor) throw new AppError('UNAUTHENTICATED');
  });

  return app as unknown as HttpServer;
}

/**
 * The security headers helmet sends under `options`, worked out once. @fastify/helmet builds
 * helmet's middleware again on every request (it parsed the CSP directives anew each time: about
 * 5% of a cheap public route's CPU, like the catalogue search), while the headers never vary.
 */
async function securityHeaders(options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const probe = async (withHelmet: boolean) => {
    const f = Fastify({ logger: false });
    if (withHelmet) await f.register(helmet, options);
    f.get('/', async () => 'probe');
    const res = await f.inject({ method: 'GET', url: '/' });
    await f.close();
    return res.headers;
  };
  const [plain, secured] = await Promise.all([probe(false), probe(true)]);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(secured)) if (!(name in plain) && typeof value === 'string') headers[name] = value;
  if (!headers['content-security-policy']) throw new Error('helmet sent no Content-Security-Policy');
  return headers;
}
