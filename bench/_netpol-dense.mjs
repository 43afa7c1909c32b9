// A dense NetworkPolicy input (issue 23): workloads in namespaces of 25, default deny everywhere,
// and allow policies whose namespace and pod selectors, ports and port ranges open tens of
// thousands of distinct pairs, each pair with its own set of ports. Deterministic.
//   denseCluster(5000, 2100) → { text (a v1 List as JSON), workloads, policies }
const deployment = (namespace, name, labels, ports) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'example/app:1', ports }] } } } });
const policy = (namespace, name, podSelector, spec) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec: { podSelector, ...spec } });

export function denseCluster(workloads = 5000, policies = 2100) {
  const perTenant = 25;
  const tenants = Math.ceil(workloads / perTenant);
  const items = [deployment('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, [{ name: 'dns', containerPort: 53, protocol: 'UDP' }])];
  let count = 0;
  const add = (p) => {
    items.push(p);
    count++;
  };
  for (let t = 0; t < tenants; t++) {
    const ns = `tenant-${t}`;
    // One or two tenants to a group: a group's frontends call into other groups.
    items.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns, group: `g${t % 150}`, tier: t % 3 === 0 ? 'gold' : 'std' } } });
    for (let w = 0; w < perTenant && t * perTenant + w < workloads; w++) {
      items.push(deployment(ns, `svc-${w}`, { app: `svc-${w}`, role: w % 5 === 0 ? 'frontend' : 'backend', shard: `s${w % 4}` }, [{ name: 'http', containerPort: 8080 + (w % 7) }, { name: 'metrics', containerPort: 9090 }]));
    }
    add(policy(ns, 'default-deny', {}, { policyTypes: ['Ingress', 'Egress'] }));
    add(policy(ns, 'allow-dns', {}, { policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] }));
    // Frontends may call anything on the service port range, and the outside world on 443 except the cluster range.
    add(policy(ns, 'frontend-egress', { matchLabels: { role: 'frontend' } }, { policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 8000, endPort: 8200 }, { port: 'metrics' }] }, { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443 }] }] }));
  }
  // The rest: one ingress policy per (tenant, shard, variant), letting the frontends of one group
  // in on ports that differ from policy to policy, so the pairs carry many distinct port sets.
  for (let k = 0; count < policies; k++) {
    const t = k % tenants;
    const ns = `tenant-${t}`;
    const shard = Math.floor(k / tenants) % 4;
    const port = 8000 + (k % 150);
    add(policy(ns, `in-${k}`, { matchLabels: { shard: `s${shard}`, role: 'backend' } }, {
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { group: `g${(t + 1 + (k % 3)) % 150}` } }, podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['frontend'] }] } }],
        ports: [{ port }, { port: port + 1, endPort: port + 3 + (k % 5) }, { port: 'metrics' }],
      }],
    }));
  }
  return { text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }), workloads, policies: count };
}
