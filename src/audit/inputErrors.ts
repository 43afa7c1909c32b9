import { NETPOL_ERRORS } from '../netpol/ruleset.js';

/**
 * Every code an input error can carry. The CLI reports input errors as findings (DESIGN.md:
 * "input errors are also reported like findings"), so their codes reach JSON, SARIF (with a
 * documentation link) and PolicyReports just as rule ids do; `palisade checks errors` lists them
 * and docs/checks.md documents them below the rules. test/rules/ids.test.ts scans src/ for the
 * codes the code can emit and fails when one is missing here.
 */
export interface InputErrorEntry {
  code: string;
  /** The part of palisade that reports it (a rule family or a shared layer). */
  module: string;
  title: string;
  description: string;
  remediation: string;
}

interface Group {
  module: string;
  remediation: string;
  /** code → [title, description] */
  codes: Record<string, readonly [string, string]>;
}

const LOAD: Group = {
  module: 'load',
  remediation: 'Fix the file at the line and column the message names, or leave it out of the input; the findings of the other files stand.',
  codes: {
    LOAD_NOT_FOUND: ['Input not found or unreadable', 'A file, directory or option argument named on the command line does not exist or cannot be opened.'],
    LOAD_READ_FAILED: ['Input could not be read', 'The file exists but reading it failed (permissions, an I/O error, a directory where a file was expected).'],
    LOAD_YAML_SYNTAX: ['YAML syntax error', 'The document is not valid YAML; the documents before and after it in the same file are still read.'],
    LOAD_DUPLICATE_KEY: ['Duplicate mapping key', 'A mapping repeats a key. The last value is used, as the API server does, but other parsers may take the first, so the object may not be what you see.'],
    LOAD_NOT_AN_OBJECT: ['Not a Kubernetes object', 'A document is a sequence or a scalar, not a mapping with apiVersion and kind.'],
    LOAD_ALIAS_BOMB: ['YAML alias bomb refused', 'The document expands too many YAML aliases (a "billion laughs" document); it is refused rather than expanded.'],
    LOAD_BAD_LIST: ['Malformed List item', 'An item of a v1 List (or a *List kind) is not an object or has no kind.'],
    LOAD_TOO_DEEP: ['Nesting too deep', 'The document nests deeper than the loader allows; it is refused instead of exhausting the stack.'],
    LOAD_NOT_REGULAR: ['Not a regular file', 'The path is a FIFO, socket or device; only regular files are read, since such a file may never end.'],
    LOAD_NOT_REGULAR_FILE: ['Model path is not a regular file', 'A model path is a FIFO, socket or device (or a link to one); it is reported and not read.'],
    LOAD_SYMLINK: ['Symbolic link', 'A symbolic link was followed to a file (a warning that says so), is dangling, or points at a directory that is not entered unless named.'],
  },
};

const CONFIG: Group = {
  module: 'core',
  remediation: 'Correct the configuration or the command line as the message says; `palisade <command> --help` lists the options.',
  codes: {
    CONFIG_INVALID: ['Invalid configuration', 'A configuration file (.palisade.yaml, a suppression file, an admission or audit-log configuration) does not match its schema.'],
    CONFIG_NOT_FOUND: ['Configuration not found', 'A configuration file named with an option does not exist.'],
    USAGE: ['Bad usage', 'An option value or a combination of options is invalid; nothing was checked.'],
    OUTPUT_INVALID: ['Output target refused', 'An `-o` target cannot be written: it is a directory, a special file, or under a regular file.'],
    OUTPUT_WRITE_FAILED: ['Output not written', 'Writing a report or a database failed (permissions, a full disk); no partial copy is left behind.'],
  },
};

const NETPOL_WARNINGS: Group = {
  module: 'netpol',
  remediation: 'Read the warning: the analysis went on, but the cluster may behave differently from the answer.',
  codes: {
    NETPOL_CNI_END_PORT: ['endPort needs CNI support', 'An endPort range is applied only by CNIs that support it; others apply the single `port`.'],
    NETPOL_CNI_NAMED_PORT: ['Named port needs CNI support', 'Named ports are not supported by every CNI.'],
    NETPOL_CNI_PROTOCOL_ONLY: ['Protocol without port', 'A port entry with a protocol and no port means every port of that protocol; some CNIs mishandled it.'],
    NETPOL_CNI_SCTP: ['SCTP needs CNI support', 'SCTP rules need a CNI with SCTP support.'],
    NETPOL_CNI_EXCEPT: ['ipBlock except caveat', 'ipBlock except entries were ignored by some CNIs, and SNAT may hide the real source address.'],
    NETPOL_CNI_HOST_NETWORK: ['hostNetwork pod', 'A pod uses hostNetwork: NetworkPolicies do not isolate it on most CNIs.'],
    NETPOL_NAMESPACE_LABELS_DIFFER: ['Namespace declared twice', 'A Namespace is declared again with other labels; selectors are matched against the first declaration.'],
    NETPOL_OWNER_LABELS_DIFFER: ['Pods of one owner differ', 'Pods of one controller have different labels; they are analysed as one peer with the labels of the first.'],
    NETPOL_OPERATOR_POLICY: ['Operator-created NetworkPolicies analysed', 'The analysis includes the NetworkPolicies an operator creates for an object of the input (KubeRay for a Ray cluster with spec.networkPolicy); KubeRay creates them only with its RayClusterNetworkPolicy feature gate on.'],
    NETPOL_OPERATOR_POLICY_CLASH: ['Operator cannot create its NetworkPolicy', 'A NetworkPolicy of the input has the name KubeRay would give a Ray cluster\'s policy and is not owned by the cluster: KubeRay leaves it and isolates the cluster no further.'],
    NETPOL_MESH_IGNORED: ['Calico, Cilium or Istio object not analysed', 'With --compat np-guard, netpol matrix and netpol diff read Kubernetes NetworkPolicies only, as np-guard does, so the answer holds without the Calico, Cilium and Istio layers; without --compat, matrix, diff, explain and verify read every layer.'],
    NETPOL_INVALID_INTENT: ['Invalid connectivity intent', 'An intents file (netpol verify, netpol generate) does not match the intent schema.'],
  },
};

const MESH_WARNINGS: Group = {
  module: 'netpol',
  remediation: 'Read the warning: the mesh and gateway layers went on with the assumption it names, and the cluster may behave differently from the answer.',
  codes: {
    MESH_OUT_OF_SCOPE: ['Gateway feature not modelled', 'A gateway or route feature (resource backends, regex URIs, header matches, wildcard hosts...) is read with the stated simplification or ignored.'],
    INGRESS_BACKEND_MISSING: ['Ingress backend missing', 'An Ingress backend names a Service, or a Service port, that is not in the input: nothing is routed there.'],
    INGRESS_NO_CONTROLLER: ['No ingress controller', 'No ingress controller pods (behind a Service named ingress-nginx) are in the input; a standard controller pod, ingress-controller-ns/ingress-controller-livesim, is assumed to send what the Ingress routes.'],
    ISTIO_GATEWAY_NO_PODS: ['Gateway selects no pods', 'An Istio Gateway selects no pod of the input.'],
    ISTIO_GATEWAY_ASSUMED: ['Standard gateway assumed', "No pod of the input has the Gateway's selector labels; Istio's standard gateway pod in istio-system is assumed."],
    CALICO_HTTP_NEEDS_ALP: ['Calico HTTP match needs application layer policy', "A Calico ingress rule's http methods and paths are enforced only by Calico's application layer policy in the destination's Istio sidecar; the analysis assumes it is enabled."],
    ISTIO_GATEWAY_SERVER_INVALID: ['Gateway server istio refuses', 'Istio\'s validation refuses this Gateway server (an HTTPS or TLS server without tls, or tls settings on a port that cannot take them); the analysis reads it as network-config-analyzer does, with every route kind applying.'],
    ISTIO_GATEWAY_SERVER_SKIPPED: ['Gateway server skipped', 'Istio merges the servers of the Gateways that select a gateway pod and skips one that conflicts with an earlier server on its port (another protocol on a plaintext port, or a TLS host already served there): it routes nothing.'],
    ISTIO_EGRESS_FLOW_PARTIAL: ['Half an egress-gateway flow', 'A VirtualService routes the mesh to an egress gateway, or an egress Gateway to a ServiceEntry host, but the other half of the flow is missing: no egress-gateway flow is applied.'],
    ISTIO_SIDECAR_ALLOW_ANY: ['Sidecar egress under ALLOW_ANY', "Under outboundTrafficPolicy ALLOW_ANY, Envoy passes traffic to hosts outside the Sidecar's egress; the analysis treats the listed hosts as the only destinations."],
  },
};

const MESH: Group = {
  module: 'netpol',
  remediation: 'Fix the Calico or Istio policy as its own validation asks; a reachability answer computed without it would be false.',
  codes: {
    CALICO_INVALID_SELECTOR: ['Invalid Calico selector', 'A Calico selector expression does not parse.'],
    CALICO_INVALID_ACTION: ['Invalid Calico action', 'A Calico rule action must be Allow, Deny, Pass or Log.'],
    CALICO_INVALID_PROTOCOL: ['Invalid Calico protocol', 'A Calico protocol must be TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a number 0-255.'],
    CALICO_INVALID_PORT: ['Invalid Calico port', 'A Calico port must be a number 1-65535, a range "a:b" or a port name.'],
    CALICO_PORTS_NEED_PROTOCOL: ['Calico ports without protocol', 'A rule with ports or notPorts must name a protocol that has ports.'],
    CALICO_INVALID_CIDR: ['Invalid Calico CIDR', 'A nets or notNets entry is not a CIDR.'],
    CALICO_INVALID_TYPES: ['Invalid Calico types', 'types entries must be Ingress or Egress, and must list each direction the policy has rules for.'],
    CALICO_INVALID_ICMP: ['Invalid Calico ICMP match', 'An ICMP code needs a type; the type is 0-254 (Calico ICMPFields) and the code 0-255.'],
    CALICO_GLOBAL_WITH_NAMESPACE: ['GlobalNetworkPolicy with namespace', 'A GlobalNetworkPolicy has no namespace.'],
    CALICO_INVALID_HTTP: ['Invalid Calico http match', 'A rule\'s http holds methods (a list of strings) and paths (each entry exactly one of exact or prefix).'],
    CALICO_OUT_OF_SCOPE: ['Calico feature not modelled', 'A Calico field palisade does not model was reported and ignored.'],
    CALICO_TIER_ASSUMED: ['Calico tier not in the input', 'A policy names a tier whose Tier object is not in the input: it is read as a tier with no order (after the others) ending in Deny.'],
    CALICO_INVALID_TIER: ['Invalid Calico tier', 'A Tier takes an order (a number) and a defaultAction (Deny or Pass).'],
    MESH_UNKNOWN_FIELD: ['Unknown mesh policy field', 'A Calico, Cilium or Istio object holds a field its kind\'s schema does not have (often a misspelling). The API server refuses it under strict field validation, kubectl\'s default; palisade reads the object as if the field were absent, which can widen or narrow the policy.'],
    MESH_NOT_AN_OBJECT: ['Mesh policy field not an object', 'A field of a Calico or Istio policy that must be an object is not.'],
    ISTIO_OUT_OF_SCOPE: ['Istio feature not decidable', 'An AuthorizationPolicy match that manifests alone cannot decide (reported).'],
    ISTIO_INVALID_ACTION: ['Invalid Istio action', 'An AuthorizationPolicy action must be ALLOW, DENY, AUDIT or CUSTOM.'],
    ISTIO_CONFLICTING_FIELDS: ['Conflicting Istio fields', 'Fields that exclude each other are set together.'],
    ISTIO_INVALID_SELECTOR: ['Invalid Istio selector', 'The workload selector is invalid.'],
    ISTIO_DENY_WITHOUT_RULES: ['DENY without rules', 'A DENY AuthorizationPolicy without rules never matches; Istio rejects it.'],
    ISTIO_INVALID_CONDITION: ['Invalid Istio condition', 'A `when` condition is invalid: no values or notValues, or a key that is not an attribute istiod knows.'],
    ISTIO_INVALID_PORT: ['Invalid Istio port', 'A port must be a number 1-65535.'],
    ISTIO_INVALID_SERVICE_ACCOUNT: ['Invalid Istio service account', 'A serviceAccounts entry is <namespace>/<name>, or <name> in the policy\'s namespace, with no "*".'],
    ISTIO_PATH_TEMPLATE: ['Invalid Istio path template', 'A path with `{*}` or `{**}` is an Envoy URI template (Istio 1.22+). Istio accepts only `/`-separated segments that are `{*}`, `{**}` or a literal, with no operator after `{**}`; Envoy also refuses a template without a leading `/`, with an empty segment or with `=`. The policy is left out, so answers about the workloads it selects cannot be trusted.'],
    ISTIO_INVALID_PATTERN: ['Invalid Istio pattern', 'An Istio match value may hold one "*", only at its start or end.'],
    ISTIO_INVALID_CIDR: ['Invalid Istio CIDR', 'An IP address or CIDR does not parse.'],
    ISTIO_INVALID_MTLS_MODE: ['Invalid mTLS mode', 'A PeerAuthentication mode must be UNSET, STRICT, PERMISSIVE or DISABLE.'],
    ISTIO_INVALID_HOST: ['Invalid Istio host', 'A Sidecar egress host, a ServiceEntry host or a Gateway server host is missing or not a valid name (namespace/FQDN forms as Istio validates them).'],
    ISTIO_INVALID_FIELD: ['Invalid Istio field', 'A ServiceEntry location or resolution, or a Sidecar outboundTrafficPolicy mode, is not one Istio accepts.'],
    ISTIO_SIDECAR_AMBIGUOUS: ['Ambiguous Sidecars', 'Two Sidecars apply to the same pods (two defaults of a namespace or of the root namespace, or overlapping workloadSelectors); Istio picks one unpredictably.'],
    ISTIO_DESTINATION_MISSING: ['VirtualService destination missing', 'A VirtualService route names a Service, a port or a ServiceEntry host that is not in the input.'],
    MESH_CONFLICTING_FIELDS: ['Conflicting gateway fields', 'An Ingress backend names both a resource and a service, or a backend port both a name and a number.'],
    INGRESS_INVALID_HOST: ['Invalid Ingress host', 'An Ingress host wildcard must be one leading "*." label.'],
    INGRESS_INVALID_PATH: ['Invalid Ingress path', 'An Ingress path must start with "/" and its pathType be Exact, Prefix or ImplementationSpecific.'],
    CILIUM_NO_SELECTOR: ['Cilium rule without selector', 'A Cilium policy rule needs an endpointSelector (or a nodeSelector).'],
    CILIUM_NO_RULES: ['Cilium rule without rules', 'A Cilium policy rule needs at least one of ingress, ingressDeny, egress or egressDeny; the agent rejects it otherwise (api.Rule.Sanitize).'],
    CILIUM_INVALID_SELECTOR: ['Invalid Cilium selector', 'An endpoint selector is not a valid label selector.'],
    CILIUM_CONFLICTING_FIELDS: ['Conflicting Cilium fields', 'Cilium does not accept these fields together in one rule (two L3 kinds, icmps with toPorts, HTTP rules on a port that is not TCP or is 0, DNS rules on ingress or without ports, two L7 kinds).'],
    CILIUM_INVALID_ENTITY: ['Unknown Cilium entity', 'An entity is not one Cilium knows (all, world, cluster, host, ...).'],
    CILIUM_INVALID_PORT: ['Invalid Cilium port', 'A port must be given, as a number 0-65535 or a port name (a protocol without ports, such as VRRP, takes none or 0), and endPort must be a number 0-65535; a port rule takes at most 40 ports.'],
    CILIUM_INVALID_PROTOCOL: ['Invalid Cilium protocol', 'A toPorts protocol must be one of the upper-case names the CRD lists: TCP, UDP, SCTP, ANY, or VRRP, IGMP, GRE, IPIP, IPV6, ESP, AH.'],
    CILIUM_INVALID_CIDR: ['Invalid Cilium CIDR', 'A CIDR or except entry is not an address with its prefix length, an except entry is not inside its cidr, or a CIDRSet entry names none of cidr, cidrGroupRef, cidrGroupSelector.'],
    CILIUM_INVALID_ICMP: ['Invalid Cilium ICMP field', 'An ICMP field needs family IPv4 or IPv6 and a type 0-255 or a known type name; an icmps entry takes at most 40 fields.'],
    CILIUM_INVALID_REGEX: ['Invalid Cilium L7 regex', 'An HTTP method, path or host is not a valid regular expression.'],
    CILIUM_INVALID_HEADER_MATCH: ['Invalid Cilium headerMatches entry', 'A headerMatches entry needs a name, and its mismatch action (if given) must be LOG, ADD, DELETE or REPLACE (PortRuleHTTP.Sanitize).'],
    CILIUM_INVALID_FQDN: ['Invalid Cilium DNS name selector', 'A toFQDNs or dns rule entry needs exactly one of matchName (a DNS name) or matchPattern (a name with "*" wildcards).'],
    CILIUM_REMOVED_FIELD: ['Removed Cilium field', 'fromRequires and toRequires were removed in Cilium 1.19; the CRD keeps them with maxItems 0, so the API server refuses a policy that gives them items.'],
    CILIUM_LOCAL_HOST_ALLOWED: ['Node to pod traffic allowed by Cilium', 'Cilium lets a pod\'s own node reach it whatever its ingress policies allow (allow-localhost defaults to always on Kubernetes, for kubelet probes); the input holds no node addresses, so the matrix shows no flow from the node. Said once per input.'],
    CILIUM_OUT_OF_SCOPE: ['Cilium feature not decidable', 'A Cilium field manifests alone cannot decide was reported and read as stated in the message.'],
    MESH_ADMIN_POLICY_NOT_ENFORCED: ['AdminNetworkPolicy not enforced by Cilium', 'Cilium implements neither AdminNetworkPolicy nor BaselineAdminNetworkPolicy, and ClusterNetworkPolicy only from v1.20 behind a flag: with Cilium objects in the input, the layered matrix leaves these policies out, as the cluster does by default.'],
    MESH_CNP_TIERS_ASSUMED: ['ClusterNetworkPolicy read in Calico tiers', 'With Calico objects in the input, ClusterNetworkPolicies of tier Admin run in the kube-admin tier (order 1,000, defaultAction Pass) and those of tier Baseline in the kube-baseline tier (order 10,000,000, defaultAction Pass), each at its priority, as Calico v3.32 runs them.'],
    MESH_ADMIN_TIERS_ASSUMED: ['AdminNetworkPolicy read in Calico tiers', 'With Calico objects in the input, AdminNetworkPolicies run in the adminnetworkpolicy tier (order 1,000, defaultAction Pass) and the BaselineAdminNetworkPolicy in the baselineadminnetworkpolicy tier (order 10,000,000, defaultAction Pass), as Calico v3.29-v3.31 runs them (BANP from v3.30); Calico v3.32 dropped both kinds for ClusterNetworkPolicy.'],
    MESH_NAMESPACE_ASSUMED: ['Namespace assumed', 'A namespaced policy names no namespace; it is read in the namespace of every pod of the input (else default), as `kubectl apply -n` would place it.'],
  },
};

const IMAGE: Group = {
  module: 'image',
  remediation: 'Check the image reference, layout or archive; the message names the blob or layer. Results for the rest of the image are still reported where possible.',
  codes: {
    IMAGE_NOT_FOUND: ['Image not found', 'The image path is neither an OCI layout, a docker save archive nor a reachable reference.'],
    IMAGE_UNKNOWN_FORMAT: ['Unknown image format', 'The input is not an OCI layout, an OCI archive or a docker save archive.'],
    IMAGE_BAD_MANIFEST: ['Bad image manifest', 'An index, manifest or config is not valid JSON of the expected shape.'],
    IMAGE_MISSING_BLOB: ['Missing blob', 'A blob the manifest references is absent.'],
    IMAGE_DIGEST_MISMATCH: ['Digest mismatch', 'A blob does not hash to its digest.'],
    IMAGE_DIFF_ID_MISMATCH: ['diff_id mismatch', 'An uncompressed layer does not hash to the diff_id of the image config.'],
    IMAGE_BAD_LAYER: ['Unreadable layer', 'A layer cannot be decompressed or read as tar.'],
    IMAGE_NO_PLATFORM: ['No manifest for platform', 'The index has no manifest for the platform asked for.'],
    IMAGE_REMOTE_FAILED: ['Registry request failed', 'A registry answered with an error or an unusable response.'],
    IMAGE_BAD_DIGEST: ['Malformed digest', 'A digest is not sha256 followed by 64 hex digits; it is refused rather than used as a path.'],
    IMAGE_REMOTE_INSECURE: ['Insecure registry exchange refused', 'Credentials would be sent over plain http to another host; palisade refuses.'],
    IMAGE_REMOTE_LIMIT: ['Pull limit reached', 'The pull exceeded its size or time limit (maxBytes, timeoutMs).'],
    IMAGE_SCAN_LIMIT: ['Image read limit reached', 'The layers inflate to more bytes (maxInflatedBytes, --max-inflated-bytes) or hold more tar entries (maxEntries) than the scan reads; the image is not judged. An inventory file above maxContentBytes is hashed, not read (a warning).'],
    IMAGE_LINK: ['Broken model link', 'A symlink or hard link with a model file name dangles, loops or climbs above the image root; it is reported, never followed outside the image.'],
  },
};

const OTHERS: Group[] = [
  {
    module: 'harden',
    remediation: 'Nothing was written to that file; follow the message, then run harden again.',
    codes: {
      HARDEN_WOULD_OVERWRITE: ['Would overwrite the input', 'The output path is the input file itself; choose another --out-dir.'],
      HARDEN_FILE_CHANGED: ['File changed since read', 'The file changed between reading and writing; it is not overwritten.'],
      HARDEN_WRITE_FAILED: ['Write failed', 'The edited file could not be written or its edits could not be mapped onto its bytes.'],
      HARDEN_LINK_OUTSIDE: ['Link leaves the input tree', 'A symbolic link points outside the input tree; harden refuses to edit its target.'],
      HARDEN_EDIT_UNSAFE: ['Edit not applied safely', 'harden could not set a field without changing other places (a shared YAML anchor or merge key); set it by hand.'],
      HARDEN_READ_ONLY: ['File is read-only', 'The file is read-only; harden does not override permissions.'],
    },
  },
  {
    module: 'image',
    remediation: 'Give a Trivy, Grype, CycloneDX or SPDX JSON report (or an OpenVEX / CycloneDX VEX document), or a valid OSV database.',
    codes: {
      REPORT_BAD_JSON: ['Report is not JSON', 'A scanner report or VEX document is not JSON.'],
      REPORT_UNKNOWN_FORMAT: ['Unknown report format', 'A JSON document is not a report format palisade reads.'],
      REPORT_INVALID: ['Report does not match its format', 'A Trivy, Grype, CycloneDX or OpenVEX document has a field palisade reads in the wrong shape (a list that is not a list, a vulnerability without an id, a VEX status outside the spec); it is refused rather than read as having no vulnerabilities.'],
      OSV_DB_NOT_FOUND: ['OSV database not found', 'The vulnerability database directory cannot be read.'],
      OSV_BAD_ZIP: ['Bad OSV archive', 'An OSV zip archive cannot be read.'],
      OSV_BAD_JSON: ['Bad OSV JSON', 'An OSV advisory file is not JSON.'],
      OSV_NOT_AN_ADVISORY: ['Not an OSV advisory', 'A JSON document in the database is not an OSV advisory.'],
    },
  },
  {
    module: 'verify',
    remediation: 'Correct the key, identity, policy, bundle or reference the message names; verification is offline, so trust material must be given as files.',
    codes: {
      VERIFY_BAD_BUNDLE: ['Bad signature bundle', 'A Sigstore bundle or model signature is missing, unreadable or not JSON.'],
      VERIFY_BAD_IDENTITY: ['Bad keyless identity', 'A keyless identity lacks a subject or issuer, or a pattern is not a regular expression.'],
      VERIFY_BAD_KEY: ['Bad public key', 'A key is not a PEM public key of a type cosign signs with.'],
      VERIFY_BAD_POLICY: ['Bad ClusterImagePolicy', 'A ClusterImagePolicy is invalid (globs, authorities, static action).'],
      VERIFY_BAD_REFERENCE: ['Bad image reference', 'The reference is not an image reference, or its digest is not sha256.'],
      VERIFY_BAD_TRUSTED_ROOT: ['Bad trusted root', 'The trusted root file is not a Sigstore trusted root.'],
      VERIFY_KMS_UNSUPPORTED: ['KMS key reference', 'A kms:// key reference needs a key service; export the public key and pass the PEM file.'],
      VERIFY_REGISTRY_FAILED: ['Registry unavailable', 'The registry could not be read for the signature or the manifest.'],
      VERIFY_TUF_FAILED: ['TUF refresh failed', 'The trusted root could not be refreshed from the TUF mirror.'],
    },
  },
  {
    module: 'cluster',
    remediation: 'Check the kubeconfig, the context and the permissions of the identity palisade reads the cluster with (`palisade install --print` prints a read-only ClusterRole).',
    codes: {
      CLUSTER_CONFIG: ['Bad kubeconfig', 'The kubeconfig or in-cluster configuration cannot be used.'],
      CLUSTER_UNREACHABLE: ['API server unreachable', 'The API server cannot be reached.'],
      CLUSTER_UNAUTHORIZED: ['Credentials refused', 'The API server refused the credentials (HTTP 401).'],
      CLUSTER_UNREADABLE: ['Cluster unreadable', 'The API server answered discovery with an error.'],
      CLUSTER_FORBIDDEN: ['Kind not readable', 'A kind cannot be listed (HTTP 403); its objects are not audited.'],
      CLUSTER_READ_FAILED: ['Kind read failed', 'Listing a kind failed; its objects are not audited.'],
    },
  },
  {
    module: 'auditlog',
    remediation: 'Fix the rules file or the audit log line the message names; Falco would refuse or warn the same way.',
    codes: {
      AUDITLOG_BAD_LINE: ['Bad audit log line', 'A line of the audit log is not a JSON audit event.'],
      AUDIT_EVENT_INVALID: ['Bad audit event', 'A line of the audit log given to `rbac` is not a JSON audit event.'],
      AUDITLOG_RULES_YAML: ['Rules file not YAML', 'A Falco rules file is not YAML or not a sequence of objects; it is refused.'],
      AUDITLOG_RULES_WARNING: ['Rules file warning', 'Falco would warn: an unknown key, a deprecated form or an invalid macro name.'],
      AUDITLOG_RULE_INVALID: ['Invalid rule item', 'A list, macro or rule item is invalid.'],
      AUDITLOG_CONDITION_INVALID: ['Invalid condition', 'A rule or macro condition does not compile.'],
      AUDITLOG_NO_PREVIOUS: ['Append without original', 'An append or override names a list, macro or rule that does not exist yet.'],
      AUDITLOG_ENGINE_VERSION: ['Engine version too low', 'The rules require a newer Falco engine version than palisade implements.'],
      AUDITLOG_PLUGIN_VERSION: ['Plugin version unsupported', 'The rules require a plugin version whose fields palisade does not provide.'],
    },
  },
  {
    module: 'pss',
    remediation: 'Fix the namespace label or the check table the message names.',
    codes: {
      PSS_BAD_NAMESPACE_LABEL: ['Bad PSA namespace label', 'A pod-security.kubernetes.io label value is invalid; the API server then applies restricted:latest.'],
      PSS_BAD_LEVEL: ['Bad check level', 'A registered PSS check names an invalid level.'],
      PSS_BAD_VERSION: ['Bad check version', 'A registered PSS check has an invalid version.'],
      PSS_BAD_OVERRIDE: ['Bad check override', 'A PSS check overrides a check it may not override.'],
      PSS_DUPLICATE_CHECK: ['Duplicate check', 'Two PSS checks are registered under one id.'],
      PSS_EMPTY_CHECK: ['Empty check', 'A registered PSS check has no versions.'],
      PSS_VERSIONS_NOT_INCREASING: ['Versions out of order', 'The versions of a PSS check are not strictly increasing.'],
    },
  },
];

const NETPOL_INVALID: Group = {
  module: 'netpol',
  remediation: 'Fix the policy as the API server would ask. Errors make `netpol` exit 2, since a reachability answer computed without the policy would be false; warnings only inform.',
  codes: Object.fromEntries(Object.entries(NETPOL_ERRORS).map(([code, text]) => [code, [`Policy: ${text.split(/[:(;]/)[0]!.trim()}`, `${text[0]!.toUpperCase()}${text.slice(1)}.`] as const])),
};

/** Every input-error code, sorted. */
export function inputErrors(): InputErrorEntry[] {
  return [LOAD, CONFIG, NETPOL_INVALID, NETPOL_WARNINGS, MESH, MESH_WARNINGS, IMAGE, ...OTHERS]
    .flatMap((g) => Object.entries(g.codes).map(([code, [title, description]]) => ({ code, module: g.module, title, description, remediation: g.remediation })))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
