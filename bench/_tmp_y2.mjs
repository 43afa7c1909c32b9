import { stringify } from 'yaml';
const mk = (n) => Array.from({length: n}, (_, i) => ({ policy: `PSS_X_${i%23}`, message: `container "p" must set x=true`, resources: [{apiVersion: 'apps/v1', kind: 'Deployment', name: `model-${i}`}], properties: { file: `deploy/x-${i}.yaml`, line: String(i) } }));
for (const n of [2500, 5000, 10000, 20000]) {
  const r = mk(n);
  let t = performance.now(); stringify({results: r}, {lineWidth: 0}); const a = performance.now()-t;
  t = performance.now(); r.map((x) => stringify(x, {lineWidth: 0})).join(''); const b = performance.now()-t;
  console.log(n, Math.round(a), Math.round(b));
}
