import type { LayerFile } from './imageBuilder.js';

/**
 * Small root filesystems for image tests, with exactly the packages the expectations name:
 * a Debian 12 base with dpkg status, a distroless status.d record, Python and npm packages and a
 * pickle model on top; and an Alpine 3.19 base with apk records.
 */
export const DPKG_STATUS = `Package: libc6
Status: install ok installed
Architecture: amd64
Source: glibc
Version: 2.36-9+deb12u3
Description: GNU C Library
 multi-line description

Package: zlib1g
Status: install ok installed
Architecture: amd64
Source: zlib (1:1.2.13.dfsg-1)
Version: 1:1.2.13.dfsg-1+b1

Package: removed-thing
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0-1
`;

export const DEBIAN_BASE: LayerFile[] = [
  { path: 'etc/', type: 'directory' },
  { path: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
  { path: 'usr/lib/os-release', content: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n' },
  { path: 'var/lib/dpkg/status', content: DPKG_STATUS },
  { path: 'var/lib/dpkg/status.d/openssl', content: 'Package: libssl3\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\nSource: openssl\n' },
  { path: 'var/lib/dpkg/status.d/openssl.md5sums', content: 'abc  usr/lib/libssl.so.3\n' },
];

export const APP_LAYER: LayerFile[] = [
  { path: 'usr/local/lib/python3.11/site-packages/torch_serve-0.8.0.dist-info/METADATA', content: 'Metadata-Version: 2.1\nName: torch_serve\nVersion: 0.8.0\n\nName: not-this\n' },
  { path: 'usr/local/lib/python3.11/site-packages/PyYAML-5.3.1-py3.11.egg-info/PKG-INFO', content: 'Metadata-Version: 1.1\nName: PyYAML\nVersion: 5.3.1\n' },
  { path: 'app/node_modules/left-pad/package.json', content: '{"name":"left-pad","version":"1.3.0"}' },
  { path: 'app/node_modules/@scope/tool/package.json', content: '{"name":"@scope/tool","version":"2.0.0-beta.1"}' },
  { path: 'app/node_modules/@scope/tool/lib/package.json', content: '{"name":"not-a-package","version":"0.0.0"}' },
  { path: 'models/model.pt', content: Buffer.from([0x80, 0x02, 0x63, 0x6f, 0x73, 0x0a, 0x73, 0x79, 0x73, 0x74, 0x65, 0x6d, 0x0a, 0x2e]) },
];

export const ALPINE_BASE: LayerFile[] = [
  { path: 'etc/os-release', content: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\n' },
  { path: 'lib/apk/db/installed', content: 'C:Q1abc=\nP:libssl3\nV:3.1.4-r4\nA:x86_64\no:openssl\n\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\no:musl\n' },
];
