import { databaseOf, isDatabaseCompanion } from "../facts/database.ts";
import { defineRule } from "../types.ts";
import { containerName, containersOf, describe, isLongRunning } from "./helpers.ts";

export const appDbSamePod = defineRule({
  id: "app-db-same-pod",
  title: "A database runs in its own workload, never inside the application's pod",
  severity: "error",
  category: "availability",
  targets: "workloads",
  explain: `What breaks: a pod that holds both the application and its database cannot be scaled or
spread. Every extra replica starts another, empty database, so "3 replicas" are three unrelated sites; a
rollout of the app restarts the database; a node drain takes both down; and containers in a pod start in
no particular order, so the app races the database at every start.

Why: this is the seed's first deployment — WordPress and MySQL in one pod, talking over localhost:3306
because a pod shares one network namespace. It looks efficient, but the moment the tutorial adds
replicas: 3 each pod carries its own MySQL and the data splits three ways. The fix the tutorial makes is
the one that holds: split them.

Fix: run the database as its own workload (a StatefulSet with a persistent volume, or a managed /
operator-run database) behind a ClusterIP Service, and point the app at the Service's DNS name
(WORDPRESS_DB_HOST=wordpress-mysql:3306) instead of localhost. Then only the app tier is replicated.`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w || !isLongRunning(w)) return [];
    const regular = containersOf(w, { init: false });
    const dbs = regular.filter(({ container }) => databaseOf(container));
    const apps = regular.filter(({ container }) => {
      if (databaseOf(container)) return false;
      return !isDatabaseCompanion(container);
    });
    if (dbs.length === 0 || apps.length === 0) return [];
    const appNames = apps.map(({ container }) => containerName(container)).join(", ");
    return dbs.map(({ container, path }) => ({
      message: `${describe(subject)} runs the ${databaseOf(container)!.engine} container "${containerName(container)}" in the same pod as ${appNames}: every replica gets its own database`,
      fix: `Move "${containerName(container)}" into its own StatefulSet with a persistent volume and a ClusterIP Service, and point ${appNames} at that Service's DNS name instead of localhost.`,
      path,
    }));
  },
});
