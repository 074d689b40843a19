// Run by scale.test.ts under a small stack: reads OBJECTS objects from stdin (a Deployment and HPAs all
// naming it, each with findings), checks them and writes every report format, printing the byte counts.
import { runCheck } from "../../../../src/check/engine.ts";
import { CHECK_FORMATS } from "../../../../src/check/report/index.ts";
import { readManifests } from "../../../../src/manifest/read.ts";

const objects = Number(process.argv[2]);
const hpa = (i: number) =>
  `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h${i}}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: ${1 + (i % 3)}\n  maxReplicas: 6\n`;
const web =
  "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: web:latest}]}\n";
const docs = [web];
for (let i = 1; i < objects; i++) docs.push(hpa(i));
const sources = await readManifests(["-"], { stdin: async () => Buffer.from(docs.join("---\n")) });
const sizes: Record<string, number> = { objects: sources.length };
for (const [format, report] of Object.entries(CHECK_FORMATS)) {
  const run = runCheck(sources);
  let bytes = 0;
  for (const chunk of report(run, { color: false })) bytes += chunk.length;
  sizes[format] = bytes;
  sizes.findings = run.summary.errors + run.summary.warnings + run.summary.infos;
}
process.stdout.write(`${JSON.stringify(sizes)}\n`);
