// Image references: how one is split, and whether it is pinned. Answered once here, so synth refuses
// exactly the images that check's image-tag-mutable rule would warn about.

/** Splits "registry:5000/org/name:tag@sha256:…" into its repository, the repository's last segment, tag and digest. */
export function parseImage(image: string): {
  repository: string;
  name: string;
  tag?: string;
  digest?: string;
} {
  const [withoutDigest = "", digest] = image.split("@", 2);
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  const hasTag = colon > lastSlash;
  const repository = hasTag ? withoutDigest.slice(0, colon) : withoutDigest;
  const name = repository.slice(repository.lastIndexOf("/") + 1);
  return {
    repository,
    name,
    ...(hasTag ? { tag: withoutDigest.slice(colon + 1) } : {}),
    ...(digest ? { digest } : {}),
  };
}

/** Tags that name a channel, not a version: they move with every push. */
const MOVING_TAGS = new Set([
  "latest",
  "stable",
  "main",
  "master",
  "dev",
  "develop",
  "edge",
  "nightly",
  "canary",
  "current",
  "release",
  "lts",
]);

export type ImagePinning =
  | { pinned: true }
  /** No tag means latest; a moving tag names a channel (latest, stable, edge…). */
  | { pinned: false; tag?: string };

/** Pinned: a digest, or a tag that names a version rather than a channel. */
export function imagePinning(image: string): ImagePinning {
  const { tag, digest } = parseImage(image);
  if (digest || (tag && !MOVING_TAGS.has(tag.toLowerCase()))) return { pinned: true };
  return tag ? { pinned: false, tag } : { pinned: false };
}

// The reference grammar the kubelet's image parser accepts (distribution/reference): an optional registry
// host[:port], lowercase path components, a tag of at most 128 characters, a digest.
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);
const MAX_NAME_LENGTH = 255;

/** Whether the kubelet can parse `image`; else it refuses to pull it (InvalidImageName). */
export function isValidImageReference(image: string): boolean {
  const match = REFERENCE.exec(image);
  return match !== null && match[1]!.length <= MAX_NAME_LENGTH;
}
