// Runtime images on a shared engine: a build replaces only its own install's older images of the same version;
// other versions and other checkouts keep theirs.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type Docker from 'dockerode';
import { create as createTar } from 'tar';
import { LABEL_IMAGE_HASH } from '../../harness/container-runtime/labels.js';
import { removeSupersededImages, sourceLabels } from '../../harness/image/image-builder.js';
import { engineOrSkip } from '../helpers/engine.js';

/** An empty image carrying the given labels, built offline from scratch. */
async function labelledImage(docker: Docker, tag: string, labels: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'image-labels-'));
  try {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nLABEL test=oom-harness-images\n');
    const stream = await docker.buildImage(createTar({ cwd: dir }, ['Dockerfile']) as unknown as NodeJS.ReadableStream, { t: tag, labels });
    await new Promise((resolve, reject) => docker.modem.followProgress(stream, (error) => (error ? reject(error) : resolve(null))));
    return (await docker.getImage(tag).inspect()).Id;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a rebuild removes its own install's older image, and no image of another version or checkout", async (t) => {
  const docker = await engineOrSkip(t);
  if (!docker) return;
  const here = sourceLabels({ hash: 'new', projectRoot: '/checkouts/here' });
  const tags = ['oom-harness-test/labels:current', 'oom-harness-test/labels:older', 'oom-harness-test/labels:other-version', 'oom-harness-test/labels:other-checkout'];
  try {
    const current = await labelledImage(docker, tags[0]!, { ...here, test: 'current' });
    await labelledImage(docker, tags[1]!, { ...here, [LABEL_IMAGE_HASH]: 'old', test: 'older' });
    await labelledImage(docker, tags[2]!, { ...here, [LABEL_IMAGE_HASH]: 'v0', 'io.oom-harness.version': '0.0.1', test: 'other-version' });
    await labelledImage(docker, tags[3]!, { ...sourceLabels({ hash: 'x', projectRoot: '/checkouts/there' }), test: 'other-checkout' });
    await removeSupersededImages(docker, current, here);
    const left = new Set<string>();
    for (const tag of tags) {
      if (await docker.getImage(tag).inspect().then(() => true, () => false)) left.add(tag);
    }
    assert.deepEqual([...left], [tags[0], tags[2], tags[3]]);
  } finally {
    for (const tag of tags) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
  }
});
