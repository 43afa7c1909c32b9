/**
 * Packages that build software rather than run it. In a final stage they are attack surface
 * (a compiler for whoever gets a shell) and hundreds of megabytes of CVEs to patch.
 * Sources: the distributions' package names — Debian/Ubuntu (build-essential, gcc, g++, make…),
 * Alpine (build-base, musl-dev, linux-headers), Fedora/RHEL (gcc-c++), NVIDIA's CUDA repositories
 * (cuda-toolkit, cuda-nvcc); the package managers and install verbs are those of apt, apk, yum/dnf,
 * microdnf and zypper (their man pages).
 */
export const BUILD_TOOL_PACKAGES: ReadonlySet<string> = new Set([
  'build-essential', 'gcc', 'g++', 'clang', 'llvm', 'make', 'cmake', 'ninja-build', 'gfortran', 'autoconf', 'automake', 'libtool',
  'build-base', 'musl-dev', 'linux-headers', 'gcc-c++', 'cuda-toolkit', 'cuda-nvcc', 'rustc', 'cargo', 'golang', 'git',
]);

export const PACKAGE_MANAGERS: ReadonlySet<string> = new Set(['apt-get', 'apt', 'apk', 'yum', 'dnf', 'microdnf', 'zypper']);

/** The install verbs of each package manager. */
export const INSTALL_VERBS: ReadonlySet<string> = new Set(['install', 'add']);
