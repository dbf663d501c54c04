// What the Jobs share: the output claim when the default one is used; when nothing needs the network (inputs from a
// claim), a policy that denies the pods all traffic, as a local run's container has no network; and a pod to copy
// the run directories out.
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { APP_LABEL, INSTANCE_LABEL } from './job-manifest.js';
import { INIT_IMAGE, POD_UID } from './pod-template.js';

export const DEFAULT_CLAIM_STORAGE = '5Gi';

export function outputClaim(name: string, claim: string): PersistentVolumeClaim {
  return new PersistentVolumeClaim({
    metadata: { name: claim, labels: { [APP_LABEL]: 'oom-harness', [INSTANCE_LABEL]: name } },
    spec: {
      // Pods of one Job may land on several nodes, and all of them write here.
      accessModes: ['ReadWriteMany'],
      resources: { requests: { storage: DEFAULT_CLAIM_STORAGE } },
    },
  });
}

export function denyAllTraffic(name: string): NetworkPolicy {
  return new NetworkPolicy({
    metadata: { name: `${name}-no-network`, labels: { [APP_LABEL]: 'oom-harness', [INSTANCE_LABEL]: name } },
    spec: {
      podSelector: { matchLabels: { [APP_LABEL]: 'oom-harness', [INSTANCE_LABEL]: name } },
      policyTypes: ['Ingress', 'Egress'],
    },
  });
}

/** A pod that only mounts the output claim, so `kubectl cp` can copy the run directories out. */
export function copyOutPod(name: string, claim: string): Pod {
  return new Pod({
    metadata: { name: `${name}-copy-out`, labels: { [APP_LABEL]: 'oom-harness', [INSTANCE_LABEL]: name } },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: POD_UID, runAsGroup: POD_UID, fsGroup: POD_UID },
      containers: [
        {
          name: 'copy-out',
          image: INIT_IMAGE,
          command: ['sleep', '3600'],
          resources: { limits: { memory: '64Mi', cpu: '100m' }, requests: { memory: '64Mi', cpu: '100m' } },
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          volumeMounts: [{ name: 'out', mountPath: '/out', readOnly: true }],
        },
      ],
      volumes: [{ name: 'out', persistentVolumeClaim: { claimName: claim, readOnly: true } }],
    },
  });
}
