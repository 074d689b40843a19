import { imagePinning } from "../../k8s/image.ts";
import { text } from "../shape.ts";
import { defineRule } from "../types.ts";
import { containerName, containersOf, describe } from "./helpers.ts";

export const imageTagMutable = defineRule({
  id: "image-tag-mutable",
  title: "Images are pinned to a version tag or digest, not latest",
  severity: "warning",
  category: "security",
  targets: "workloads",
  explain: `What breaks: "latest" (or no tag, which means latest) is a moving pointer, as are channel tags such as
stable, main, edge or nightly. Pods started on different
days run different code; a node restart or reschedule silently upgrades one replica; a rollback goes
"back" to the same moving tag; and nobody can say which version is in production. A compromised or broken
upstream push lands in production without a deploy.

Why: the seed pins every image — wordpress:5.3.2-apache, mysql:5.7 — and its persistence section shows why
versions matter: switching MySQL images (5.7 → 5.6) changed how the data directory was initialised.

Fix: use an immutable reference: a full version tag (wordpress:6.8.3-apache) or, stronger, a digest
(wordpress@sha256:…), and change it deliberately with each release.`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w) return [];
    return containersOf(w).flatMap(({ container, path }) => {
      const image = text(container.image);
      if (!image) return [];
      const pinning = imagePinning(image);
      if (pinning.pinned) return [];
      const { tag } = pinning;
      return [
        {
          message: `container "${containerName(container)}" of ${describe(subject)} uses image "${image}" ${tag ? `tagged ${tag}, a moving tag` : "without a tag (latest)"}: which version runs depends on when each pod started`,
          fix: `Pin "${image}" to a version tag or a digest (name:1.2.3 or name@sha256:…).`,
          path: [...path, "image"],
        },
      ];
    });
  },
});
