// Kubernetes' recommended app.kubernetes.io/* labels, which dashboards, peers and `kubectl get -l` read. They
// sit beside the selector labels (app, tier), never in selectors: a Deployment's selector is immutable, so
// adding them there would make every existing install refuse the next apply.
import { parseImage } from "../k8s/image.ts";

/** The labels of a construct `instance` running `image` as the `component` of app `partOf`. */
export function recommendedLabels(props: {
  instance: string;
  image: string;
  component: string;
  partOf: string;
}): Record<string, string> {
  return {
    // The software, as its image names it ("wordpress", "mysql"), whatever the registry.
    "app.kubernetes.io/name": parseImage(props.image).name,
    "app.kubernetes.io/instance": props.instance,
    "app.kubernetes.io/component": props.component,
    "app.kubernetes.io/part-of": props.partOf,
    "app.kubernetes.io/managed-by": "shipshape",
  };
}
