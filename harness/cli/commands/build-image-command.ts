// oom-harness build-image: builds the runtime image now instead of on the first run.
import { Command } from 'commander';
import * as z from 'zod';
import { connectEngine } from '../../container-runtime/docker-client.js';
import { ensureImage, pruneOtherImages } from '../../image/image-builder.js';
import { parseOptions } from '../../options/parse-options.js';
import { RUN_DEFAULTS } from '../../options/run-options.js';
import type { CliIo } from '../cli-io.js';
import { projectRoot } from '../../common/project-root.js';

export function buildImageCommand(io: CliIo): Command {
  return new Command('build-image')
    .description('build the runtime image for this build of the harness, if it is not there yet')
    .option('--base-image <image>', 'scratch (offline, the host Node) or an official Node image', RUN_DEFAULTS.baseImage)
    .option('--prune', "then remove other harness builds' runtime images that no container uses")
    .action(async (raw: Record<string, unknown>) => {
      const schema = z.object({ baseImage: z.string().min(1, 'an image name'), prune: z.boolean().optional() });
      const { baseImage, prune } = parseOptions(schema, raw);
      const { docker, engine } = await connectEngine();
      const image = await ensureImage(docker, { projectRoot: projectRoot(), baseImage, onBuildStart: (tag) => io.stderr(`building ${tag} from ${baseImage}\n`) });
      io.stdout(
        `${image.tag} ${image.built ? `built in ${((image.buildMs ?? 0) / 1000).toFixed(1)} s` : 'already present'} ` +
          `(${engine.product} ${engine.engineVersion}, API ${engine.apiVersion}, cgroup v${engine.cgroupVersion ?? '?'}; ${image.nodeRuntime})\n`,
      );
      if (!prune) return;
      const pruned = await pruneOtherImages(docker, image.id);
      io.stdout(`pruned ${pruned.removed.length} other harness image(s)${pruned.removed.length ? `: ${pruned.removed.join(', ')}` : ''}\n`);
      if (pruned.inUse.length) io.stdout(`kept ${pruned.inUse.length} still used by a container: ${pruned.inUse.join(', ')}\n`);
    });
}
