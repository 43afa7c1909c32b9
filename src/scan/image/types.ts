/** A package found in an image (or read from an SBOM). */
export interface ImagePackage {
  name: string;
  version: string;
  /** OSV ecosystem, with the distribution release where OSV has one: "Debian:12", "Alpine:v3.19", "PyPI", "npm". */
  ecosystem: string;
  purl: string;
  /** The layer (diff id) whose files last wrote the package's record. */
  layer?: string;
  /** The file in the image the package was read from. */
  path: string;
  /** Distribution source package (dpkg Source:, apk origin o:), which OS advisories name. */
  source?: { name: string; version?: string };
}

/** The operating system of an image, from /etc/os-release. */
export interface Distro {
  id: string;
  versionId?: string;
  prettyName?: string;
  /** The OSV ecosystem of its packages, e.g. "Debian:12"; undefined when OSV has none. */
  ecosystem?: string;
}
