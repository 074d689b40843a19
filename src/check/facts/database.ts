// Which container images are databases, and where each keeps its data: the seed's MySQL loses every
// row when /var/lib/mysql is not on a persistent volume, and must never share a pod with the app.
import type { Container } from "kubernetes-types/core/v1.js";
import { parseImage } from "../../k8s/image.ts";
import { list, record, text } from "../shape.ts";

interface Engine {
  engine: string;
  /** Last path segment of the image repository, e.g. "mysql" for docker.io/library/mysql:8.4. */
  names: string[];
  dataDirs: string[];
}

const ENGINES: Engine[] = [
  {
    engine: "MySQL",
    names: ["mysql", "mysql-server", "percona", "percona-server", "mariadb"],
    dataDirs: ["/var/lib/mysql"],
  },
  {
    engine: "PostgreSQL",
    names: ["postgres", "postgresql", "postgis", "timescaledb"],
    dataDirs: ["/var/lib/postgresql/data"],
  },
  { engine: "MongoDB", names: ["mongo", "mongodb", "mongodb-community-server"], dataDirs: ["/data/db"] },
  { engine: "Cassandra", names: ["cassandra"], dataDirs: ["/var/lib/cassandra"] },
  { engine: "CouchDB", names: ["couchdb"], dataDirs: ["/opt/couchdb/data"] },
  { engine: "InfluxDB", names: ["influxdb"], dataDirs: ["/var/lib/influxdb2", "/var/lib/influxdb"] },
  { engine: "ClickHouse", names: ["clickhouse-server"], dataDirs: ["/var/lib/clickhouse"] },
  { engine: "Elasticsearch", names: ["elasticsearch"], dataDirs: ["/usr/share/elasticsearch/data"] },
];

export interface DatabaseContainer {
  engine: string;
  /** Directories that must sit on a persistent volume (any one of them, mounted or below a mount). */
  dataDirs: string[];
}

/** The database a container runs, by its image; undefined for anything else (exporters, proxies, apps). */
export function databaseOf(container: Container): DatabaseContainer | undefined {
  const image = text(container.image);
  if (!image) return undefined;
  const { repository, name } = parseImage(image.toLowerCase());
  const engine = ENGINES.find((e) => e.names.includes(name));
  if (!engine) return undefined;
  // Bitnami images keep data under /bitnami/<name>; PostgreSQL follows PGDATA when it is set.
  if (/(^|\/)bitnami[^/]*\//.test(repository))
    return { engine: engine.engine, dataDirs: [`/bitnami/${name}`] };
  const pgdata = list(container.env).find((e) => e.name === "PGDATA");
  const dataDir = engine.engine === "PostgreSQL" ? text(pgdata?.value) : undefined;
  return { engine: engine.engine, dataDirs: dataDir ? [dataDir] : engine.dataDirs };
}

/** In-memory stores whose replicas do not share their data: a second replica behind the same Service is a
 * second, different store, so one instance is as deliberate as a database's. Not databases for
 * db-without-volume: run as caches, they may lose their data on restart by design. */
const STORES = ["redis", "valkey", "keydb", "redis-stack-server"];

/** Whether a container runs such a store, by its image. */
export function isSingleInstanceStore(container: Container): boolean {
  const image = text(container.image);
  return image !== undefined && STORES.includes(parseImage(image.toLowerCase()).name);
}

/** Containers that legitimately ride along with a database: exporters, backup agents, proxies. */
const COMPANION = /exporter|backup|metrics|agent|proxy|sidecar|fluent|logrotate|envoy|istio|linkerd|vault/;

/** Whether a container is a database's helper rather than an application. */
export function isDatabaseCompanion(container: Container): boolean {
  return COMPANION.test(parseImage((text(container.image) ?? "").toLowerCase()).name);
}

/** Whether a mount at `mountPath` holds `dir` (the same directory or one of its parents). */
export function mountCovers(mountPath: string, dir: string): boolean {
  const mount = mountPath.replace(/\/+$/, "") || "/";
  return dir === mount || dir.startsWith(mount === "/" ? "/" : `${mount}/`);
}

/** Volume sources that die with the pod (or are read-only projections): data written there is lost. */
const EPHEMERAL_SOURCES = [
  "emptyDir",
  "configMap",
  "secret",
  "downwardAPI",
  "projected",
  "ephemeral",
  "gitRepo",
  "image",
];

/** Whether the pod volume named `name` survives the pod: a claim, a StatefulSet claim template, or a
 * network/host disk. */
export function isPersistentVolume(
  volumes: unknown,
  claimTemplates: readonly string[],
  name: string,
): boolean {
  if (claimTemplates.includes(name)) return true;
  const volume = list(volumes).find((v) => v.name === name);
  if (!volume) return false;
  return !EPHEMERAL_SOURCES.some((source) => source in record(volume));
}
