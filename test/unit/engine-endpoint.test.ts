// Which engine the harness talks to: the Docker CLI's order (DOCKER_HOST, DOCKER_CONTEXT, currentContext, the
// default socket), read from config directories the Docker CLI wrote.
import assert from 'node:assert/strict';
import { Agent } from 'node:https';
import { test } from 'node:test';
import { dockerOptions, engineProduct } from '../../harness/container-runtime/docker-client.js';
import { contextDirName, describeEndpoint, resolveEngineEndpoint, type EngineEndpoint } from '../../harness/container-runtime/engine-endpoint.js';
import { HarnessError } from '../../harness/common/harness-error.js';
import { fixture } from '../helpers/paths.js';

const HOME = '/nonexistent-home';
const withContexts = fixture('docker-config', 'with-contexts');

function resolve(env: Record<string, string>): EngineEndpoint {
  return resolveEngineEndpoint({ env, homeDir: HOME });
}

function badInput(run: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof HarnessError, String(error));
    assert.equal(error.code, 'BAD_INPUT');
    assert.equal(error.exitCode, 2);
    for (const pattern of patterns) assert.match(`${error.message}\n${error.hint ?? ''}`, pattern);
    return true;
  });
}

test('a context is stored under the sha256 of its name, as the Docker CLI stores it', () => {
  assert.equal(contextDirName('ci-engine'), '6e5359db709f13d28f8ed94d571bebac069d052c6deb2d461d3f8c4086046473');
});

test('DOCKER_HOST wins over DOCKER_CONTEXT and the current context', () => {
  const endpoint = resolve({ DOCKER_HOST: 'unix:///run/podman/podman.sock', DOCKER_CONTEXT: 'remote-tls', DOCKER_CONFIG: withContexts });
  assert.deepEqual(endpoint, { host: 'unix:///run/podman/podman.sock', source: 'DOCKER_HOST', context: null, tlsDir: null, skipTlsVerify: false });
  assert.equal(describeEndpoint(endpoint), 'unix:///run/podman/podman.sock (DOCKER_HOST)');
  // dockerode reads DOCKER_HOST (and DOCKER_TLS_VERIFY, DOCKER_CERT_PATH) itself.
  assert.equal(dockerOptions(endpoint), undefined);
});

test("DOCKER_CONTEXT wins over the config file's currentContext", () => {
  const endpoint = resolve({ DOCKER_CONTEXT: 'over-ssh', DOCKER_CONFIG: withContexts });
  assert.equal(endpoint.host, 'ssh://ci@engine.example:2222');
  assert.equal(endpoint.source, 'DOCKER_CONTEXT');
  assert.equal(endpoint.context, 'over-ssh');
  assert.equal(describeEndpoint(endpoint), 'ssh://ci@engine.example:2222 (context "over-ssh", from DOCKER_CONTEXT)');
  const options = dockerOptions(endpoint)!;
  assert.deepEqual([options.protocol, options.host, options.port, options.username], ['ssh', 'engine.example', '2222', 'ci']);
});

test("the config file's currentContext is used when neither variable is set", () => {
  const endpoint = resolve({ DOCKER_CONFIG: withContexts });
  assert.deepEqual(endpoint, { host: 'unix:///run/ci-engine.sock', source: 'docker-config', context: 'ci-engine', tlsDir: null, skipTlsVerify: false });
  assert.deepEqual(dockerOptions(endpoint), { socketPath: '/run/ci-engine.sock' });
  assert.equal(describeEndpoint(endpoint), 'unix:///run/ci-engine.sock (context "ci-engine", from the current Docker context)');
});

test('with no config directory, or the context named "default", the default socket', () => {
  const none = resolve({});
  assert.deepEqual(none, { host: 'unix:///var/run/docker.sock', source: 'default', context: null, tlsDir: null, skipTlsVerify: false });
  assert.deepEqual(dockerOptions(none), { socketPath: '/var/run/docker.sock' });
  const named = resolve({ DOCKER_CONTEXT: 'default', DOCKER_CONFIG: withContexts });
  assert.equal(named.host, 'unix:///var/run/docker.sock');
  assert.equal(named.context, 'default');
});

test('DOCKER_CONFIG unset: the config directory is ~/.docker', () => {
  const endpoint = resolveEngineEndpoint({ env: {}, homeDir: fixture('docker-config', 'home') });
  assert.equal(endpoint.context, 'ci-engine');
  assert.equal(endpoint.host, 'unix:///run/ci-engine.sock');
});

test("a TLS context's files are read from contexts/tls and sent over https", () => {
  const endpoint = resolve({ DOCKER_CONTEXT: 'remote-tls', DOCKER_CONFIG: withContexts });
  assert.equal(endpoint.tlsDir, `${withContexts}/contexts/tls/${contextDirName('remote-tls')}/docker`);
  const options = dockerOptions(endpoint)!;
  assert.deepEqual([options.protocol, options.host, options.port], ['https', 'engine.example', '2376']);
  assert.match(String(options.ca), /stands in for ca\.pem/);
  assert.match(String(options.cert), /stands in for cert\.pem/);
  assert.match(String(options.key), /stands in for key\.pem/);
});

test('skip-tls-verify: https without verifying the engine certificate', () => {
  const endpoint = resolve({ DOCKER_CONTEXT: 'insecure', DOCKER_CONFIG: withContexts });
  assert.equal(endpoint.skipTlsVerify, true);
  assert.equal(endpoint.tlsDir, null);
  const options = dockerOptions(endpoint) as { protocol?: string; agent?: Agent };
  assert.equal(options.protocol, 'https');
  assert.ok(options.agent instanceof Agent);
  assert.equal(options.agent.options.rejectUnauthorized, false);
});

test('a context that does not exist is named, with where the name came from', () => {
  badInput(() => resolve({ DOCKER_CONTEXT: 'nope', DOCKER_CONFIG: withContexts }), /^DOCKER_CONTEXT: got "nope", expected the name of a Docker context/, /docker context ls/);
  const config = fixture('docker-config', 'missing-context');
  badInput(() => resolve({ DOCKER_CONFIG: config }), new RegExp(`currentContext in ${config}/config.json: got "gone"`), /docker context use default/);
});

test('a broken config file or a context without a docker endpoint is a clear error', () => {
  badInput(() => resolve({ DOCKER_CONFIG: fixture('docker-config', 'broken') }), /broken\/config\.json: expected a JSON object/);
  badInput(() => resolve({ DOCKER_CONTEXT: 'no-docker', DOCKER_CONFIG: withContexts }), /context "no-docker" \(DOCKER_CONTEXT\) has no docker endpoint/);
});

test('an address that is not unix, tcp or ssh is refused, naming the context', () => {
  const endpoint: EngineEndpoint = { host: 'ftp://engine', source: 'DOCKER_CONTEXT', context: 'odd', tlsDir: null, skipTlsVerify: false };
  badInput(() => dockerOptions(endpoint), /context "odd": ftp:\/\/engine: expected a unix:\/\/, tcp:\/\/ or ssh:\/\/ address/);
  assert.deepEqual(dockerOptions({ ...endpoint, host: 'tcp://10.0.0.5:2375' }), { host: '10.0.0.5', port: '2375', protocol: 'http' });
});

test("the engine's product comes from its version report: Podman names itself, Docker does not", () => {
  assert.equal(engineProduct({ Platform: { Name: 'linux/amd64/debian-12' }, Components: [{ Name: 'Podman Engine' }] as never }), 'Podman');
  assert.equal(engineProduct({ Platform: { Name: '' }, Components: [{ Name: 'Engine' }, { Name: 'containerd' }] as never }), 'Docker');
  assert.equal(engineProduct({ Platform: { Name: 'Docker Engine - Community' }, Components: [] as never }), 'Docker');
});
