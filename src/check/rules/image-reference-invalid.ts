import { isValidImageReference } from "../../k8s/image.ts";
import { text } from "../shape.ts";
import { defineRule } from "../types.ts";
import { containerName, containersOf, describe } from "./helpers.ts";

export const imageReferenceInvalid = defineRule({
  id: "image-reference-invalid",
  title: "Image references are ones the kubelet can parse",
  severity: "error",
  category: "api",
  targets: "workloads",
  explain: `What breaks: the apiserver stores any image string, but the kubelet parses it before pulling; a reference
that does not parse (two tags, uppercase letters in the repository, an empty or over-long tag, a digest
that is not algorithm:hex, a template placeholder left unrendered) fails with InvalidImageName and the
container never starts. Apply succeeds; the outage shows only on the cluster.

Why: the seed's images are plain name:version references (wordpress:5.3.2-apache, mysql:5.7); what the
pod runs must be something a registry can serve.

Fix: write [registry[:port]/]path[:tag][@sha256:digest] with a lowercase path, one tag of letters, digits,
"_", "." and "-" (at most 128, not starting with "." or "-"), and render templates before checking.`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w) return [];
    return containersOf(w).flatMap(({ container, path }) => {
      const image = text(container.image);
      if (!image || isValidImageReference(image)) return [];
      return [
        {
          message: `container "${containerName(container)}" of ${describe(subject)} uses image "${image}", which is not a valid image reference: the kubelet refuses it (InvalidImageName) and the container never starts`,
          fix: "Write the image as [registry[:port]/]path[:tag][@sha256:digest], with a lowercase path and a single tag.",
          path: [...path, "image"],
        },
      ];
    });
  },
});
