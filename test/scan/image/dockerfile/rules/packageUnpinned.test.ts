import { describe } from 'vitest';
import { packageUnpinned } from '../../../../../src/scan/image/dockerfile/rules/packageUnpinned.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_PACKAGE_UNPINNED', () => {
  testRule(packageUnpinned, {
    valid: [
      // apk-add(8): =, ~, >=, <, a local .apk; --virtual takes a name
      'FROM a\nRUN apk add --no-cache --virtual .build curl=8.9.1-r1 "git~2.45" "libffi>=3.4" ./x.apk\n',
      // dnf/yum NEVRA, epoch, module stream, group install; variables from ARG/ENV in scope
      'FROM a\nRUN dnf -y install curl-8.6.0 openssl-1:3.0.7 && dnf module install -y nodejs:20 && dnf group install -y "Development Tools"\n',
      'FROM a\nARG V=2.51.0-2.fc42\nRUN yum -y install git-core-${V} && microdnf install -y tzdata-2024a\n',
      // zypper(8): =, >=, < (escaped for the shell), an .rpm
      'FROM a\nRUN zypper install -y tomcat=9.0.39 tomcat\\>=9.0 x-1.rpm\n',
      // npm-install(1): @version, folders, tarballs, git with #ref, no arguments
      'FROM a\nRUN npm install && npm install -g express@4.19.2 @org/pkg@1.0.0 ./folder pkg.tgz git+https://github.com/npm/npm.git#v1.0.27 --registry https://r.example.com sax@0.1.1\n',
      // gem-install(1): name:version, -v, build flags after --
      "FROM a\nRUN gem install bundler:2.5.0 -- --use-system-libraries && gem install rails -v '7.1.3'\n",
      // go: @version, local paths; the words after `go run pkg` are its arguments
      'FROM a\nRUN go install example.com/tool@v1.2.3 ./cmd/x && go run example.com/gen@v0.1.0 --out x .\n',
      // apt is not judged (see the description)
      'FROM a\nRUN apt-get install -y --no-install-recommends curl\n',
    ],
    invalid: [
      { code: 'FROM a\nRUN apk add flex libffi=3.2.1-r3\n', errors: [{ messageId: 'unpinned', line: 2, column: 5, data: { manager: 'apk', packages: 'flex' } }] },
      { code: 'FROM a\nRUN dnf install -y rpm-sign && microdnf module install -y tomcat\n', errors: [{ messageId: 'unpinned', line: 2, column: 5, data: { manager: 'dnf', packages: 'rpm-sign' } }, { messageId: 'unpinned', line: 2, column: 32, data: { manager: 'microdnf', packages: 'tomcat' } }] },
      // the variable is set in a stage the final one is not built FROM: it is empty here
      { code: 'FROM f AS build\nENV V=2.51.0\nFROM f\nCOPY --from=build /x /x\nRUN yum -y install git-core-${V}\n', errors: [{ messageId: 'unpinned', line: 5, column: 5, data: { manager: 'yum', packages: 'git-core-${V}' } }] },
      { code: 'FROM a\nRUN zypper in -y tomcat\n', errors: [{ messageId: 'unpinned', line: 2, column: 5, data: { manager: 'zypper', packages: 'tomcat' } }] },
      { code: 'FROM a\nRUN npm install --registry=https://r.example.com express @org/private git://github.com/npm/npm.git\n', errors: [{ messageId: 'unpinned', line: 2, column: 5, data: { manager: 'npm', packages: 'express, @org/private, git://github.com/npm/npm.git' } }] },
      { code: 'FROM a\nRUN gem i bundler:1 nokogiri\n', errors: [{ messageId: 'unpinned', line: 2, column: 5, data: { manager: 'gem', packages: 'nokogiri' } }] },
      { code: 'FROM a\nRUN go install example.com/pkg@latest && go get -tool foobar\n', errors: [{ messageId: 'unpinned', line: 2, column: 5, data: { manager: 'go', packages: 'example.com/pkg@latest' } }, { messageId: 'unpinned', line: 2, column: 42, data: { manager: 'go', packages: 'foobar' } }] },
      { code: 'FROM a\nONBUILD RUN apk add curl\n', errors: [{ messageId: 'unpinned', line: 2, column: 13 }] },
    ],
  });
});
