import type { Tags } from 'yaml';

/**
 * YAML as the API server reads it: kubectl and the apiserver decode manifests with go-yaml v2, a
 * YAML 1.1 reader, so `privileged: yes`, `hostNetwork: on` and `y` are booleans, `0755` is octal
 * and `1_000` an integer. Reading them as YAML 1.2 strings would hide a privileged pod. go-yaml v2
 * does not resolve timestamps or base-60 numbers for these values, so those stay strings.
 */
export const KUBERNETES_YAML_OPTIONS = {
  version: '1.1',
  merge: true,
  uniqueKeys: true,
  prettyErrors: false,
  customTags: (tags: Tags): Tags =>
    tags.filter((tag) => {
      if (typeof tag === 'string') return tag !== 'timestamp' && tag !== 'intTime' && tag !== 'floatTime';
      return tag.tag !== 'tag:yaml.org,2002:timestamp' && (tag as { format?: string }).format !== 'TIME';
    }),
} as const;
