import type { FastifyInstance } from 'fastify';
import { createApp, type App } from '../app.ts';
import type { Config } from '../config/config.ts';
import { createHttpServer } from '../http/server.ts';
import { warningLineLogger } from '../shared/logger.ts';

export type RunningServer = { app: App; http: FastifyInstance; url: string; stop: () => Promise<void> };

/** Starts database, services and HTTP server; prints how to reach the back office and how to log in. */
export async function startServer(config: Config, print: (line: string) => void = console.log): Promise<RunningServer> {
  const app = await createApp(config, { outageLog: warningLineLogger(config.logLevel) });
  let http: FastifyInstance;
  try {
    http = await createHttpServer(app);
    if (config.isWorkerInProcess) await app.startWorkers();
    await http.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`Port ${config.port} on ${config.host} is already in use. Stop the other program or set PORT to a free port.`, { cause: error });
    }
    throw error;
  }
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.publicUrl?.replace(/\/$/, '') ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  print(`Clientele is running.`);
  print(`  Back office: ${url}/admin`);
  print(`  API docs:    ${url}/api/docs`);
  const setupToken = await app.staff.issueSetupToken();
  if (setupToken) {
    print(`No staff user exists yet. Create the first administrator with this one-time link (valid 24 hours):`);
    print(`  ${url}/admin/setup?token=${setupToken}`);
  } else {
    print(`Log in with your staff e-mail address and password. Invite a colleague in Settings › Staff users, or with: npx clientele staff create --email … --name … --role staff`);
  }
  return {
    app,
    http,
    url,
    async stop() {
      await http.close();
      await app.close();
    },
  };
}
