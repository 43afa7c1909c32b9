import { basename, dirname, resolve } from 'node:path';
import { imageName } from '../knowledge/index.js';
import type { DockerfileInput } from '../core/load.js';
import { finalUser, readDockerfile } from '../scan/image/dockerfile/index.js';
import type { ImageUser, ImageUserLookup } from './types.js';

/**
 * Which Dockerfile in the input builds an image. A Dockerfile has no image name, so it is matched
 * by name: `Dockerfile.<name>` / `<name>.Dockerfile`, else the directory it sits in, against the
 * last path segment of the image name (`ghcr.io/acme/fraud-api:1.2` → `fraud-api`).
 */
export function dockerfileImageName(path: string): string {
  const file = basename(path);
  const suffix = /^Dockerfile\.(.+)$/.exec(file)?.[1] ?? /^(.+)\.Dockerfile$/.exec(file)?.[1];
  return (suffix ?? basename(dirname(resolve(path)))).toLowerCase();
}

/** The final USER of each Dockerfile, looked up by image. Dockerfiles that set no USER say nothing. */
export function imageUsersFromDockerfiles(dockerfiles: readonly DockerfileInput[]): ImageUserLookup {
  const byName = new Map<string, ImageUser>();
  for (const { path, text } of dockerfiles) {
    const user = finalUser(readDockerfile(path, text));
    if (!user) continue;
    byName.set(dockerfileImageName(path), {
      user: user.user,
      ...(user.uid !== undefined ? { uid: user.uid } : {}),
      root: user.root,
      location: { file: user.file, line: user.position.line, column: user.position.column },
    });
  }
  return (image) => {
    const name = imageName(image);
    return byName.get(name.slice(name.lastIndexOf('/') + 1));
  };
}
