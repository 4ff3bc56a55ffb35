import { createServer } from 'node:http';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { encodeError } from '../dialects/openai/index.js';
import { GatewayError, toGatewayError } from '../spec/index.js';
import { registerAnthropicRoutes } from './routes/anthropic-messages.js';
import { registerAudioRoutes } from './routes/audio.js';
import { registerGeminiNativeRoutes } from './routes/gemini-native.js';
import { registerImageRoutes } from './routes/images.js';
import { registerModerationRoutes } from './routes/moderations.js';
import { DEFAULT_UPLOAD_LIMIT_BYTES } from './routes/multipart-form.js';
import { registerPassthroughRoutes } from './routes/passthrough.js';
import { registerRerankRoutes } from './routes/rerank.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerResponsesRoutes } from './routes/responses.js';
import { chatCompletionsHandler } from './routes/openai-chat.js';
import { completionsHandler } from './routes/openai-completions.js';
import { embeddingsHandler } from './routes/openai-embeddings.js';
import { getModelHandler, listModelsHandler } from './routes/openai-models.js';
import type { GatewayRuntime } from './runtime.js';
import { registerAdmin, type AdminDeps, type AdminRouteList } from './admin/index.js';
import { installCors } from './security/cors.js';
import { bodyTooLarge, invalidJsonBody } from './http/body-errors.js';
import { hotLane } from './http/hot-lane.js';
import { sendError } from './respond/send-error.js';

/** Optional parts of the app: the admin API needs the account store, which the relay alone does not. */
export interface AppExtras {
  admin?: AdminDeps;
  /** Filled with every admin route registered (the permission test reads it). */
  adminRoutes?: AdminRouteList;
}

/**
 * Builds the HTTP app. Fastify gives us body limits, in-process `inject()`
 * for tests and a router fast enough for the hot path; handlers stay thin
 * and hijack the reply only to stream.
 */
export function buildApp(rt: GatewayRuntime, extras: AppExtras = {}): FastifyInstance {
  const chat = chatCompletionsHandler(rt);
  // Plain POSTs to chat completions skip Fastify (see hot-lane.ts); Fastify keeps the same route for the rest.
  const lane = hotLane({
    paths: ['/v1/chat/completions', '/chat/completions'],
    handler: chat,
    bodyLimitBytes: rt.config.server.bodyLimitBytes,
    accessLog: rt.accessLog ?? null,
    onRefused: (reply, err) => sendError(reply, undefined, err, encodeError, rt.log),
  });
  const app = Fastify({
    serverFactory: (fastifyHandler) => {
      const server = createServer((req, res) => {
        if (!lane(req, res)) fastifyHandler(req, res);
      });
      // What Fastify sets on servers it makes itself (from the options below).
      server.keepAliveTimeout = 65_000;
      server.requestTimeout = 0;
      return server;
    },
    bodyLimit: rt.config.server.bodyLimitBytes,
    logger: false,
    return503OnClosing: true,
    // Long streams: no server-side request timeout; upstream timeouts are enforced per deployment.
    requestTimeout: 0,
    keepAliveTimeout: 65_000,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 500 },
  });

  app.addHook('preClose', (done) => {
    lane.close();
    done();
  });
  app.decorate('switchyardAccessLog', rt.accessLog ?? null);
  // First, so every scope and the 404 handler inherit it (a preflight hits no route of its own).
  installCors(app, rt.config.server.corsOrigins ?? ['*']);

  // JSON bodies are parsed by us so that a bad body is a 400 in the client's error shape.
  // Clients that omit or mislabel the content type (curl -d) are treated as JSON too.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => {
    const buf = body as Buffer;
    if (buf.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(buf.toString('utf8')));
    } catch (err) {
      done(invalidJsonBody(err) as unknown as FastifyError, undefined);
    }
  });

  app.setErrorHandler((err: FastifyError | GatewayError, req, reply) => {
    const e = fromFastifyError(err, rt.config.server.bodyLimitBytes);
    if (e.status >= 500) rt.log.error('unhandled error', { code: e.code, message: e.message });
    // A route whose clients expect another error shape (Anthropic's) names its renderer in its config.
    const render = (req.routeOptions.config as { renderError?: (e: GatewayError) => Record<string, unknown> } | undefined)?.renderError ?? encodeError;
    void reply.code(e.status).send(render(e));
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send(encodeError(new GatewayError('not_found', { message: `Unknown route: ${req.method} ${req.url.split('?')[0]}` })));
  });

  registerHealthRoutes(app, rt);
  registerAnthropicRoutes(app, rt);
  registerResponsesRoutes(app, rt, extras.admin?.accounts.store.responses);
  // Every OpenAI route also answers without the /v1 prefix (clients configured with a bare base URL).
  for (const prefix of ['/v1', '']) {
    app.post(`${prefix}/chat/completions`, chat);
    app.post(`${prefix}/completions`, completionsHandler(rt));
    app.post(`${prefix}/embeddings`, embeddingsHandler(rt));
    app.get(`${prefix}/models`, listModelsHandler(rt));
    app.get(`${prefix}/models/*`, getModelHandler(rt));
  }
  // Uploads (image edits, audio) are parsed as multipart only in their own scope, under their own limit.
  const uploadLimit = rt.config.server.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT_BYTES;
  void app.register(async (media) => {
    await media.register(multipart, { limits: { fileSize: uploadLimit, files: 16, fields: 64, parts: 100 } });
    registerImageRoutes(media, rt, uploadLimit);
    registerAudioRoutes(media, rt, uploadLimit);
  });
  registerModerationRoutes(app, rt);
  registerRerankRoutes(app, rt);
  registerGeminiNativeRoutes(app, rt);
  registerPassthroughRoutes(app, rt, Math.max(rt.config.server.bodyLimitBytes, uploadLimit));
  if (extras.admin) registerAdmin(app, rt, extras.admin, extras.adminRoutes);
  return app;
}

function fromFastifyError(err: FastifyError | GatewayError, bodyLimit: number): GatewayError {
  if (err instanceof GatewayError) return err;
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return bodyTooLarge(bodyLimit);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError('unsupported_media_type', { message: err.message });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GatewayError('invalid_json', { message: err.message });
    default:
      if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
        return new GatewayError('invalid_request', { message: err.message, status: err.statusCode });
      }
      return toGatewayError(err);
  }
}
