// Every rule, one line each; the registry the engine runs and `--explain` reads. RuleId is derived from
// it, so a table that names rules (verify's causes and goals) cannot name one that does not exist.
import type { Rule } from "../types.ts";
import { antiAffinityMissing } from "./anti-affinity-missing.ts";
import { antiAffinityNamespaces } from "./anti-affinity-namespaces.ts";
import { apiRemoved } from "./api-removed.ts";
import { appDbSamePod } from "./app-db-same-pod.ts";
import { configmapSecret } from "./configmap-secret.ts";
import { dbWithoutVolume } from "./db-without-volume.ts";
import { gracePeriodTooShort } from "./grace-period-too-short.ts";
import { hpaMinReplicasSingle } from "./hpa-min-replicas-single.ts";
import { hpaMissing } from "./hpa-missing.ts";
import { hpaReplicasConflict } from "./hpa-replicas-conflict.ts";
import { hpaTargetMissing } from "./hpa-target-missing.ts";
import { hpaWithoutRequests } from "./hpa-without-requests.ts";
import { imageReferenceInvalid } from "./image-reference-invalid.ts";
import { imageTagMutable } from "./image-tag-mutable.ts";
import { ingressBackendMissing } from "./ingress-backend-missing.ts";
import { ingressWithoutTls } from "./ingress-without-tls.ts";
import { kindUnknown } from "./kind-unknown.ts";
import { livenessSameAsReadiness } from "./liveness-same-as-readiness.ts";
import { networkPolicyMissing } from "./network-policy-missing.ts";
import { networkPolicySelectsNothing } from "./network-policy-selects-nothing.ts";
import { nodeportExposed } from "./nodeport-exposed.ts";
import { objectDuplicate } from "./object-duplicate.ts";
import { pdbBlocksDrain } from "./pdb-blocks-drain.ts";
import { pdbMissing } from "./pdb-missing.ts";
import { pdbPolicyMissing } from "./pdb-policy-missing.ts";
import { pdbSelectsNothing } from "./pdb-selects-nothing.ts";
import { podSecurityBaseline } from "./pod-security-baseline.ts";
import { podSecurityRestricted } from "./pod-security-restricted.ts";
import { prestopMissing } from "./prestop-missing.ts";
import { privilegedContainer } from "./privileged-container.ts";
import { probePortUdp } from "./probe-port-udp.ts";
import { probePortUnknown } from "./probe-port-unknown.ts";
import { qosBestEffort } from "./qos-best-effort.ts";
import { qosBurstable } from "./qos-burstable.ts";
import { readinessProbeMissing } from "./readiness-probe-missing.ts";
import { replicasSingle } from "./replicas-single.ts";
import { rollingUpdateUnsafe } from "./rolling-update-unsafe.ts";
import { rootFilesystemWritable } from "./root-filesystem-writable.ts";
import { rwoVolumeShared } from "./rwo-volume-shared.ts";
import { schemaInvalid } from "./schema-invalid.ts";
import { secretLiteralEnv } from "./secret-literal-env.ts";
import { secretRefMissing } from "./secret-ref-missing.ts";
import { servicePortUnknown } from "./service-port-unknown.ts";
import { serviceSelectsNothing } from "./service-selects-nothing.ts";
import { statefulsetServiceMissing } from "./statefulset-service-missing.ts";
import { storageclassReclaimDelete } from "./storageclass-reclaim-delete.ts";

const RULES = [
  // availability
  appDbSamePod,
  replicasSingle,
  antiAffinityMissing,
  antiAffinityNamespaces,
  pdbMissing,
  pdbBlocksDrain,
  pdbSelectsNothing,
  pdbPolicyMissing,
  statefulsetServiceMissing,
  // health and QoS
  readinessProbeMissing,
  livenessSameAsReadiness,
  qosBestEffort,
  qosBurstable,
  probePortUnknown,
  probePortUdp,
  // rollout
  rollingUpdateUnsafe,
  prestopMissing,
  gracePeriodTooShort,
  // scaling
  hpaMissing,
  hpaWithoutRequests,
  hpaReplicasConflict,
  hpaTargetMissing,
  hpaMinReplicasSingle,
  // secrets and security
  secretLiteralEnv,
  secretRefMissing,
  configmapSecret,
  imageTagMutable,
  privilegedContainer,
  podSecurityBaseline,
  podSecurityRestricted,
  rootFilesystemWritable,
  // data
  dbWithoutVolume,
  rwoVolumeShared,
  storageclassReclaimDelete,
  // network
  nodeportExposed,
  ingressWithoutTls,
  serviceSelectsNothing,
  servicePortUnknown,
  ingressBackendMissing,
  networkPolicyMissing,
  networkPolicySelectsNothing,
  // API
  apiRemoved,
  kindUnknown,
  schemaInvalid,
  imageReferenceInvalid,
  objectDuplicate,
] as const;

export type RuleId = (typeof RULES)[number]["id"];

export const allRules: readonly Rule[] = RULES;
