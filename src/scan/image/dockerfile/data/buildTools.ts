/**
 * Packages that build software rather than run it. In a final stage they are attack surface
 * (a compiler for whoever gets a shell) and hundreds of megabytes of CVEs to patch.
 */
export const BUILD_TOOL_PACKAGES: ReadonlySet<string> = new Set([
  'build-essential', 'gcc', 'g++', 'clang', 'llvm', 'make', 'cmake', 'ninja-build', 'gfortran', 'autoconf', 'automake', 'libtool',
  'build-base', 'musl-dev', 'linux-headers', 'gcc-c++', 'cuda-toolkit', 'cuda-nvcc', 'rustc', 'cargo', 'golang', 'git',
]);

export const PACKAGE_MANAGERS: ReadonlySet<string> = new Set(['apt-get', 'apt', 'apk', 'yum', 'dnf', 'microdnf', 'zypper']);

/** The install verbs of each package manager. */
export const INSTALL_VERBS: ReadonlySet<string> = new Set(['install', 'add']);
