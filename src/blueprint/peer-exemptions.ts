// Deliberate choices the peer linters (kube-score, Polaris, kube-linter) flag, exempted with each peer's own
// annotation so their reports stay clean, and said in the YAML comment above it: a reader of the output
// sees what was waived and why, instead of a silenced check.

/** One deliberate choice and the checks of each peer that would report it. */
export interface Exemption {
  /** Why the choice is deliberate: the YAML comment, and the value of kube-linter's annotation. */
  reason: string;
  /** kube-score check ids, listed in `kube-score/ignore`. */
  kubeScore?: readonly string[];
  /** Polaris check ids, each exempted by `polaris.fairwinds.com/<id>-exempt: "true"`. */
  polaris?: readonly string[];
  /** kube-linter check names, each exempted by `ignore-check.kube-linter.io/<name>: <reason>`. */
  kubeLinter?: readonly string[];
}

export const KUBE_SCORE_IGNORE = "kube-score/ignore";
export const polarisExempt = (check: string) => `polaris.fairwinds.com/${check}-exempt`;
export const kubeLinterIgnore = (check: string) => `ignore-check.kube-linter.io/${check}`;

/** The annotations that exempt `exemptions` in every peer. */
export function exemptionAnnotations(exemptions: readonly Exemption[]): Record<string, string> {
  const kubeScore = [...new Set(exemptions.flatMap((e) => e.kubeScore ?? []))];
  return {
    ...(kubeScore.length && { [KUBE_SCORE_IGNORE]: kubeScore.join(",") }),
    ...Object.fromEntries(
      exemptions.flatMap((e) => (e.polaris ?? []).map((c) => [polarisExempt(c), "true"])),
    ),
    ...Object.fromEntries(
      exemptions.flatMap((e) => (e.kubeLinter ?? []).map((c) => [kubeLinterIgnore(c), e.reason])),
    ),
  };
}

/** The comment for `exemptionAnnotations(exemptions)` on the object at `meta` ("metadata"): above the first
 * of those annotations, one line per choice with its reason and the checks it waives in each peer. */
export function exemptionNotes(exemptions: readonly Exemption[], meta = "metadata"): Record<string, string> {
  const [first] = Object.keys(exemptionAnnotations(exemptions));
  if (first === undefined) return {};
  const waived = (e: Exemption) =>
    [
      e.kubeScore?.length && `kube-score ${e.kubeScore.join(", ")}`,
      e.polaris?.length && `Polaris ${e.polaris.join(", ")}`,
      e.kubeLinter?.length && `kube-linter ${e.kubeLinter.join(", ")}`,
    ]
      .filter(Boolean)
      .join("; ");
  const text = exemptions.map((e) => `deliberate: ${e.reason} (${waived(e)})`).join("\n ");
  return { [`${meta}.annotations[${JSON.stringify(first)}]`]: text };
}

/** The pull policy both tiers choose: their images are pinned, so a pull on every start buys nothing but
 * the registry as a dependency of every restart, reschedule and scale-up. */
export const PINNED_PULL_EXEMPTION: Exemption = {
  reason:
    "the image is pinned, so IfNotPresent gets the same image without depending on the registry to start",
  kubeScore: ["container-image-pull-policy"],
  polaris: ["pullPolicyNotAlways"],
};

/** PriorityClasses are a cluster's own: a blueprint naming one would fail to apply where it is missing. */
export const NO_PRIORITY_CLASS_EXEMPTION: Exemption = {
  reason: "no priorityClassName: priority classes are the cluster's own, and none is assumed to exist",
  polaris: ["priorityClassNotSet"],
};
