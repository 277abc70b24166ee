// A local Appium 3 server from the project's own dependencies, as a child process on a free
// loopback port. APPIUM_HOME is the project root: Appium reads the extensions listed in its
// package.json (appium-uiautomator2-driver, @appium/fake-driver) from node_modules and records
// them in node_modules/.cache/appium/extensions.yaml, so no `appium driver install` is needed.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeviceError, EnvironmentError } from '../../errors.ts';
import { createLog } from '../../log.ts';

const log = createLog('appium');

export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A free TCP port on 127.0.0.1 (bound then released; the tiny race is acceptable for tests/CLI). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface AppiumServerOptions {
  port?: number;
  /** Default: the project root (its package.json lists the drivers). */
  appiumHome?: string;
  /** How long to wait for /status (default 60 s: the first start builds the extension cache). */
  startTimeoutMs?: number;
  /** Extra server arguments, e.g. ['--log-level', 'debug']. */
  args?: string[];
}

export interface AppiumEndpoint {
  hostname: string;
  port: number;
  path: string;
}

/** Parses --appium-url (an existing Appium server or Selenium Grid): http://host:4723/wd/hub. */
export function parseAppiumUrl(url: string): AppiumEndpoint {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DeviceError(`--appium-url: not a URL: '${url}'`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new DeviceError(`--appium-url: expected http(s), got '${url}'`);
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  return { hostname: u.hostname, port, path: u.pathname.replace(/\/$/, '') || '/' };
}

export function appiumEntry(root = PROJECT_ROOT): string {
  const entry = `${root}node_modules/appium/index.js`;
  if (!existsSync(entry)) {
    throw new EnvironmentError(`Appium is not installed (${entry} missing): run \`npm install\` in ${root}`);
  }
  return entry;
}

async function statusReady(endpoint: AppiumEndpoint): Promise<boolean> {
  const base = endpoint.path === '/' ? '' : endpoint.path;
  try {
    const res = await fetch(`http://${endpoint.hostname}:${endpoint.port}${base}/status`, {
      signal: AbortSignal.timeout(2_000),
    });
    if (!res.ok) return false;
    const body = (await res.json()) as { value?: { ready?: boolean } };
    return body.value?.ready !== false;
  } catch {
    return false;
  }
}

/**
 * Appium caches where each extension is installed (absolute paths) in its manifest. A project
 * moved or copied elsewhere keeps a manifest naming the old place, and Appium then refuses every
 * session ("Could not read the driver manifest"): such a manifest is dropped so Appium rebuilds it.
 */
export function dropStaleManifest(root: string): boolean {
  const file = join(root, 'node_modules', '.cache', 'appium', 'extensions.yaml');
  if (!existsSync(file)) return false;
  const paths = [...readFileSync(file, 'utf8').matchAll(/^\s*installPath:\s*(\S+)\s*$/gm)].map(
    (m) => m[1] ?? '',
  );
  const stale = paths.some((p) => !p.startsWith(join(root, 'node_modules')));
  if (stale) {
    log.info(`appium: dropping ${file}, which names extensions outside ${root}`);
    rmSync(file, { force: true });
  }
  return stale;
}

export class AppiumServer {
  private exited = false;
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: AppiumEndpoint,
  ) {
    child.on('exit', () => {
      this.exited = true;
    });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-4_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  get url(): string {
    return `http://${this.endpoint.hostname}:${this.endpoint.port}${this.endpoint.path}`;
  }

  /** Starts `node node_modules/appium/index.js server` and waits until /status answers. */
  static async start(options: AppiumServerOptions = {}): Promise<AppiumServer> {
    const root = options.appiumHome ?? PROJECT_ROOT;
    dropStaleManifest(root);
    const port = options.port ?? (await freePort());
    const args = [
      appiumEntry(),
      'server',
      '--address',
      '127.0.0.1',
      '--port',
      String(port),
      '--base-path',
      '/',
    ];
    args.push('--log-no-colors', ...(options.args ?? []));
    log.info(`starting appium on 127.0.0.1:${port} (APPIUM_HOME=${root})`);
    const child = spawn(process.execPath, args, {
      env: { ...process.env, APPIUM_HOME: root },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new AppiumServer(child, { hostname: '127.0.0.1', port, path: '/' });
    const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
    while (!(await statusReady(server.endpoint))) {
      if (server.exited || Date.now() > deadline) {
        await server.stop();
        const tail = server.output.trim().split('\n').slice(-5).join(' | ');
        throw new DeviceError(
          `appium did not start on port ${port}${server.exited ? ' (exited)' : ' (timeout)'}: ${tail}`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return server;
  }

  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await done;
    clearTimeout(timer);
  }
}
