// Which engine to talk to, found the way the Docker CLI finds it: DOCKER_HOST, then DOCKER_CONTEXT, then the
// currentContext of the Docker config file, else the default socket. A context is read from the CLI's own store:
// contexts/meta/<sha256 of the name>/meta.json, with its TLS files under contexts/tls/<same>/docker.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { HarnessError, errorMessage } from '../common/harness-error.js';

export const DEFAULT_ENGINE_HOST = 'unix:///var/run/docker.sock';
/** The context name the Docker CLI reserves for "DOCKER_HOST or the default socket". */
export const DEFAULT_CONTEXT = 'default';

export const ENDPOINT_SOURCES = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'docker-config', 'default'] as const;
export type EndpointSource = (typeof ENDPOINT_SOURCES)[number];

export interface EngineEndpoint {
  /** unix:///var/run/docker.sock, tcp://host:2376, ssh://user@host */
  host: string;
  source: EndpointSource;
  /** The Docker context the host was read from; null for DOCKER_HOST and the default socket. */
  context: string | null;
  /** The context's TLS files (ca.pem, cert.pem, key.pem), when it stores any. */
  tlsDir: string | null;
  skipTlsVerify: boolean;
}

export interface EndpointEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
}

const ConfigFileSchema = z.looseObject({ currentContext: z.string().optional() });
const ContextMetaSchema = z.looseObject({
  Name: z.string(),
  Endpoints: z.looseObject({
    docker: z.looseObject({ Host: z.string().min(1), SkipTLSVerify: z.boolean().optional() }).optional(),
  }),
});

function currentEnvironment(): EndpointEnvironment {
  return { env: process.env, homeDir: homedir() };
}

export function dockerConfigDir(environment: EndpointEnvironment = currentEnvironment()): string {
  return environment.env.DOCKER_CONFIG || join(environment.homeDir, '.docker');
}

/** The directory name the Docker CLI stores a context under. */
export function contextDirName(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

export function resolveEngineEndpoint(environment: EndpointEnvironment = currentEnvironment()): EngineEndpoint {
  const dockerHost = environment.env.DOCKER_HOST;
  if (dockerHost) return { host: dockerHost, source: 'DOCKER_HOST', context: null, tlsDir: null, skipTlsVerify: false };
  const configDir = dockerConfigDir(environment);
  const fromEnv = environment.env.DOCKER_CONTEXT;
  const chosen = fromEnv
    ? { name: fromEnv, source: 'DOCKER_CONTEXT' as const, what: 'DOCKER_CONTEXT' }
    : currentContextOf(join(configDir, 'config.json'));
  if (!chosen || chosen.name === DEFAULT_CONTEXT) {
    return { host: DEFAULT_ENGINE_HOST, source: chosen?.source ?? 'default', context: chosen ? DEFAULT_CONTEXT : null, tlsDir: null, skipTlsVerify: false };
  }
  return readContext(configDir, chosen);
}

interface ChosenContext {
  name: string;
  source: 'DOCKER_CONTEXT' | 'docker-config';
  /** Where the name came from, for messages. */
  what: string;
}

function currentContextOf(configFile: string): ChosenContext | null {
  if (!existsSync(configFile)) return null;
  let parsed: z.infer<typeof ConfigFileSchema>;
  try {
    parsed = ConfigFileSchema.parse(JSON.parse(readFileSync(configFile, 'utf8')));
  } catch (error) {
    throw new HarnessError('BAD_INPUT', `Docker config ${configFile}: expected a JSON object with an optional string currentContext (${errorMessage(error)})`, {
      cause: error,
      hint: 'Fix or move the file, or set DOCKER_HOST to choose the engine directly.',
    });
  }
  const name = parsed.currentContext;
  return name ? { name, source: 'docker-config', what: `currentContext in ${configFile}` } : null;
}

function readContext(configDir: string, chosen: ChosenContext): EngineEndpoint {
  const id = contextDirName(chosen.name);
  const metaFile = join(configDir, 'contexts', 'meta', id, 'meta.json');
  const hint =
    chosen.source === 'DOCKER_CONTEXT'
      ? '`docker context ls` lists the contexts; unset DOCKER_CONTEXT to use the current one.'
      : '`docker context ls` lists the contexts; `docker context use default` goes back to the default socket.';
  if (!existsSync(metaFile)) {
    throw new HarnessError('BAD_INPUT', `${chosen.what}: got ${JSON.stringify(chosen.name)}, expected the name of a Docker context (there is no ${metaFile})`, { hint });
  }
  let meta: z.infer<typeof ContextMetaSchema>;
  try {
    meta = ContextMetaSchema.parse(JSON.parse(readFileSync(metaFile, 'utf8')));
  } catch (error) {
    throw new HarnessError('BAD_INPUT', `Docker context ${JSON.stringify(chosen.name)}: ${metaFile} is not a context's metadata (${errorMessage(error)})`, { cause: error, hint });
  }
  const docker = meta.Endpoints.docker;
  if (!docker) {
    throw new HarnessError('BAD_INPUT', `Docker context ${JSON.stringify(chosen.name)} (${chosen.what}) has no docker endpoint in ${metaFile}`, { hint });
  }
  const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
  return {
    host: docker.Host,
    source: chosen.source,
    context: chosen.name,
    tlsDir: existsSync(tlsDir) ? tlsDir : null,
    skipTlsVerify: docker.SkipTLSVerify ?? false,
  };
}

/** "unix:///var/run/docker.sock", with the context and where it was chosen when there is one. */
export function describeEndpoint(endpoint: EngineEndpoint): string {
  if (endpoint.context === null) return endpoint.source === 'DOCKER_HOST' ? `${endpoint.host} (DOCKER_HOST)` : endpoint.host;
  const from = endpoint.source === 'DOCKER_CONTEXT' ? 'DOCKER_CONTEXT' : 'the current Docker context';
  return `${endpoint.host} (context ${JSON.stringify(endpoint.context)}, from ${from})`;
}
