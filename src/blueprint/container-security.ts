// Container-level hardening both tiers share: no privilege escalation, every capability dropped but the few
// the image's own start-up needs, a read-only root filesystem with each path the image writes at run time
// on an emptyDir of its own.
import type { SecurityContext, Volume, VolumeMount } from "kubernetes-types/core/v1.js";

/** What an image needs from its container beyond its volumes: learnt from its entrypoint, not guessed. */
export interface ImageNeeds {
  /** Capabilities added back after dropping ALL, each for a step of the image's start (chown, setuid…). */
  capabilities: readonly string[];
  /** Paths the image writes outside its volumes (pid files, sockets, temp files): each an emptyDir. */
  writablePaths: readonly string[];
}

/** The container's securityContext for an image with `needs`. */
export function containerSecurity(needs: ImageNeeds): SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"], ...(needs.capabilities.length && { add: [...needs.capabilities] }) },
  };
}

/** "/run/apache2" → "run-apache2": the emptyDir's volume name. */
const volumeName = (path: string) => path.replace(/^\/+/, "").replaceAll(/[^a-z0-9]+/g, "-");

/** The emptyDirs behind `needs.writablePaths`; the container's ephemeral-storage limit bounds them all. */
export function scratchVolumes(needs: ImageNeeds): { mounts: VolumeMount[]; volumes: Volume[] } {
  return {
    mounts: needs.writablePaths.map((path) => ({ name: volumeName(path), mountPath: path })),
    volumes: needs.writablePaths.map((path) => ({ name: volumeName(path), emptyDir: {} })),
  };
}

/** The note for what `containerSecurity` sets, on the container at `container`. */
export function containerSecurityNotes(container: string, needs: ImageNeeds): Record<string, string> {
  const added = needs.capabilities.length ? `, only ${needs.capabilities.join(", ")} kept` : "";
  return {
    [`${container}.securityContext`]: `security: no privilege escalation, capabilities dropped${added}, read-only root filesystem (writable: ${needs.writablePaths.join(", ")} on emptyDirs)`,
  };
}
