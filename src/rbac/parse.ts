/** Reading what users type: subjects (`sa:ml/predictor`) and requests (`create pods/exec`, `get /healthz`). */
import { PalisadeError } from '../core/errors.js';
import type { RbacModel } from './model.js';
import { serviceAccountOfUser } from './model.js';
import { RESOURCE_GROUPS, SUBRESOURCES } from './data/resources.js';
import type { Request, Subject } from './types.js';

/**
 * `user:NAME`, `group:NAME`, `sa:NS/NAME` (or `sa:NS:NAME`, `serviceaccount:…`),
 * `system:serviceaccount:NS:NAME`; a bare name is a user.
 */
export function parseSubject(text: string): Subject {
  const sa = serviceAccountOfUser(text);
  if (sa) return sa;
  const colon = text.indexOf(':');
  const prefix = colon > 0 ? text.slice(0, colon).toLowerCase() : '';
  const rest = text.slice(colon + 1);
  const bad = (): never => {
    throw new PalisadeError('USAGE', `cannot read subject "${text}": expected user:NAME, group:NAME or sa:NAMESPACE/NAME`, { errorClass: 'fatal' });
  };
  switch (prefix) {
    case 'user':
      return rest ? { kind: 'User', name: rest } : bad();
    case 'group':
      return rest ? { kind: 'Group', name: rest } : bad();
    case 'sa':
    case 'serviceaccount': {
      const split = rest.includes('/') ? rest.indexOf('/') : rest.indexOf(':');
      if (split <= 0 || split === rest.length - 1) return bad();
      return { kind: 'ServiceAccount', namespace: rest.slice(0, split), name: rest.slice(split + 1) };
    }
    default:
      // `system:anonymous`, `system:kube-proxy` and other names with colons are user names.
      return text ? { kind: 'User', name: text } : bad();
  }
}

/**
 * `VERB RESOURCE[.GROUP][/SUBRESOURCE][/NAME]` or `VERB /non/resource/url`. A resource without a group
 * takes it from the table of well-known resources, else from the rules of the input when they name
 * it under exactly one group, else the core group.
 */
export function parseRequest(verb: string, target: string, model?: RbacModel, namespace?: string): Request {
  if (!verb) throw new PalisadeError('USAGE', 'a verb is required (get, list, create, exec…)', { errorClass: 'fatal' });
  if (target.startsWith('/')) return { verb, path: target };
  const parts = target.split('/');
  const head = parts[0]!;
  if (!head) throw new PalisadeError('USAGE', `cannot read resource "${target}": expected RESOURCE[.GROUP][/SUBRESOURCE][/NAME] or /url`, { errorClass: 'fatal' });
  let subresource: string | undefined;
  let name: string | undefined;
  const rest = parts.slice(1);
  if (rest.length > 0 && SUBRESOURCES.has(rest[0]!)) subresource = rest.shift();
  if (rest.length > 0) name = rest.shift();
  if (rest.length > 0 && !subresource && SUBRESOURCES.has(rest[0]!)) subresource = rest.shift();
  if (rest.length > 0) throw new PalisadeError('USAGE', `cannot read resource "${target}": too many "/" parts`, { errorClass: 'fatal' });
  const dot = head.indexOf('.');
  const resource = dot < 0 ? head : head.slice(0, dot);
  const apiGroup = dot < 0 ? groupOf(resource, model) : head.slice(dot + 1);
  return { verb, apiGroup, resource, ...(subresource ? { subresource } : {}), ...(name ? { name } : {}), ...(namespace ? { namespace } : {}) };
}

function groupOf(resource: string, model: RbacModel | undefined): string {
  const known = RESOURCE_GROUPS[resource];
  if (known !== undefined) return known;
  const seen = new Set<string>();
  for (const role of model?.roles.values() ?? []) for (const { rule } of role.rules) if (rule.resources.includes(resource)) for (const g of rule.apiGroups) if (g !== '*') seen.add(g);
  if (seen.size === 1) return [...seen][0]!;
  if (seen.size > 1) throw new PalisadeError('USAGE', `resource "${resource}" is named under several groups (${[...seen].sort().join(', ')}); write it as ${resource}.GROUP`, { errorClass: 'fatal' });
  return '';
}
