// The options of `matrix --emit k8s <dir>`: declared for commander and validated here, once.
import type { Command } from 'commander';
import * as z from 'zod';

export const K8S_DEFAULTS = {
  name: 'oom-harness',
  inputVolume: 'emptydir',
  outputVolume: 'pvc:oom-harness-runs',
} as const;

/** A DNS-1123 label short enough that `<name>-<cap>-<index>-<5 chars>` (a pod's name) stays within 63. */
const NAME = /^[a-z0-9]([-a-z0-9]{0,28}[a-z0-9])?$/;
/** A PersistentVolumeClaim's name: a DNS-1123 subdomain. */
const CLAIM = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export type InputVolume = { kind: 'emptyDir' } | { kind: 'pvc'; claim: string };
export type OutputVolume = { kind: 'pvc'; claim: string };

const claimOf = (text: string) => (text.startsWith('pvc:') && CLAIM.test(text.slice(4)) ? text.slice(4) : null);

export const k8sOptionsSchema = z.object({
  emit: z.array(z.string()).refine((values) => values.length === 2 && values[0] === 'k8s' && values[1] !== '', {
    message: 'two values: k8s and a directory (--emit k8s <dir>), after the inputs',
  }),
  k8sImage: z.string().regex(/^[a-z0-9][a-zA-Z0-9._/:@-]{0,254}$/, 'an image reference such as registry.example.com/team/oom-harness:<tag>').optional(),
  k8sName: z.string().regex(NAME, 'lower-case letters, digits and "-", at most 30, starting and ending with a letter or digit'),
  k8sInputVolume: z.string().transform((text, ctx): InputVolume => {
    if (text === 'emptydir') return { kind: 'emptyDir' };
    const claim = claimOf(text);
    if (claim) return { kind: 'pvc', claim };
    ctx.addIssue({ code: 'custom', message: 'emptydir (filled by an init container you edit) or pvc:<claim> (a PersistentVolumeClaim holding the inputs)' });
    return z.NEVER;
  }),
  k8sOutputVolume: z.string().transform((text, ctx): OutputVolume => {
    const claim = claimOf(text);
    if (claim) return { kind: 'pvc', claim };
    ctx.addIssue({ code: 'custom', message: 'pvc:<claim>, a PersistentVolumeClaim the pods can write' });
    return z.NEVER;
  }),
});
export type K8sOptions = z.output<typeof k8sOptionsSchema>;

export function addK8sFlags(command: Command): Command {
  return command
    .option('--emit <what...>', 'k8s <dir>: write one Kubernetes Indexed Job per cap into <dir> instead of running')
    .option('--k8s-image <ref>', "with --emit k8s: the runtime image as the cluster pulls it (default: the local tag; push it first)")
    .option('--k8s-name <name>', 'with --emit k8s: prefix of the Jobs, ConfigMaps and labels', K8S_DEFAULTS.name)
    .option('--k8s-input-volume <volume>', 'with --emit k8s: emptydir (an init container you edit fills it) or pvc:<claim>', K8S_DEFAULTS.inputVolume)
    .option('--k8s-output-volume <volume>', 'with --emit k8s: pvc:<claim> the run directories are written to (the default claim is emitted too)', K8S_DEFAULTS.outputVolume);
}
