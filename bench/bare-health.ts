import Fastify from 'fastify';

// `http.bare`, the floor of the HTTP scenarios: a bare Fastify app (no hooks, schemas, headers,
// logging or metrics) answering GET /health with the app's body. Run as its own process by run.ts,
// started and loaded exactly as src/server.ts is.

const port = Number(process.env.PORT);
if (!port) throw new Error('PORT is required');

const app = Fastify({ logger: false });
app.get('/health', async () => ({ status: 'ok' }));

process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});

await app.listen({ port, host: '127.0.0.1' });
